import { record } from '../autograd-hooks.js';
import { run1 } from '../backend.js';
import { isFloating } from '../dtype.js';
import { DTypeError, fmtShape, ShapeError, TorchletError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { add } from './elementwise.js';
import { type ConvGeometry, checkOutSize, expandArg, type SizeArg, windowOutSize } from './window.js';

/** Options of `conv1d` / `conv2d` / `conv3d`, as PyTorch's keyword arguments. */
export interface ConvOptions {
  stride?: SizeArg;
  /** Zero padding on both sides of each spatial dim, or 'same' (stride 1 only) / 'valid'. */
  padding?: SizeArg | 'same' | 'valid';
  dilation?: SizeArg;
  groups?: number;
}

/** Options of `convTranspose1d` / `convTranspose2d`. */
export interface ConvTransposeOptions {
  stride?: SizeArg;
  padding?: SizeArg;
  /** Extra size added to one side of the output, to pick among the sizes a stride maps to one input size. */
  outputPadding?: SizeArg;
  groups?: number;
  dilation?: SizeArg;
}

// ----------------------------------------------------------------------------------------------
// The three differentiable primitives. Each is linear in each argument, and their gradient rules
// are written with each other, so derivatives of any order stay within these kernels.

// A geometry of three spatial dims makes them the ops `conv3d`, `conv3dBackwardInput` and
// `conv3dBackwardWeight` (own kernel names, so a device with only 2-D kernels falls back).

/** `conv2d…` or `conv3d…`, by the geometry's number of spatial dims. */
function convOp(suffix: string, geometry: ConvGeometry): string {
  return `conv${geometry.kernelSize.length}d${suffix}`;
}

/** conv2d/conv3d on [N,C,…] input with a resolved geometry; `nn` code calls `conv2d`/`conv3d`. */
export function convolution2d(
  x: Tensor,
  weight: Tensor,
  bias: Tensor | null,
  geometry: ConvGeometry,
): Tensor {
  const inputs = bias ? [x, weight, bias] : [x, weight];
  const op = convOp('', geometry);
  return record(op, inputs, run1(op, inputs, { ...geometry }), { ...geometry });
}

/** Gradient of conv2d/conv3d with respect to its input: a transposed convolution of `grad` by `weight`. */
export function conv2dBackwardInput(grad: Tensor, weight: Tensor, geometry: ConvGeometry): Tensor {
  const op = convOp('BackwardInput', geometry);
  return record(op, [grad, weight], run1(op, [grad, weight], { ...geometry }), { ...geometry });
}

/** Gradient of conv2d/conv3d with respect to its weight, summed over the batch. */
export function conv2dBackwardWeight(x: Tensor, grad: Tensor, geometry: ConvGeometry): Tensor {
  const op = convOp('BackwardWeight', geometry);
  return record(op, [x, grad], run1(op, [x, grad], { ...geometry }), { ...geometry });
}

// ----------------------------------------------------------------------------------------------
// Public ops: argument handling as PyTorch's F.conv*d.

function checkDtypes(op: string, tensors: (Tensor | undefined | null)[]): void {
  const [x] = tensors as [Tensor];
  if (!isFloating(x.dtype)) throw new DTypeError(`${op}: expected a floating input, got ${x.dtype}`);
  for (const t of tensors) {
    if (t && t.dtype !== x.dtype) {
      throw new DTypeError(
        `${op}: input, weight and bias must have the same dtype, got ${x.dtype} and ${t.dtype}`,
      );
    }
  }
}

/**
 * Brings input of `spatial` spatial dims to [N, C, …] (adding a batch of one to unbatched input)
 * and returns a function restoring the caller's layout on the result.
 */
function batched(op: string, x: Tensor, spatial: number): [Tensor, (y: Tensor) => Tensor] {
  if (x.ndim === spatial + 2) return [x, (y) => y];
  if (x.ndim === spatial + 1) return [x.unsqueeze(0), (y) => y.squeeze(0)];
  throw new ShapeError(
    `${op}: expected ${spatial + 1}-D (unbatched) or ${spatial + 2}-D (batched) input, got shape ${fmtShape(x.shape)}`,
  );
}

function checkGroups(op: string, groups: number, channels: number, what: string, outChannels: number): void {
  if (!Number.isInteger(groups) || groups < 1)
    throw new TorchletError(`${op}: groups must be a positive integer, got ${groups}`);
  if (channels % groups !== 0 || outChannels % groups !== 0) {
    throw new ShapeError(
      `${op}: ${what} (${channels}) and output channels (${outChannels}) must both be divisible by groups (${groups})`,
    );
  }
}

function checkBias(op: string, bias: Tensor | undefined | null, channels: number): void {
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== channels)) {
    throw new ShapeError(`${op}: expected bias of shape [${channels}], got ${fmtShape(bias.shape)}`);
  }
}

/** conv over [N,C,…] x with an [OC,C/groups,…] weight; conv1d arrives lifted to 2-D (height 1). */
function convNd(
  op: string,
  x: Tensor,
  weight: Tensor,
  bias: Tensor | null,
  options: ConvOptions,
  spatial: number,
  shown: [Tensor, Tensor],
): Tensor {
  const lift = (v: number[], fill: number) => (spatial === 1 ? [fill, ...v] : v);
  const C = x.shape[1]!;
  const [OC, Cg] = weight.shape as [number, number];
  const groups = options.groups ?? 1;
  checkGroups(op, groups, C, 'input channels', OC);
  if (Cg * groups !== C) {
    throw new ShapeError(
      `${op}: weight of shape ${fmtShape(shown[1].shape)} expects ${Cg * groups} input channels (${Cg} per group × ${groups} groups), got input of shape ${fmtShape(shown[0].shape)}`,
    );
  }
  checkBias(op, bias, OC);
  const kernelSize = weight.shape.slice(2);
  const stride = lift(expandArg(op, 'stride', options.stride ?? 1, spatial, 1), 1);
  const dilation = lift(expandArg(op, 'dilation', options.dilation ?? 1, spatial, 1), 1);
  const pad = options.padding ?? 0;
  let padding: number[];
  let padTotal: number[];
  if (pad === 'same') {
    if (stride.some((s) => s !== 1))
      throw new TorchletError(`${op}: padding='same' is not supported for strided convolutions`);
    // Total padding d·(k−1), the extra element on the trailing side for even kernels (PyTorch).
    padTotal = kernelSize.map((k, i) => dilation[i]! * (k - 1));
    padding = padTotal.map((t) => Math.floor(t / 2));
  } else {
    padding = lift(expandArg(op, 'padding', pad === 'valid' ? 0 : pad, spatial, 0), 0);
    padTotal = padding.map((p) => 2 * p);
  }
  const inSize = x.shape.slice(2);
  const outSize = inSize.map((s, i) =>
    windowOutSize(s, kernelSize[i]!, stride[i]!, padTotal[i]!, dilation[i]!),
  );
  checkOutSize(op, shown[0].shape, spatial === 1 ? outSize.slice(1) : outSize);
  return convolution2d(x, weight, bias, { stride, padding, dilation, groups, inSize, outSize, kernelSize });
}

/**
 * 2-D convolution (cross-correlation, as PyTorch) of [N, C, H, W] or [C, H, W] input with a
 * [OC, C/groups, KH, KW] weight.
 *
 * @example
 * const y = conv2d(x, w, b, { stride: 2, padding: 1 }); // x [8,3,32,32], w [16,3,3,3] → [8,16,16,16]
 */
export function conv2d(x: Tensor, weight: Tensor, bias?: Tensor | null, options: ConvOptions = {}): Tensor {
  checkDtypes('conv2d', [x, weight, bias]);
  if (weight.ndim !== 4)
    throw new ShapeError(`conv2d: expected a 4-D weight, got shape ${fmtShape(weight.shape)}`);
  const [x4, restore] = batched('conv2d', x, 2);
  return restore(convNd('conv2d', x4, weight, bias ?? null, options, 2, [x, weight]));
}

/**
 * 3-D convolution of [N, C, D, H, W] or [C, D, H, W] input with a [OC, C/groups, KD, KH, KW] weight.
 *
 * @example
 * const y = conv3d(x, w, null, { padding: 'same' }); // x [2,4,8,8,8], w [6,4,3,3,3] → [2,6,8,8,8]
 */
export function conv3d(x: Tensor, weight: Tensor, bias?: Tensor | null, options: ConvOptions = {}): Tensor {
  checkDtypes('conv3d', [x, weight, bias]);
  if (weight.ndim !== 5)
    throw new ShapeError(`conv3d: expected a 5-D weight, got shape ${fmtShape(weight.shape)}`);
  const [x5, restore] = batched('conv3d', x, 3);
  return restore(convNd('conv3d', x5, weight, bias ?? null, options, 3, [x, weight]));
}

/** 1-D convolution of [N, C, L] or [C, L] input with a [OC, C/groups, K] weight. */
export function conv1d(x: Tensor, weight: Tensor, bias?: Tensor | null, options: ConvOptions = {}): Tensor {
  checkDtypes('conv1d', [x, weight, bias]);
  if (weight.ndim !== 3)
    throw new ShapeError(`conv1d: expected a 3-D weight, got shape ${fmtShape(weight.shape)}`);
  const [x3, restore] = batched('conv1d', x, 1);
  const y = convNd('conv1d', x3.unsqueeze(2), weight.unsqueeze(2), bias ?? null, options, 1, [x, weight]);
  return restore(y.squeeze(2));
}

/** Transposed convolution over [N, C, …] x with a [C, OC/groups, …] weight; shared by convTranspose1d/2d/3d. */
function convTransposeNd(
  op: string,
  x: Tensor,
  weight: Tensor,
  bias: Tensor | null,
  options: ConvTransposeOptions,
  spatial: number,
  shown: [Tensor, Tensor],
): Tensor {
  const lift = (v: number[], fill: number) => (spatial === 1 ? [fill, ...v] : v);
  const C = x.shape[1]!;
  const [Cw, OCg, ...kernelSize] = weight.shape as [number, number, ...number[]];
  const groups = options.groups ?? 1;
  checkGroups(op, groups, C, 'input channels', OCg * groups);
  if (Cw !== C) {
    throw new ShapeError(
      `${op}: weight of shape ${fmtShape(shown[1].shape)} expects ${Cw} input channels, got input of shape ${fmtShape(shown[0].shape)}`,
    );
  }
  checkBias(op, bias, OCg * groups);
  const stride = lift(expandArg(op, 'stride', options.stride ?? 1, spatial, 1), 1);
  const dilation = lift(expandArg(op, 'dilation', options.dilation ?? 1, spatial, 1), 1);
  const padding = lift(expandArg(op, 'padding', options.padding ?? 0, spatial, 0), 0);
  const outputPadding = lift(expandArg(op, 'outputPadding', options.outputPadding ?? 0, spatial, 0), 0);
  outputPadding.forEach((p, i) => {
    if (p >= stride[i]! && p >= dilation[i]!) {
      throw new TorchletError(
        `${op}: outputPadding must be smaller than either stride or dilation, got outputPadding ${p}, stride ${stride[i]}, dilation ${dilation[i]}`,
      );
    }
  });
  // The transposed convolution is the input-gradient of the convolution mapping its output back.
  const outSize = x.shape.slice(2);
  const inSize = outSize.map(
    (s, i) =>
      (s - 1) * stride[i]! - 2 * padding[i]! + dilation[i]! * (kernelSize[i]! - 1) + outputPadding[i]! + 1,
  );
  checkOutSize(op, shown[0].shape, inSize.slice(kernelSize.length - spatial));
  const y = conv2dBackwardInput(x, weight, {
    stride,
    padding,
    dilation,
    groups,
    inSize,
    outSize,
    kernelSize,
  });
  return bias ? add(y, bias.reshape([-1, ...kernelSize.map(() => 1)])) : y;
}

/**
 * 2-D transposed convolution ("deconvolution") of [N, C, H, W] or [C, H, W] input with a
 * [C, OC/groups, KH, KW] weight: the gradient of conv2d with respect to its input.
 *
 * @example
 * convTranspose2d(x, w, null, { stride: 2, padding: 1, outputPadding: 1 }); // [1,16,8,8], w [16,8,3,3] → [1,8,16,16]
 */
export function convTranspose2d(
  x: Tensor,
  weight: Tensor,
  bias?: Tensor | null,
  options: ConvTransposeOptions = {},
): Tensor {
  checkDtypes('convTranspose2d', [x, weight, bias]);
  if (weight.ndim !== 4)
    throw new ShapeError(`convTranspose2d: expected a 4-D weight, got shape ${fmtShape(weight.shape)}`);
  const [x4, restore] = batched('convTranspose2d', x, 2);
  return restore(convTransposeNd('convTranspose2d', x4, weight, bias ?? null, options, 2, [x, weight]));
}

/**
 * 3-D transposed convolution of [N, C, D, H, W] or [C, D, H, W] input with a
 * [C, OC/groups, KD, KH, KW] weight: the gradient of conv3d with respect to its input.
 */
export function convTranspose3d(
  x: Tensor,
  weight: Tensor,
  bias?: Tensor | null,
  options: ConvTransposeOptions = {},
): Tensor {
  checkDtypes('convTranspose3d', [x, weight, bias]);
  if (weight.ndim !== 5)
    throw new ShapeError(`convTranspose3d: expected a 5-D weight, got shape ${fmtShape(weight.shape)}`);
  const [x5, restore] = batched('convTranspose3d', x, 3);
  return restore(convTransposeNd('convTranspose3d', x5, weight, bias ?? null, options, 3, [x, weight]));
}

/** 1-D transposed convolution of [N, C, L] or [C, L] input with a [C, OC/groups, K] weight. */
export function convTranspose1d(
  x: Tensor,
  weight: Tensor,
  bias?: Tensor | null,
  options: ConvTransposeOptions = {},
): Tensor {
  checkDtypes('convTranspose1d', [x, weight, bias]);
  if (weight.ndim !== 3)
    throw new ShapeError(`convTranspose1d: expected a 3-D weight, got shape ${fmtShape(weight.shape)}`);
  const [x3, restore] = batched('convTranspose1d', x, 1);
  const y = convTransposeNd(
    'convTranspose1d',
    x3.unsqueeze(2),
    weight.unsqueeze(2),
    bias ?? null,
    options,
    1,
    [x, weight],
  );
  return restore(y.squeeze(2));
}
