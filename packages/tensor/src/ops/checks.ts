import { isFloating } from '../dtype.js';
import { DTypeError, fmtShape, IndexError } from '../errors.js';
import type { Tensor } from '../tensor.js';

// Input checks shared by reductions and norms. Internal: not re-exported from the package.

/** Throws unless `x` is float32 or float64. */
export function checkFloating(op: string, x: Tensor): void {
  if (!isFloating(x.dtype)) {
    throw new DTypeError(`${op}: expected a floating tensor (float32 or float64), got ${x.dtype}`);
  }
}

/** Throws for bool tensors (ops that order values). */
export function checkNotBool(op: string, x: Tensor): void {
  if (x.dtype === 'bool') throw new DTypeError(`${op}: not implemented for bool tensors`);
}

/** Throws when one of `dims` is empty: a max, min or ∞-norm of nothing has no value. */
export function checkNonEmpty(op: string, x: Tensor, dims: readonly number[]): void {
  for (const d of dims) {
    if (x.shape[d] === 0)
      throw new IndexError(
        `${op}: cannot reduce over dim ${d} of size 0 in a tensor of shape ${fmtShape(x.shape)}`,
      );
  }
}
