import { record } from '../autograd-hooks.js';
import { run1, runKernel } from '../backend.js';
import { isFloating } from '../dtype.js';
import { DTypeError, fmtShape, ShapeError, TorchletError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import {
  type AxisWindows,
  adaptiveWindows,
  checkOutSize,
  expandArg,
  type SizeArg,
  slidingWindows,
  windowOutSize,
} from './window.js';

/** Options of `maxPool1d` / `maxPool2d` / `maxPool3d`, as PyTorch's keyword arguments. */
export interface MaxPoolOptions {
  kernelSize: SizeArg;
  /** Defaults to `kernelSize`. */
  stride?: SizeArg;
  padding?: SizeArg;
  dilation?: SizeArg;
  ceilMode?: boolean;
  /** Also return the flat index (h·W + w) of each maximum within its plane. */
  returnIndices?: boolean;
}

/** Options of `avgPool1d` / `avgPool2d`. */
export interface AvgPoolOptions {
  kernelSize: SizeArg;
  /** Defaults to `kernelSize`. */
  stride?: SizeArg;
  padding?: SizeArg;
  ceilMode?: boolean;
  /** Count padded zeros in the divisor (default true). */
  countIncludePad?: boolean;
  /** Divide every window by this instead. */
  divisorOverride?: number;
}

/** An adaptive pooling output size: a number, or one per dim where null keeps the input's size. */
export type AdaptiveSize = number | readonly (number | null)[];

/** Pooling windows of the spatial axes, as the kernels take them. */
export interface PoolWindows {
  /** Depth windows: present for 3-D pooling only. */
  d?: AxisWindows;
  h: AxisWindows;
  w: AxisWindows;
  /** Spatial size of the pooled input. */
  inSize: number[];
  divisor?: number;
}

// ----------------------------------------------------------------------------------------------
// Differentiable primitives on [N, C, H, W] (or [N, C, D, H, W] with depth windows) with resolved
// windows. 3-D pooling has its own kernel names, so a device with only 2-D kernels falls back.

/** `…2d…` or `…3d…` by the number of spatial dims. */
const nd = (spatial: number) => (spatial === 3 ? '3d' : '2d');

/** Max pooling with resolved windows (the op `maxPool2d`/`maxPool3d`): values and int32 indices. */
export function maxPoolWindows(x: Tensor, windows: PoolWindows): [Tensor, Tensor] {
  const op = windows.d ? 'maxPool3d' : 'maxPool2d';
  const outs = runKernel(op, [x], { ...windows }) as [Tensor, Tensor];
  return record(op, [x], outs, { ...windows });
}

/**
 * Gradient of max pooling: scatter-adds `grad` to the maxima's positions in an [H, W] plane.
 * `windows`, when known, tells a device kernel which outputs can reach each input (so it can
 * gather instead of scatter); the result does not depend on it.
 */
export function maxPoolBackward(
  grad: Tensor,
  indices: Tensor,
  inSize: readonly number[],
  windows?: PoolWindows,
): Tensor {
  const attrs = { inSize: [...inSize], ...(windows ? { windows } : {}) };
  const kernel = inSize.length === 3 ? 'maxPool3dBackward' : 'maxPoolBackward';
  return record('maxPoolBackward', [grad, indices], run1(kernel, [grad, indices], attrs), attrs);
}

/** The values of `x` at max pooling's `indices` (the adjoint of `maxPoolBackward`). */
export function maxPoolGather(x: Tensor, indices: Tensor): Tensor {
  const kernel = x.ndim === 5 ? 'maxPool3dGather' : 'maxPoolGather';
  return record('maxPoolGather', [x, indices], run1(kernel, [x, indices]));
}

/** Average pooling with resolved windows (the op `avgPool2d`/`avgPool3d`). */
export function avgPoolWindows(x: Tensor, windows: PoolWindows): Tensor {
  const op = `avgPool${nd(windows.inSize.length)}`;
  return record(op, [x], run1(op, [x], { ...windows }), { ...windows });
}

/** Gradient of average pooling: spreads `grad` evenly back over each window. */
export function avgPoolBackward(grad: Tensor, windows: PoolWindows): Tensor {
  const op = `avgPool${nd(windows.inSize.length)}Backward`;
  return record(op, [grad], run1(op, [grad], { ...windows }), { ...windows });
}

// ----------------------------------------------------------------------------------------------
// Public ops.

/**
 * Brings pooling input with `spatial` spatial dims to [N, C, H, W] or [N, C, D, H, W] (height 1
 * for 1-D pooling, a batch of one for unbatched input) and returns the inverse for results.
 */
function toPlanes(op: string, x: Tensor, spatial: number): [Tensor, (y: Tensor) => Tensor] {
  if (!isFloating(x.dtype)) throw new DTypeError(`${op}: expected a floating input, got ${x.dtype}`);
  if (x.ndim !== spatial + 1 && x.ndim !== spatial + 2) {
    throw new ShapeError(
      `${op}: expected ${spatial + 1}-D (unbatched) or ${spatial + 2}-D (batched) input, got shape ${fmtShape(x.shape)}`,
    );
  }
  const unbatched = x.ndim === spatial + 1;
  let x4 = unbatched ? x.unsqueeze(0) : x;
  if (spatial === 1) x4 = x4.unsqueeze(2);
  const restore = (y: Tensor): Tensor => {
    let r = spatial === 1 ? y.squeeze(2) : y;
    if (unbatched) r = r.squeeze(0);
    return r;
  };
  return [x4, restore];
}

interface SlidingArgs {
  kernelSize: SizeArg;
  stride?: SizeArg | undefined;
  padding?: SizeArg | undefined;
  dilation?: SizeArg | undefined;
  ceilMode?: boolean | undefined;
}

/** Windows of a strided pooling over the spatial dims of x4 ([N,C,H,W] or 3-D); 1-D pools add height 1. */
function slidingPoolWindows(
  op: string,
  x4: Tensor,
  args: SlidingArgs,
  spatial: number,
  countIncludePad: boolean,
  shown: Tensor,
): PoolWindows {
  const lift = (v: number[], fill: number) => (spatial === 1 ? [fill, ...v] : v);
  const kernel = lift(expandArg(op, 'kernelSize', args.kernelSize, spatial, 1), 1);
  const stride = lift(expandArg(op, 'stride', args.stride ?? args.kernelSize, spatial, 1), 1);
  const padding = lift(expandArg(op, 'padding', args.padding ?? 0, spatial, 0), 0);
  const dilation = lift(expandArg(op, 'dilation', args.dilation ?? 1, spatial, 1), 1);
  padding.forEach((p, i) => {
    const effective = (kernel[i]! - 1) * dilation[i]! + 1;
    if (2 * p > effective) {
      throw new TorchletError(
        `${op}: padding should be at most half of the effective kernel size, got padding ${p} for kernel ${kernel[i]} and dilation ${dilation[i]}`,
      );
    }
  });
  const inSize = x4.shape.slice(2);
  const out = inSize.map((s, i) =>
    windowOutSize(s, kernel[i]!, stride[i]!, 2 * padding[i]!, dilation[i]!, args.ceilMode ?? false),
  );
  checkOutSize(op, shown.shape, spatial === 1 ? out.slice(1) : out);
  const axes = inSize.map((s, i) =>
    slidingWindows(s, out[i]!, kernel[i]!, stride[i]!, padding[i]!, dilation[i]!, countIncludePad),
  );
  return poolWindows(axes, inSize);
}

/** Per-axis windows as `PoolWindows`: [h, w] or [d, h, w]. */
function poolWindows(axes: AxisWindows[], inSize: number[]): PoolWindows {
  const [h, w] = axes.slice(-2) as [AxisWindows, AxisWindows];
  return axes.length === 3 ? { d: axes[0]!, h, w, inSize } : { h, w, inSize };
}

function maxPool(op: string, x: Tensor, options: MaxPoolOptions, spatial: number): Tensor | [Tensor, Tensor] {
  const [x4, restore] = toPlanes(op, x, spatial);
  const [values, indices] = maxPoolWindows(x4, slidingPoolWindows(op, x4, options, spatial, false, x));
  return options.returnIndices ? [restore(values), restore(indices)] : restore(values);
}

/**
 * 2-D max pooling of [N, C, H, W] or [C, H, W] input, with PyTorch's options; with
 * `returnIndices: true` also the int32 index (h·W + w) of every maximum.
 *
 * @example
 * maxPool2d(x, { kernelSize: 2 }); // [64,32,28,28] → [64,32,14,14]
 */
export function maxPool2d(x: Tensor, options: MaxPoolOptions & { returnIndices: true }): [Tensor, Tensor];
export function maxPool2d(x: Tensor, options: MaxPoolOptions): Tensor;
export function maxPool2d(x: Tensor, options: MaxPoolOptions): Tensor | [Tensor, Tensor] {
  return maxPool('maxPool2d', x, options, 2);
}

/**
 * 3-D max pooling of [N, C, D, H, W] or [C, D, H, W] input; indices are flat `(d·H + h)·W + w`.
 *
 * @example
 * maxPool3d(x, { kernelSize: 2 }); // [2,4,8,8,8] → [2,4,4,4,4]
 */
export function maxPool3d(x: Tensor, options: MaxPoolOptions & { returnIndices: true }): [Tensor, Tensor];
export function maxPool3d(x: Tensor, options: MaxPoolOptions): Tensor;
export function maxPool3d(x: Tensor, options: MaxPoolOptions): Tensor | [Tensor, Tensor] {
  return maxPool('maxPool3d', x, options, 3);
}

/** 1-D max pooling of [N, C, L] or [C, L] input (indices are positions along L). */
export function maxPool1d(x: Tensor, options: MaxPoolOptions & { returnIndices: true }): [Tensor, Tensor];
export function maxPool1d(x: Tensor, options: MaxPoolOptions): Tensor;
export function maxPool1d(x: Tensor, options: MaxPoolOptions): Tensor | [Tensor, Tensor] {
  return maxPool('maxPool1d', x, options, 1);
}

function avgPool(op: string, x: Tensor, options: AvgPoolOptions, spatial: number): Tensor {
  const [x4, restore] = toPlanes(op, x, spatial);
  const windows = slidingPoolWindows(op, x4, options, spatial, options.countIncludePad ?? true, x);
  const d = options.divisorOverride;
  if (d !== undefined) {
    if (d === 0) throw new TorchletError(`${op}: divisorOverride must be nonzero`);
    windows.divisor = d;
  }
  return restore(avgPoolWindows(x4, windows));
}

/**
 * 2-D average pooling of [N, C, H, W] or [C, H, W] input, with PyTorch's options.
 *
 * @example
 * avgPool2d(x, { kernelSize: 3, stride: 1, padding: 1, countIncludePad: false });
 */
export function avgPool2d(x: Tensor, options: AvgPoolOptions): Tensor {
  return avgPool('avgPool2d', x, options, 2);
}

/** 3-D average pooling of [N, C, D, H, W] or [C, D, H, W] input, with PyTorch's options. */
export function avgPool3d(x: Tensor, options: AvgPoolOptions): Tensor {
  return avgPool('avgPool3d', x, options, 3);
}

/** 1-D average pooling of [N, C, L] or [C, L] input. */
export function avgPool1d(x: Tensor, options: AvgPoolOptions): Tensor {
  return avgPool('avgPool1d', x, options, 1);
}

function adaptiveWindowsOf(op: string, x4: Tensor, outputSize: AdaptiveSize, spatial: number): PoolWindows {
  const requested =
    typeof outputSize === 'number' ? new Array<number>(spatial).fill(outputSize) : [...outputSize];
  const inSize = x4.shape.slice(2);
  const spatialIn = spatial === 1 ? inSize.slice(1) : inSize;
  if (requested.length !== spatial || requested.some((s) => s !== null && (!Number.isInteger(s) || s < 1))) {
    throw new TorchletError(
      `${op}: outputSize must be a positive integer or ${spatial} of them (null keeps a size), got ${JSON.stringify(outputSize)}`,
    );
  }
  const out = requested.map((s, i) => s ?? spatialIn[i]!);
  const full = spatial === 1 ? [1, ...out] : out;
  if (inSize.some((s) => s === 0))
    throw new ShapeError(`${op}: input spatial size must be positive, got ${fmtShape(x4.shape)}`);
  return poolWindows(
    inSize.map((s, i) => adaptiveWindows(s, full[i]!)),
    inSize,
  );
}

/**
 * 2-D adaptive average pooling to `outputSize` (each output averages
 * `[floor(i·H/OH), ceil((i+1)·H/OH))`), as PyTorch.
 *
 * @example
 * adaptiveAvgPool2d(x, 1); // global average pooling: [N,C,H,W] → [N,C,1,1]
 */
export function adaptiveAvgPool2d(x: Tensor, outputSize: AdaptiveSize): Tensor {
  const [x4, restore] = toPlanes('adaptiveAvgPool2d', x, 2);
  return restore(avgPoolWindows(x4, adaptiveWindowsOf('adaptiveAvgPool2d', x4, outputSize, 2)));
}

/** 3-D adaptive average pooling of [N, C, D, H, W] or [C, D, H, W] input to `outputSize`. */
export function adaptiveAvgPool3d(x: Tensor, outputSize: AdaptiveSize): Tensor {
  const [x5, restore] = toPlanes('adaptiveAvgPool3d', x, 3);
  return restore(avgPoolWindows(x5, adaptiveWindowsOf('adaptiveAvgPool3d', x5, outputSize, 3)));
}

/** 1-D adaptive average pooling of [N, C, L] or [C, L] input to length `outputSize`. */
export function adaptiveAvgPool1d(x: Tensor, outputSize: AdaptiveSize): Tensor {
  const [x4, restore] = toPlanes('adaptiveAvgPool1d', x, 1);
  return restore(avgPoolWindows(x4, adaptiveWindowsOf('adaptiveAvgPool1d', x4, outputSize, 1)));
}

/** Options of adaptive max pooling. */
export interface AdaptiveMaxPoolOptions {
  returnIndices?: boolean;
}

function adaptiveMaxPool(
  op: string,
  x: Tensor,
  outputSize: AdaptiveSize,
  options: AdaptiveMaxPoolOptions,
  spatial: number,
) {
  const [x4, restore] = toPlanes(op, x, spatial);
  const [values, indices] = maxPoolWindows(x4, adaptiveWindowsOf(op, x4, outputSize, spatial));
  return options.returnIndices ? [restore(values), restore(indices)] : restore(values);
}

/** 2-D adaptive max pooling to `outputSize`; indices on request, as `maxPool2d`. */
export function adaptiveMaxPool2d(
  x: Tensor,
  outputSize: AdaptiveSize,
  options: { returnIndices: true },
): [Tensor, Tensor];
export function adaptiveMaxPool2d(
  x: Tensor,
  outputSize: AdaptiveSize,
  options?: AdaptiveMaxPoolOptions,
): Tensor;
export function adaptiveMaxPool2d(
  x: Tensor,
  outputSize: AdaptiveSize,
  options: AdaptiveMaxPoolOptions = {},
): Tensor | Tensor[] {
  return adaptiveMaxPool('adaptiveMaxPool2d', x, outputSize, options, 2);
}

/** 3-D adaptive max pooling to `outputSize`; indices on request, as `maxPool3d`. */
export function adaptiveMaxPool3d(
  x: Tensor,
  outputSize: AdaptiveSize,
  options: { returnIndices: true },
): [Tensor, Tensor];
export function adaptiveMaxPool3d(
  x: Tensor,
  outputSize: AdaptiveSize,
  options?: AdaptiveMaxPoolOptions,
): Tensor;
export function adaptiveMaxPool3d(
  x: Tensor,
  outputSize: AdaptiveSize,
  options: AdaptiveMaxPoolOptions = {},
): Tensor | Tensor[] {
  return adaptiveMaxPool('adaptiveMaxPool3d', x, outputSize, options, 3);
}

/** 1-D adaptive max pooling to `outputSize`; indices on request. */
export function adaptiveMaxPool1d(
  x: Tensor,
  outputSize: AdaptiveSize,
  options: { returnIndices: true },
): [Tensor, Tensor];
export function adaptiveMaxPool1d(
  x: Tensor,
  outputSize: AdaptiveSize,
  options?: AdaptiveMaxPoolOptions,
): Tensor;
export function adaptiveMaxPool1d(
  x: Tensor,
  outputSize: AdaptiveSize,
  options: AdaptiveMaxPoolOptions = {},
): Tensor | Tensor[] {
  return adaptiveMaxPool('adaptiveMaxPool1d', x, outputSize, options, 1);
}
