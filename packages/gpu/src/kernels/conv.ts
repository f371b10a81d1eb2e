import { type ConvGeometry, registerKernel, runOnCpu, Tensor } from '@torchlet/tensor';
import { GPU_DEVICE } from '../backend.js';
import { type ArgTypes, launch, program } from '../program.js';
import { arrayArgs, arrayValues, deviceTensor, filled, splitIndex } from './output.js';

/**
 * conv2d and its two backward convolutions as direct loops, one output element per thread, every
 * operand read through its NCHW strides (no im2col buffer). Output position o reads input
 * `o·stride − padding + k·dilation` for tap k; groups split the channels evenly.
 */

/** Sizes every conv kernel takes as Integer arguments, in this order. */
const GEOMETRY = [
  'N',
  'C',
  'H',
  'W',
  'OC',
  'OH',
  'OW',
  'KH',
  'KW',
  'SH',
  'SW',
  'PH',
  'PW',
  'DH',
  'DW',
  'Cg',
  'OCg',
];

function geometryArgs(): ArgTypes {
  return Object.fromEntries(GEOMETRY.map((n) => [n, 'Integer'])) as ArgTypes;
}

function geometryValues(g: ConvGeometry, N: number, C: number, OC: number): number[] {
  const [H, W] = g.inSize as [number, number];
  const [OH, OW] = g.outSize as [number, number];
  const [KH, KW] = g.kernelSize as [number, number];
  return [
    N,
    C,
    H,
    W,
    OC,
    OH,
    OW,
    KH,
    KW,
    ...g.stride,
    ...g.padding,
    ...g.dilation,
    C / g.groups,
    OC / g.groups,
  ];
}

/** Runs a conv kernel whose operands are `names` ↔ `tensors`, or returns zeros when one is empty. */
function run(
  key: string,
  body: string,
  names: string[],
  tensors: Tensor[],
  geometry: number[],
  shape: number[],
  dtype: Tensor['dtype'],
): Tensor {
  if (tensors.some((t) => t.numel() === 0)) return filled(0, dtype, shape);
  const kernel = program(key, () => ({
    args: Object.assign({}, ...names.map((n) => arrayArgs(n, 4)), geometryArgs()) as ArgTypes,
    body,
  }));
  const size = shape.reduce((a, b) => a * b, 1);
  return deviceTensor(launch(kernel, size, [...tensors.flatMap(arrayValues), ...geometry]), dtype, shape);
}

const FORWARD = `${splitIndex('this.thread.x', ['n', 'oc', 'oh', 'ow'], ['N', 'OC', 'OH', 'OW'])}
const g = (oc - oc % OCg) / OCg;
let s = BIAS;
let px = xo + n * x0 + g * Cg * x1;
let pw = wo + oc * w0;
const ih0 = oh * SH - PH;
const iw0 = ow * SW - PW;
for (let ci = 0; ci < Cg; ci++) {
  for (let kh = 0; kh < KH; kh++) {
    const ih = ih0 + kh * DH;
    if (ih >= 0 && ih < H) {
      for (let kw = 0; kw < KW; kw++) {
        const iw = iw0 + kw * DW;
        if (iw >= 0 && iw < W) {
          s += xa[px + ih * x2 + iw * x3] * wa[pw + kh * w2 + kw * w3];
        }
      }
    }
  }
  px += x1;
  pw += w1;
}
return s;`;

function conv2dKernel(inputs: readonly Tensor[], attrs: Record<string, unknown>): Tensor {
  const [x, w, b] = inputs as [Tensor, Tensor, Tensor | undefined];
  if (x.dtype !== 'float32') return runOnCpu('conv2d', inputs, attrs) as Tensor;
  const g = attrs as unknown as ConvGeometry;
  const [N, C] = x.shape as [number, number];
  const OC = w.shape[0]!;
  const shape = [N, OC, ...g.outSize];
  const bias = b ? 'ba[bo + oc * b0]' : '0.0';
  const names = b ? ['x', 'w', 'b'] : ['x', 'w'];
  // The bias as a [OC, 1, 1, 1] view, built directly: kernels run below autograd.
  const operands = b
    ? [x, w, new Tensor(b.storage, [OC, 1, 1, 1], [b.strides[0]!, 0, 0, 0], b.offset)]
    : [x, w];
  return run(
    `conv2d:${Boolean(b)}`,
    FORWARD.replace('BIAS', bias),
    names,
    operands,
    geometryValues(g, N, C, OC),
    shape,
    x.dtype,
  );
}

// dx[n, c, h, w] = Σ dy[n, oc, oh, ow] · w[oc, c mod Cg, kh, kw] over the taps that reach (h, w).
const BACKWARD_INPUT = `${splitIndex('this.thread.x', ['n', 'c', 'ih', 'iw'], ['N', 'C', 'H', 'W'])}
const ci = c % Cg;
const g = (c - ci) / Cg;
let s = 0.0;
let py = yo + n * y0 + g * OCg * y1;
let pw = wo + g * OCg * w0 + ci * w1;
for (let j = 0; j < OCg; j++) {
  for (let kh = 0; kh < KH; kh++) {
    const th = ih + PH - kh * DH;
    if (th >= 0 && th % SH === 0 && th < OH * SH) {
      const oh = th / SH;
      for (let kw = 0; kw < KW; kw++) {
        const tw = iw + PW - kw * DW;
        if (tw >= 0 && tw % SW === 0 && tw < OW * SW) {
          const ow = tw / SW;
          s += ya[py + oh * y2 + ow * y3] * wa[pw + kh * w2 + kw * w3];
        }
      }
    }
  }
  py += y1;
  pw += w0;
}
return s;`;

function conv2dBackwardInputKernel(inputs: readonly Tensor[], attrs: Record<string, unknown>): Tensor {
  const [gy, w] = inputs as [Tensor, Tensor];
  if (gy.dtype !== 'float32') return runOnCpu('conv2dBackwardInput', inputs, attrs) as Tensor;
  const g = attrs as unknown as ConvGeometry;
  const N = gy.shape[0]!;
  const C = w.shape[1]! * g.groups;
  const OC = w.shape[0]!;
  const shape = [N, C, ...g.inSize];
  return run(
    'conv2dBackwardInput',
    BACKWARD_INPUT,
    ['y', 'w'],
    [gy, w],
    geometryValues(g, N, C, OC),
    shape,
    gy.dtype,
  );
}

// dw[oc, ci, kh, kw] = Σ over images and output positions of dy[n, oc, oh, ow] · x[n, c, ih, iw].
const BACKWARD_WEIGHT = `${splitIndex('this.thread.x', ['oc', 'ci', 'kh', 'kw'], ['OC', 'Cg', 'KH', 'KW'])}
const g = (oc - oc % OCg) / OCg;
const c = g * Cg + ci;
let s = 0.0;
for (let n = 0; n < N; n++) {
  const py = yo + n * y0 + oc * y1;
  const px = xo + n * x0 + c * x1;
  for (let oh = 0; oh < OH; oh++) {
    const ih = oh * SH - PH + kh * DH;
    if (ih >= 0 && ih < H) {
      let qy = py + oh * y2;
      let iw = kw * DW - PW;
      for (let ow = 0; ow < OW; ow++) {
        if (iw >= 0 && iw < W) {
          s += ya[qy] * xa[px + ih * x2 + iw * x3];
        }
        qy += y3;
        iw += SW;
      }
    }
  }
}
return s;`;

function conv2dBackwardWeightKernel(inputs: readonly Tensor[], attrs: Record<string, unknown>): Tensor {
  const [x, gy] = inputs as [Tensor, Tensor];
  if (x.dtype !== 'float32') return runOnCpu('conv2dBackwardWeight', inputs, attrs) as Tensor;
  const g = attrs as unknown as ConvGeometry;
  const [N, C] = x.shape as [number, number];
  const OC = gy.shape[1]!;
  const shape = [OC, C / g.groups, ...g.kernelSize];
  return run(
    'conv2dBackwardWeight',
    BACKWARD_WEIGHT,
    ['x', 'y'],
    [x, gy],
    geometryValues(g, N, C, OC),
    shape,
    x.dtype,
  );
}

registerKernel(GPU_DEVICE, 'conv2d', conv2dKernel);
registerKernel(GPU_DEVICE, 'conv2dBackwardInput', conv2dBackwardInputKernel);
registerKernel(GPU_DEVICE, 'conv2dBackwardWeight', conv2dBackwardWeightKernel);
