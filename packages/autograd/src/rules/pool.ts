import {
  avgPoolBackward,
  avgPoolWindows,
  maxPoolBackward,
  maxPoolGather,
  type PoolWindows,
} from '@torchlet/tensor';
import { registerGradient } from '../registry.js';

/**
 * Pooling gradients. Max pooling routes each output's gradient to its argmax (ties and NaN as the
 * forward chose), which is a linear scatter whose adjoint is a gather at the same indices; average
 * pooling is linear, and its backward's adjoint is the pooling itself. So double backward works.
 */
const windows = (attrs: object) => attrs as PoolWindows;

for (const op of ['maxPool2d', 'maxPool3d']) {
  registerGradient(op, ([g], { outputs: [, indices], attrs }) => [
    maxPoolBackward(g!, indices!, windows(attrs).inSize, windows(attrs)),
  ]);
}
registerGradient('maxPoolBackward', ([h], { inputs: [, indices] }) => [maxPoolGather(h!, indices!), null]);
registerGradient('maxPoolGather', ([h], { inputs: [x, indices] }) => [
  maxPoolBackward(h!, indices!, x!.shape.slice(2)),
  null,
]);

for (const op of ['avgPool2d', 'avgPool3d']) {
  registerGradient(op, ([g], { attrs }) => [avgPoolBackward(g!, windows(attrs))]);
  registerGradient(`${op}Backward`, ([h], { attrs }) => [avgPoolWindows(h!, windows(attrs))]);
}
