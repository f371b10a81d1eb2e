import { bernoulli, fmtShape, ShapeError, type Tensor, TorchletError } from '@torchlet/tensor';

function checkP(op: string, p: number): void {
  if (!(p >= 0 && p <= 1))
    throw new TorchletError(`${op}: dropout probability has to be between 0 and 1, got ${p}`);
}

/** Multiplies `x` by a random mask of `shape` whose kept entries are scaled by 1/(1−p). */
function applyMask(x: Tensor, p: number, shape: readonly number[]): Tensor {
  if (p === 1) return x.mul(0);
  const keep = bernoulli(1 - p, {
    shape,
    dtype: x.dtype === 'float64' ? 'float64' : 'float32',
    device: x.device,
  });
  return x.mul(keep.mul(1 / (1 - p)));
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

/** Drops whole channels: one draw per (sample, channel) of an [N, C, …] or [C, …] input. */
export function dropout2d(x: Tensor, p = 0.5, training = true): Tensor {
  checkP('dropout2d', p);
  if (x.ndim !== 3 && x.ndim !== 4) {
    throw new ShapeError(`dropout2d: expected a 3-D or 4-D input, got shape ${fmtShape(x.shape)}`);
  }
  if (!training || p === 0) return x;
  const keepDims = x.ndim - 2;
  return applyMask(x, p, [...x.shape.slice(0, keepDims), 1, 1]);
}
