import { type Attrs, registerKernel } from '../../backend.js';
import type { DType } from '../../dtype.js';
import { readMatrices, toTensor } from './batch.js';

const EPS = 2.220446049250313e-16;
const MAX_SWEEPS = 100;

/**
 * Cyclic Jacobi eigendecomposition of the symmetric n×n matrix `a` (full storage, destroyed):
 * rotations zero one off-diagonal pair at a time until every pair is negligible relative to its
 * diagonal, which gives eigenvalues to high relative accuracy. `vt` (n×n, row-major) receives the
 * eigenvectors as rows (Vᵀ, so rotations touch contiguous memory); the eigenvalues are left on `a`'s diagonal.
 */
export function jacobiEigen(a: Float64Array, n: number, vt: Float64Array): void {
  vt.fill(0);
  for (let i = 0; i < n; i++) vt[i * n + i] = 1;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        const app = a[p * n + p]!;
        const aqq = a[q * n + q]!;
        if (Math.abs(apq) <= Math.max(EPS * Math.sqrt(Math.abs(app * aqq)), Number.MIN_VALUE)) continue;
        rotated = true;
        const theta = (aqq - app) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        // Rotate rows p and q (contiguous); A stays symmetric, so columns p and q mirror them.
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        a[p * n + p] = app - t * apq;
        a[q * n + q] = aqq + t * apq;
        for (let k = 0; k < n; k++) {
          if (k === p || k === q) continue;
          a[k * n + p] = a[p * n + k]!;
          a[k * n + q] = a[q * n + k]!;
        }
        a[p * n + q] = 0;
        a[q * n + p] = 0;
        for (let k = 0; k < n; k++) {
          const vpk = vt[p * n + k]!;
          const vqk = vt[q * n + k]!;
          vt[p * n + k] = c * vpk - s * vqk;
          vt[q * n + k] = s * vpk + c * vqk;
        }
      }
    }
    if (!rotated) return;
  }
}

/**
 * Eigenvalues (ascending) and eigenvectors (columns) of each symmetric matrix, reading only the
 * triangle named by `attrs.uplo` ('L' by default, as LAPACK and PyTorch).
 */
registerKernel('cpu', 'linalgEigh', ([x], attrs: Attrs) => {
  const dtype = attrs.dtype as DType;
  const upper = attrs.uplo === 'U';
  const mb = readMatrices(x!);
  const n = mb.rows;
  const values = new Float64Array(mb.count * n);
  const vectors = new Float64Array(mb.count * n * n);
  const a = new Float64Array(n * n);
  const v = new Float64Array(n * n);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let b = 0; b < mb.count; b++) {
    const off = b * n * n;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        const e = upper ? mb.data[off + j * n + i]! : mb.data[off + i * n + j]!;
        a[i * n + j] = e;
        a[j * n + i] = e;
      }
    }
    jacobiEigen(a, n, v);
    order.sort((i, j) => a[i * n + i]! - a[j * n + j]!);
    for (let c = 0; c < n; c++) {
      const src = order[c]!;
      values[b * n + c] = a[src * n + src]!;
      for (let r = 0; r < n; r++) vectors[off + r * n + c] = v[src * n + r]!;
    }
    for (let i = 0; i < n; i++) order[i] = i;
  }
  return [toTensor(values, [...mb.batch, n], dtype), toTensor(vectors, x!.shape, dtype)];
});
