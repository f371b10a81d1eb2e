import { type Attrs, registerKernel } from '../../backend.js';
import type { DType } from '../../dtype.js';
import { batchError, readMatrices, toTensor } from './batch.js';

/**
 * Cholesky factor L (lower, A = L·Lᵀ) of each matrix, reading only A's lower triangle as LAPACK
 * does; `attrs.upper` returns U = Lᵀ instead.
 */
registerKernel('cpu', 'linalgCholesky', ([x], attrs: Attrs) => {
  const m = readMatrices(x!);
  const n = m.rows;
  const out = new Float64Array(m.data.length);
  for (let b = 0; b < m.count; b++) {
    const off = b * n * n;
    const a = m.data;
    for (let j = 0; j < n; j++) {
      let d = a[off + j * n + j]!;
      for (let p = 0; p < j; p++) d -= out[off + j * n + p]! ** 2;
      if (!(d > 0)) {
        throw batchError(
          'linalg.cholesky',
          m.batch.length > 0,
          b,
          `the factorization could not be completed because the input is not positive-definite (the leading minor of order ${j + 1} is not positive-definite)`,
        );
      }
      const ljj = Math.sqrt(d);
      out[off + j * n + j] = ljj;
      for (let i = j + 1; i < n; i++) {
        let s = a[off + i * n + j]!;
        for (let p = 0; p < j; p++) s -= out[off + i * n + p]! * out[off + j * n + p]!;
        out[off + i * n + j] = s / ljj;
      }
    }
    if (attrs.upper) {
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < i; j++) {
          out[off + j * n + i] = out[off + i * n + j]!;
          out[off + i * n + j] = 0;
        }
      }
    }
  }
  return toTensor(out, x!.shape, attrs.dtype as DType);
});
