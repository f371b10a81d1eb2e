import { bernoulli, type DType, fmtShape, ShapeError, type Tensor, TorchletError } from '@torchlet/tensor';

function checkP(op: string, p: number): void {
  if (!(p >= 0 && p <= 1))
    throw new TorchletError(`${op}: dropout probability has to be between 0 and 1, got ${p}`);
}

/** A 0/1 keep mask of `shape` (each entry kept with probability 1 − p) in x's float dtype. */
function keepMask(x: Tensor, p: number, shape: readonly number[]): Tensor {
  const dtype: DType = x.dtype === 'float64' ? 'float64' : 'float32';
  return bernoulli(1 - p, { shape, dtype, device: x.device });
}

/** Multiplies `x` by a random mask of `shape` whose kept entries are scaled by 1/(1−p). */
function applyMask(x: Tensor, p: number, shape: readonly number[]): Tensor {
  if (p === 1) return x.mul(0);
  return x.mul(keepMask(x, p, shape).mul(1 / (1 - p)));
}

/** The mask shape of channel-wise dropout: one draw per (sample, channel), shared over `spatial` dims. */
function featureShape(op: string, x: Tensor, spatial: number): number[] {
  if (x.ndim !== spatial + 1 && x.ndim !== spatial + 2) {
    throw new ShapeError(
      `${op}: expected a ${spatial + 1}-D or ${spatial + 2}-D input, got shape ${fmtShape(x.shape)}`,
    );
  }
  return [...x.shape.slice(0, x.ndim - spatial), ...new Array<number>(spatial).fill(1)];
}

/**
 * Inverted dropout: in training, zeroes each element with probability `p` and scales the
 * survivors by 1/(1−p) so the expected value is unchanged; outside training, returns `x`.
 */
export function dropout(x: Tensor, p = 0.5, training = true): Tensor {
  checkP('dropout', p);
  if (!training || p === 0) return x;
  return applyMask(x, p, x.shape);
}

function featureDropout(op: string, x: Tensor, p: number, training: boolean, spatial: number): Tensor {
  checkP(op, p);
  const shape = featureShape(op, x, spatial);
  if (!training || p === 0) return x;
  return applyMask(x, p, shape);
}

/** Drops whole channels of an [N, C, L] or [C, L] input: one draw per (sample, channel). */
export function dropout1d(x: Tensor, p = 0.5, training = true): Tensor {
  return featureDropout('dropout1d', x, p, training, 1);
}

let warnedDropout2d3d = false;

/**
 * Drops whole channels: one draw per (sample, channel) of an [N, C, H, W] input. A 3-D input is
 * taken as [N, C, L] (one draw per (N, C)), as PyTorch does, with PyTorch's warning: use
 * `dropout1d` for that, or add a batch dim to an unbatched [C, H, W] image.
 */
export function dropout2d(x: Tensor, p = 0.5, training = true): Tensor {
  if (x.ndim !== 3) return featureDropout('dropout2d', x, p, training, 2);
  if (!warnedDropout2d3d) {
    warnedDropout2d3d = true;
    console.warn(
      'dropout2d: received a 3-D input; as PyTorch, it is taken as [N, C, L] (channel-wise 1-D dropout). Use dropout1d for that, or unsqueeze(0) an unbatched [C, H, W] input.',
    );
  }
  return featureDropout('dropout2d', x, p, training, 1);
}

/** Drops whole channels of an [N, C, D, H, W] or [C, D, H, W] input. */
export function dropout3d(x: Tensor, p = 0.5, training = true): Tensor {
  return featureDropout('dropout3d', x, p, training, 3);
}

/** −SELU's α·scale: the value SELU saturates to, which alpha dropout drops to. */
const ALPHA_PRIME = 1.7580993408473766;

/**
 * Sets dropped entries to SELU's saturation value, then applies the affine map a·x + b that keeps
 * zero mean and unit variance (PyTorch's constants).
 */
function alphaMask(x: Tensor, p: number, shape: readonly number[]): Tensor {
  if (p === 1) return x.mul(0);
  const a = 1 / Math.sqrt((ALPHA_PRIME * ALPHA_PRIME * p + 1) * (1 - p));
  const keep = keepMask(x, p, shape);
  const b = keep
    .sub(1)
    .mul(ALPHA_PRIME * a)
    .add(ALPHA_PRIME * a * p);
  return x.mul(keep.mul(a)).add(b);
}

/**
 * Dropout for self-normalizing (SELU) networks: keeps inputs at zero mean and unit variance; the
 * identity outside training.
 */
export function alphaDropout(x: Tensor, p = 0.5, training = false): Tensor {
  checkP('alphaDropout', p);
  if (!training || p === 0) return x;
  return alphaMask(x, p, x.shape);
}

/** Alpha dropout of whole channels of an [N, C, *] input. */
export function featureAlphaDropout(x: Tensor, p = 0.5, training = false): Tensor {
  checkP('featureAlphaDropout', p);
  if (x.ndim < 2) {
    throw new ShapeError(`featureAlphaDropout: expected at least 2 dims, got shape ${fmtShape(x.shape)}`);
  }
  if (!training || p === 0) return x;
  return alphaMask(x, p, [x.shape[0]!, x.shape[1]!, ...new Array<number>(x.ndim - 2).fill(1)]);
}
