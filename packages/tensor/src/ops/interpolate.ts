import { record } from '../autograd-hooks.js';
import { type Attrs, run1 } from '../backend.js';
import { isFloating } from '../dtype.js';
import { DTypeError, fmtShape, ShapeError, TorchletError } from '../errors.js';
import type { Tensor } from '../tensor.js';

/** Resampling modes: 'nearest' (ATen's legacy floor rule), 'nearest-exact', 'linear' (3-D), 'bilinear' (4-D). */
export type InterpolateMode = 'nearest' | 'nearest-exact' | 'linear' | 'bilinear';

/** Options of `interpolate` (`F.interpolate`): give exactly one of `size` and `scaleFactor`. */
export interface InterpolateOptions {
  /** Output spatial size (one number for every spatial dim, or one per dim). */
  size?: number | readonly number[];
  /** Multiplier of the input's spatial size (output = floor(input · scale)). */
  scaleFactor?: number | readonly number[];
  /** Default 'nearest'. */
  mode?: InterpolateMode;
  /** Linear modes only: align the corner pixels' centres instead of their edges (default false). */
  alignCorners?: boolean;
  /** Compute the index mapping from the output size instead of the given `scaleFactor`. */
  recomputeScaleFactor?: boolean;
}

function perDim(op: string, name: string, v: number | readonly number[], spatial: number): number[] {
  const list = typeof v === 'number' ? new Array<number>(spatial).fill(v) : [...v];
  if (list.length !== spatial) {
    throw new ShapeError(
      `${op}: ${name} must have ${spatial} entries for ${spatial} spatial dim(s), got [${list}]`,
    );
  }
  return list;
}

/**
 * Resizes the spatial dims of `[N, C, W]` or `[N, C, H, W]` input, with PyTorch's index math
 * (`F.interpolate`): nearest takes `floor(dst · in/out)`, linear modes weight the two
 * neighbours of `(dst + 0.5) · in/out − 0.5` (or `dst · (in−1)/(out−1)` with `alignCorners`).
 * @example interpolate(x, { scaleFactor: 2, mode: 'bilinear' }); // [N,C,H,W] → [N,C,2H,2W]
 */
export function interpolate(x: Tensor, options: InterpolateOptions): Tensor {
  const op = 'interpolate';
  const mode = options.mode ?? 'nearest';
  if (!['nearest', 'nearest-exact', 'linear', 'bilinear'].includes(mode)) {
    throw new TorchletError(
      `${op}: unknown mode '${mode}' (expected nearest, nearest-exact, linear or bilinear)`,
    );
  }
  if (x.ndim !== 3 && x.ndim !== 4) {
    throw new ShapeError(
      `${op}: expected 3-D [N,C,W] or 4-D [N,C,H,W] input, got shape ${fmtShape(x.shape)}`,
    );
  }
  if ((mode === 'linear' && x.ndim !== 3) || (mode === 'bilinear' && x.ndim !== 4)) {
    throw new ShapeError(
      `${op}: got ${x.ndim}D input, but ${mode} mode needs ${mode === 'linear' ? 3 : 4}D input`,
    );
  }
  const linear = mode === 'linear' || mode === 'bilinear';
  if (options.alignCorners !== undefined && !linear) {
    throw new TorchletError(
      `${op}: alignCorners can only be set with the interpolating modes linear and bilinear`,
    );
  }
  if (linear && !isFloating(x.dtype)) {
    throw new DTypeError(`${op}: ${mode} mode needs a floating input, got ${x.dtype}`);
  }
  if ((options.size === undefined) === (options.scaleFactor === undefined)) {
    throw new TorchletError(`${op}: exactly one of size or scaleFactor must be given`);
  }
  const spatial = x.ndim - 2;
  const inSpatial = x.shape.slice(2);
  let outSpatial: number[];
  let scales: (number | undefined)[] = new Array(spatial).fill(undefined);
  if (options.size !== undefined) outSpatial = perDim(op, 'size', options.size, spatial);
  else {
    const factors = perDim(op, 'scaleFactor', options.scaleFactor!, spatial);
    outSpatial = inSpatial.map((s, i) => Math.floor(s * factors[i]!));
    if (!options.recomputeScaleFactor) scales = factors;
  }
  for (const s of outSpatial) {
    if (!Number.isInteger(s) || s <= 0) {
      throw new ShapeError(
        `${op}: output size must be positive integers, got [${outSpatial}] for input ${fmtShape(x.shape)}`,
      );
    }
  }
  const attrs = {
    mode,
    alignCorners: options.alignCorners ?? false,
    scales,
    inputSize: [...x.shape],
    outputSize: [x.shape[0]!, x.shape[1]!, ...outSpatial],
    dtype: x.dtype,
  };
  return interpolateForward(x, attrs);
}

/** Resampling with the attributes `interpolate` resolved (mode, sizes, scales); for gradient rules. */
export function interpolateForward(x: Tensor, attrs: Attrs): Tensor {
  const a = { ...attrs, dtype: x.dtype };
  return record('interpolate', [x], run1('interpolate', [x], a), a);
}

/**
 * The adjoint of {@link interpolate} with the same `attrs`: spreads `grad` (the output's shape)
 * back onto the input's shape. Used by the gradient rule; linear in `grad`, so it is recorded too.
 */
export function interpolateBackward(grad: Tensor, attrs: Attrs): Tensor {
  const a = { ...attrs, dtype: grad.dtype };
  return record('interpolateBackward', [grad], run1('interpolateBackward', [grad], a), a);
}
