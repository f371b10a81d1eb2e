import { isFloating } from '../../dtype.js';
import { DTypeError, fmtShape, ShapeError } from '../../errors.js';
import type { Tensor } from '../../tensor.js';

/**
 * Checks that `x` is a floating batch of matrices `[..., M, N]` (square when `square`), with the
 * messages PyTorch gives. Decompositions are defined for float32 and float64 only.
 */
export function checkMatrices(op: string, x: Tensor, square: boolean, name = 'A'): void {
  if (!isFloating(x.dtype)) {
    throw new DTypeError(`${op}: expected a floating point tensor as input, got ${x.dtype}`);
  }
  if (x.ndim < 2) {
    throw new ShapeError(
      `${op}: the input tensor ${name} must have at least 2 dimensions, got shape ${fmtShape(x.shape)}`,
    );
  }
  const m = x.shape[x.ndim - 2]!;
  const n = x.shape[x.ndim - 1]!;
  if (square && m !== n) {
    throw new ShapeError(
      `${op}: ${name} must be batches of square matrices, but they are ${m} by ${n} matrices (shape ${fmtShape(x.shape)})`,
    );
  }
}
