import { type DType, promoteTypes, scalarCategory } from '../dtype.js';
import { Tensor, type TensorLike } from '../tensor.js';

const CATEGORY: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 2 };

/**
 * `torch.result_type` for tensors: dimensioned tensors promote among themselves; a 0-d tensor
 * (scalars become 0-d tensors) only wins when it is of a higher category (bool < int < float).
 */
export function resultType(tensors: readonly Tensor[]): DType {
  return resultTypeOf(tensors);
}

/**
 * `torch.result_type` for tensors and JavaScript scalars. A scalar counts as a 0-d tensor of its
 * category's smallest dtype (bool, int32, float32), so it never widens within a category:
 * `float64 + 0.1` stays float64 and `int32 + 2` stays int32, while `int32 + 0.5` is float32.
 */
export function resultTypeOf(values: readonly TensorLike[]): DType {
  let dim: DType | null = null;
  let zero: DType | null = null;
  for (const v of values) {
    const dtype = v instanceof Tensor ? v.dtype : scalarCategory(v);
    if (v instanceof Tensor && v.ndim > 0) dim = dim === null ? dtype : promoteTypes(dim, dtype);
    else zero = zero === null ? dtype : promoteTypes(zero, dtype);
  }
  if (dim === null) return zero ?? 'float32';
  if (zero === null) return dim;
  return CATEGORY[zero] > CATEGORY[dim] ? zero : dim;
}
