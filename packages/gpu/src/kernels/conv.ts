import { type ConvGeometry, registerKernel, runOnCpu, Tensor } from '@torchlet/tensor';
import { GPU_DEVICE } from '../backend.js';
import { usesTextures } from '../device.js';
import { type ArgTypes, launch, program } from '../program.js';
import { arrayArgs, arrayValues, deviceTensor, filled, splitIndex } from './output.js';
import { freePacked, type PackedRows, packedLength, packRows } from './pack.js';

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
  if (usesTextures()) return packedForward(x, w, operands[2], g, shape);
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
  if (usesTextures()) return packedBackwardInput(gy, w, g, shape);
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
  if (usesTextures()) return packedBackwardWeight(x, gy, g, shape);
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

/*
 * On WebGL the three convolutions read packed operands instead (see pack.ts): each sums a dot
 * product along one axis both operands share — input channels forward, output channels for the
 * input gradient, images for the weight gradient — so that axis is packed four to a texel and the
 * innermost loop reads two vec4s per four terms. Taps outside the input are skipped once per
 * packed row rather than once per element.
 */

/** Adds `Σ pa[ia + j] · pb[ib + j]` over `j < L` (vec4 texels) to `s`. */
const PACKED_DOT = `for (let j = 0; j < L; j++) {
  const u = pa[ia + j];
  const v = pb[ib + j];
  s += u[0] * v[0] + u[1] * v[1] + u[2] * v[2] + u[3] * v[3];
}`;

/** Sizes of one convolution: its geometry, images N, input channels C, output channels OC. */
interface ConvSizes {
  g: ConvGeometry;
  N: number;
  C: number;
  OC: number;
}

/**
 * Runs a packed conv kernel over `shape`: operands `a` and `b` packed along a shared axis (`L`
 * texels per row), then `extra` strided arrays; zeros when an operand is empty.
 */
function runPacked(
  key: string,
  body: string,
  [a, b]: [[Tensor, PackedRows], [Tensor, PackedRows]],
  extra: { names: string[]; tensors: Tensor[] },
  { g, N, C, OC }: ConvSizes,
  shape: number[],
): Tensor {
  if (a[0].numel() === 0 || b[0].numel() === 0) return filled(0, a[0].dtype, shape);
  const pa = packRows(...a);
  const pb = packRows(...b);
  const kernel = program(key, () => ({
    args: Object.assign(
      { pa: 'ArrayTexture(4)', pb: 'ArrayTexture(4)', L: 'Integer', G: 'Integer' },
      ...extra.names.map((n) => arrayArgs(n, 4)),
      geometryArgs(),
    ) as ArgTypes,
    body: body.replace('DOT', PACKED_DOT),
  }));
  const size = shape.reduce((x, y) => x * y, 1);
  const values = [
    pa,
    pb,
    packedLength(a[1].length),
    g.groups,
    ...extra.tensors.flatMap(arrayValues),
    ...geometryValues(g, N, C, OC),
  ];
  const value = launch(kernel, size, values);
  freePacked(pa);
  freePacked(pb);
  return deviceTensor(value, a[0].dtype, shape);
}

// x packed along channels as rows [N, G, H, W], w along input channels as rows [OC, KH, KW].
const PACKED_FORWARD = `${splitIndex('this.thread.x', ['n', 'oc', 'oh', 'ow'], ['N', 'OC', 'OH', 'OW'])}
const g = (oc - oc % OCg) / OCg;
let s = BIAS;
const ih0 = oh * SH - PH;
const iw0 = ow * SW - PW;
for (let kh = 0; kh < KH; kh++) {
  const ih = ih0 + kh * DH;
  if (ih >= 0 && ih < H) {
    for (let kw = 0; kw < KW; kw++) {
      const iw = iw0 + kw * DW;
      if (iw >= 0 && iw < W) {
        const ia = (((n * G + g) * H + ih) * W + iw) * L;
        const ib = ((oc * KH + kh) * KW + kw) * L;
        DOT
      }
    }
  }
}
return s;`;

function packedForward(
  x: Tensor,
  w: Tensor,
  bias: Tensor | undefined,
  g: ConvGeometry,
  shape: number[],
): Tensor {
  const [N, C] = x.shape as [number, number];
  const OC = w.shape[0]!;
  const [, , H, W] = x.shape as number[];
  const [KH, KW] = g.kernelSize as [number, number];
  const Cg = C / g.groups;
  const [x0, x1, x2, x3] = x.strides as number[];
  const [w0, w1, w2, w3] = w.strides as number[];
  return runPacked(
    `conv2d:packed:${Boolean(bias)}`,
    PACKED_FORWARD.replace('BIAS', bias ? 'ba[bo + oc * b0]' : '0.0'),
    [
      [x, { shape: [N, g.groups, H!, W!], strides: [x0!, Cg * x1!, x2!, x3!], length: Cg, step: x1! }],
      [w, { shape: [OC, KH, KW], strides: [w0!, w2!, w3!], length: Cg, step: w1! }],
    ],
    bias ? { names: ['b'], tensors: [bias] } : { names: [], tensors: [] },
    { g, N, C, OC },
    shape,
  );
}

// dy packed along output channels as rows [N, G, OH, OW], w along output channels as rows [G, Cg, KH, KW].
const PACKED_BACKWARD_INPUT = `${splitIndex('this.thread.x', ['n', 'c', 'ih', 'iw'], ['N', 'C', 'H', 'W'])}
const ci = c % Cg;
const g = (c - ci) / Cg;
let s = 0.0;
for (let kh = 0; kh < KH; kh++) {
  const th = ih + PH - kh * DH;
  if (th >= 0 && th % SH === 0 && th < OH * SH) {
    const oh = th / SH;
    for (let kw = 0; kw < KW; kw++) {
      const tw = iw + PW - kw * DW;
      if (tw >= 0 && tw % SW === 0 && tw < OW * SW) {
        const ow = tw / SW;
        const ia = (((n * G + g) * OH + oh) * OW + ow) * L;
        const ib = (((g * Cg + ci) * KH + kh) * KW + kw) * L;
        DOT
      }
    }
  }
}
return s;`;

function packedBackwardInput(gy: Tensor, w: Tensor, g: ConvGeometry, shape: number[]): Tensor {
  const [N, OC, OH, OW] = gy.shape as [number, number, number, number];
  const [, Cg, KH, KW] = w.shape as [number, number, number, number];
  const OCg = OC / g.groups;
  const [y0, y1, y2, y3] = gy.strides as number[];
  const [w0, w1, w2, w3] = w.strides as number[];
  return runPacked(
    'conv2dBackwardInput:packed',
    PACKED_BACKWARD_INPUT,
    [
      [gy, { shape: [N, g.groups, OH, OW], strides: [y0!, OCg * y1!, y2!, y3!], length: OCg, step: y1! }],
      [w, { shape: [g.groups, Cg, KH, KW], strides: [OCg * w0!, w1!, w2!, w3!], length: OCg, step: w0! }],
    ],
    { names: [], tensors: [] },
    { g, N, C: shape[1]!, OC },
    shape,
  );
}

// dy packed along images as rows [OC, OH, OW], x along images as rows [C, H, W].
const PACKED_BACKWARD_WEIGHT = `${splitIndex('this.thread.x', ['oc', 'ci', 'kh', 'kw'], ['OC', 'Cg', 'KH', 'KW'])}
const g = (oc - oc % OCg) / OCg;
const c = g * Cg + ci;
let s = 0.0;
for (let oh = 0; oh < OH; oh++) {
  const ih = oh * SH - PH + kh * DH;
  if (ih >= 0 && ih < H) {
    for (let ow = 0; ow < OW; ow++) {
      const iw = ow * SW - PW + kw * DW;
      if (iw >= 0 && iw < W) {
        const ia = ((oc * OH + oh) * OW + ow) * L;
        const ib = ((c * H + ih) * W + iw) * L;
        DOT
      }
    }
  }
}
return s;`;

function packedBackwardWeight(x: Tensor, gy: Tensor, g: ConvGeometry, shape: number[]): Tensor {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [, OC, OH, OW] = gy.shape as [number, number, number, number];
  const [x0, x1, x2, x3] = x.strides as number[];
  const [y0, y1, y2, y3] = gy.strides as number[];
  return runPacked(
    'conv2dBackwardWeight:packed',
    PACKED_BACKWARD_WEIGHT,
    [
      [gy, { shape: [OC, OH, OW], strides: [y1!, y2!, y3!], length: N, step: y0! }],
      [x, { shape: [C, H, W], strides: [x1!, x2!, x3!], length: N, step: x0! }],
    ],
    { names: [], tensors: [] },
    { g, N, C, OC },
    shape,
  );
}

registerKernel(GPU_DEVICE, 'conv2d', conv2dKernel);
registerKernel(GPU_DEVICE, 'conv2dBackwardInput', conv2dBackwardInputKernel);
registerKernel(GPU_DEVICE, 'conv2dBackwardWeight', conv2dBackwardWeightKernel);
