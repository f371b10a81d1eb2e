import type { Tensor } from '@torchlet/tensor';
import { registerGradient } from '../registry.js';
import { sumTo } from '../sum-to.js';

const pass = ([g]: readonly Tensor[]) => [g];

registerGradient('contiguous', pass);
registerGradient('clone', pass);
registerGradient('cast', ([g], { inputs: [x] }) => [g!.to(x!.dtype)]);
registerGradient('toDevice', ([g], { inputs: [x] }) => [g!.to(x!.device)]);
registerGradient('reshape', ([g], { attrs }) => [g!.reshape(attrs.shape as number[])]);
registerGradient('expand', ([g], { attrs }) => [sumTo(g!, attrs.shape as number[])]);
registerGradient('permute', ([g], { attrs }) => {
  const dims = attrs.dims as number[];
  const inverse = new Array<number>(dims.length);
  dims.forEach((d, i) => {
    inverse[d] = i;
  });
  return [g!.permute(inverse)];
});
