import {
  type ConvGeometry,
  conv2d,
  conv2dBackwardInput,
  conv2dBackwardWeight,
  type Tensor,
} from '@torchlet/tensor';
import { type DeviceCase, input } from './case.js';

interface Spec {
  name: string;
  x: number[];
  w: number[];
  stride?: number[];
  padding?: number[];
  dilation?: number[];
  groups?: number;
}

/** The resolved geometry conv2d passes its kernels, for calling the backward kernels directly. */
function geometry(s: Spec): ConvGeometry {
  const stride = s.stride ?? [1, 1];
  const padding = s.padding ?? [0, 0];
  const dilation = s.dilation ?? [1, 1];
  const kernelSize = s.w.slice(2);
  const inSize = s.x.slice(2);
  const outSize = inSize.map(
    (n, i) => Math.floor((n + 2 * padding[i]! - dilation[i]! * (kernelSize[i]! - 1) - 1) / stride[i]!) + 1,
  );
  return { stride, padding, dilation, groups: s.groups ?? 1, inSize, outSize, kernelSize };
}

const SPECS: Spec[] = [
  { name: '3x3', x: [2, 3, 7, 6], w: [4, 3, 3, 3] },
  { name: 'stride 2, padding 1', x: [2, 2, 9, 8], w: [3, 2, 3, 3], stride: [2, 2], padding: [1, 1] },
  {
    name: 'dilation 2, asymmetric stride/padding',
    x: [1, 3, 10, 9],
    w: [2, 3, 3, 2],
    stride: [1, 3],
    padding: [2, 0],
    dilation: [2, 2],
  },
  { name: 'groups 2', x: [2, 4, 6, 6], w: [6, 2, 3, 3], padding: [1, 1], groups: 2 },
  { name: 'depthwise, stride 2', x: [1, 3, 7, 7], w: [3, 1, 3, 3], stride: [2, 2], groups: 3 },
  { name: '1x1', x: [3, 5, 4, 4], w: [2, 5, 1, 1] },
];

function forward(d: string, s: Spec, k: number, bias: boolean): Tensor {
  const g = geometry(s);
  return conv2d(input(d, s.x, k), input(d, s.w, k + 1), bias ? input(d, [s.w[0]!], k + 2) : null, {
    stride: g.stride,
    padding: g.padding,
    dilation: g.dilation,
    groups: g.groups,
  });
}

/** conv2d with and without bias, and both backward kernels, over strides/padding/dilation/groups. */
export const convCases: DeviceCase[] = SPECS.flatMap((s, i): DeviceCase[] => {
  const k = 100 + 10 * i;
  const g = geometry(s);
  const dy = [s.x[0]!, s.w[0]!, ...g.outSize];
  return [
    { name: `conv2d ${s.name}`, run: (d) => [forward(d, s, k, true), forward(d, s, k, false)] },
    {
      name: `conv2dBackwardInput ${s.name}`,
      run: (d) => conv2dBackwardInput(input(d, dy, k + 3), input(d, s.w, k + 4), g),
    },
    {
      name: `conv2dBackwardWeight ${s.name}`,
      tol: 2e-5,
      run: (d) => conv2dBackwardWeight(input(d, s.x, k + 5), input(d, dy, k + 6), g),
    },
  ];
}).concat([
  {
    name: 'conv2d of a permuted (NHWC-strided) input and transposed weight',
    run: (d) =>
      conv2d(
        input(d, [2, 6, 5, 3], 190).permute([0, 3, 1, 2]),
        input(d, [3, 4, 3, 3], 191).transpose(0, 1),
        null,
        { padding: 1 },
      ),
  },
]);
