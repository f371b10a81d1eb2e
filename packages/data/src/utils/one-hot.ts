import { allocArray, type DType, IndexError, type Tensor, TorchletError } from '@torchlet/tensor';
import { wrapArray } from '../tensor-data.js';

/**
 * One-hot encodes integer labels: `[N]` → `[N, numClasses]` (any shape gains a last dim).
 * float32 by default, ready to use as regression targets (PyTorch's `one_hot` gives int64: pass
 * `{ dtype: 'int32' }` for integers).
 *
 * @example oneHot(tensor([0, 2], { dtype: 'int32' }), 3) // [[1,0,0],[0,0,1]]
 */
export function oneHot(labels: Tensor, numClasses?: number, options: { dtype?: DType } = {}): Tensor {
  const values = labels.dataSync();
  const k = numClasses ?? (values.length === 0 ? 0 : Math.max(...values) + 1);
  if (!Number.isInteger(k) || k <= 0)
    throw new TorchletError(`oneHot: numClasses must be a positive integer, got ${k}`);
  const dtype = options.dtype ?? 'float32';
  const out = allocArray(dtype, values.length * k);
  values.forEach((v, i) => {
    if (!Number.isInteger(v) || v < 0 || v >= k) {
      throw new IndexError(`oneHot: label ${v} at index ${i} is not in [0, ${k})`);
    }
    out[i * k + v] = 1;
  });
  return wrapArray(out, [...labels.shape, k], dtype);
}
