import { type DType, promoteTypes } from '../dtype.js';
import type { Tensor } from '../tensor.js';

const CATEGORY: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 2 };

/**
 * `torch.result_type` for tensors: dimensioned tensors promote among themselves; a 0-d tensor
 * (scalars become 0-d tensors) only wins when it is of a higher category (bool < int < float).
 */
export function resultType(tensors: readonly Tensor[]): DType {
  let dim: DType | null = null;
  let zero: DType | null = null;
  for (const t of tensors) {
    if (t.ndim > 0) dim = dim === null ? t.dtype : promoteTypes(dim, t.dtype);
    else zero = zero === null ? t.dtype : promoteTypes(zero, t.dtype);
  }
  if (dim === null) return zero!;
  if (zero === null) return dim;
  return CATEGORY[zero] > CATEGORY[dim] ? zero : dim;
}
