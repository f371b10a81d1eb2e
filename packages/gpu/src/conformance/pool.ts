import '@torchlet/autograd';
import {
  type AvgPoolOptions,
  adaptiveAvgPool2d,
  adaptiveMaxPool2d,
  avgPool2d,
  type MaxPoolOptions,
  maxPool2d,
  type Tensor,
} from '@torchlet/tensor';
import { type DeviceCase, input } from './case.js';

/** `pool(x)` and the gradient reaching x for a random upstream gradient (the backward kernels). */
function withGrad(
  d: string,
  shape: number[],
  seed: number,
  pool: (x: Tensor) => Tensor | Tensor[],
  prep = (x: Tensor) => x,
): Tensor[] {
  const x = prep(input(d, shape, seed)).requiresGrad_();
  const out = pool(x);
  const y = Array.isArray(out) ? out[0]! : out;
  y.backward(input(d, [...y.shape], seed + 1));
  return [...(Array.isArray(out) ? out : [out]).map((t) => t.detach()), x.grad!];
}

const MAX: [string, number[], MaxPoolOptions][] = [
  ['2x2', [2, 3, 8, 6], { kernelSize: 2 }],
  ['3x3 stride 2 padding 1', [1, 2, 9, 7], { kernelSize: 3, stride: 2, padding: 1 }],
  [
    'overlapping, dilation 2, ceil mode',
    [2, 2, 10, 9],
    { kernelSize: [3, 2], stride: [1, 2], dilation: 2, ceilMode: true },
  ],
  ['with indices', [1, 3, 5, 5], { kernelSize: 2, stride: 1, returnIndices: true }],
];

const AVG: [string, number[], AvgPoolOptions][] = [
  ['2x2', [2, 3, 8, 6], { kernelSize: 2 }],
  ['3x3 stride 2 padding 1', [1, 2, 9, 7], { kernelSize: 3, stride: 2, padding: 1 }],
  [
    'padding without countIncludePad, ceil mode',
    [1, 2, 7, 8],
    { kernelSize: 3, stride: 2, padding: 1, countIncludePad: false, ceilMode: true },
  ],
  ['divisorOverride', [2, 1, 6, 6], { kernelSize: [2, 3], divisorOverride: 4 }],
];

/** Max/avg/adaptive pooling forward and backward; max pooling ties resolved as the CPU does. */
export const poolCases: DeviceCase[] = [
  ...MAX.map(
    ([name, shape, options], i): DeviceCase => ({
      name: `maxPool2d ${name}`,
      run: (d) => withGrad(d, shape, 200 + i, (x) => maxPool2d(x, options)),
    }),
  ),
  ...AVG.map(
    ([name, shape, options], i): DeviceCase => ({
      name: `avgPool2d ${name}`,
      run: (d) => withGrad(d, shape, 210 + i, (x) => avgPool2d(x, options)),
    }),
  ),
  {
    name: 'adaptiveAvgPool2d 7x9 → 3x4',
    run: (d) => withGrad(d, [2, 2, 7, 9], 220, (x) => adaptiveAvgPool2d(x, [3, 4])),
  },
  {
    name: 'adaptiveMaxPool2d 7x9 → 3x4',
    run: (d) => withGrad(d, [2, 2, 7, 9], 221, (x) => adaptiveMaxPool2d(x, [3, 4])),
  },
  {
    name: 'maxPool2d ties pick the first maximum',
    run: (d) =>
      withGrad(
        d,
        [1, 2, 6, 6],
        222,
        (x) => maxPool2d(x, { kernelSize: 3, stride: 1 }),
        (x) => x.mul(2).floor(),
      ),
  },
];
