import { type Attrs, registerKernel } from '../../backend.js';
import type { DType } from '../../dtype.js';
import { readMatrices, toTensor } from './batch.js';

/**
 * Applies H = I − τ·v·vᵀ to rows `r0..r1` and columns `c0..c1` of the row-major matrix `x`
 * (`xCols` wide), where v (first entry 1 implied) is stored below row `r0` in column `vCol` of
 * `v`. Works row by row (w = vᵀX, then X −= τ·v·w) so every inner loop is contiguous.
 */
function applyReflector(
  x: Float64Array,
  xOff: number,
  xCols: number,
  r0: number,
  r1: number,
  c0: number,
  c1: number,
  v: Float64Array,
  vOff: number,
  vCols: number,
  vCol: number,
  tau: number,
  w: Float64Array,
): void {
  for (let c = c0; c < c1; c++) w[c] = x[xOff + r0 * xCols + c]!;
  for (let i = r0 + 1; i < r1; i++) {
    const vi = v[vOff + i * vCols + vCol]!;
    if (vi === 0) continue;
    const row = xOff + i * xCols;
    for (let c = c0; c < c1; c++) w[c]! += vi * x[row + c]!;
  }
  for (let c = c0; c < c1; c++) x[xOff + r0 * xCols + c]! -= tau * w[c]!;
  for (let i = r0 + 1; i < r1; i++) {
    const f = tau * v[vOff + i * vCols + vCol]!;
    if (f === 0) continue;
    const row = xOff + i * xCols;
    for (let c = c0; c < c1; c++) x[row + c]! -= f * w[c]!;
  }
}

/**
 * Householder QR of the m×n matrix at `a[off..]`, in place: R on and above the diagonal, the
 * reflector vectors (unit first entry implied) below it, their scales in `tau`. Reflectors follow
 * LAPACK's dlarfg (β = −sign(α)·‖x‖), so Q and R carry the same signs as PyTorch's.
 */
export function householderInPlace(
  a: Float64Array,
  off: number,
  m: number,
  n: number,
  tau: Float64Array,
): void {
  const k = Math.min(m, n);
  const work = new Float64Array(n);
  for (let j = 0; j < k; j++) {
    let xnorm2 = 0;
    for (let i = j + 1; i < m; i++) xnorm2 += a[off + i * n + j]! ** 2;
    const alpha = a[off + j * n + j]!;
    if (xnorm2 === 0) {
      tau[j] = 0;
      continue;
    }
    const norm = Math.hypot(alpha, Math.sqrt(xnorm2));
    const beta = alpha >= 0 ? -norm : norm;
    tau[j] = (beta - alpha) / beta;
    const scale = 1 / (alpha - beta);
    for (let i = j + 1; i < m; i++) a[off + i * n + j]! *= scale;
    a[off + j * n + j] = beta;
    applyReflector(a, off, n, j, m, j + 1, n, a, off, n, j, tau[j]!, work);
  }
}

/**
 * Writes the first `cols` columns of Q = H₀·H₁·…·H_{k−1} (m×cols, row-major) into `q[qOff..]`,
 * applying the reflectors to the identity from the last to the first.
 */
export function formQ(
  a: Float64Array,
  off: number,
  m: number,
  n: number,
  tau: Float64Array,
  q: Float64Array,
  qOff: number,
  cols: number,
): void {
  for (let i = 0; i < Math.min(m, cols); i++) q[qOff + i * cols + i] = 1;
  const work = new Float64Array(cols);
  for (let j = Math.min(m, n) - 1; j >= 0; j--) {
    if (tau[j] !== 0) applyReflector(q, qOff, cols, j, m, j, cols, a, off, n, j, tau[j]!, work);
  }
}

/** QR of each matrix; `attrs.mode` is 'reduced' (Q m×k, R k×n), 'complete' (Q m×m, R m×n) or 'r'. */
registerKernel('cpu', 'linalgQr', ([x], attrs: Attrs) => {
  const mode = attrs.mode as 'reduced' | 'complete' | 'r';
  const dtype = attrs.dtype as DType;
  const mb = readMatrices(x!);
  const { rows: m, cols: n } = mb;
  const k = Math.min(m, n);
  const qCols = mode === 'complete' ? m : k;
  const rRows = mode === 'complete' ? m : k;
  const q = new Float64Array(mode === 'r' ? 0 : mb.count * m * qCols);
  const r = new Float64Array(mb.count * rRows * n);
  const tau = new Float64Array(k);
  for (let b = 0; b < mb.count; b++) {
    const off = b * m * n;
    householderInPlace(mb.data, off, m, n, tau);
    const rOff = b * rRows * n;
    for (let i = 0; i < Math.min(rRows, m); i++) {
      for (let j = i; j < n; j++) r[rOff + i * n + j] = mb.data[off + i * n + j]!;
    }
    if (mode !== 'r') formQ(mb.data, off, m, n, tau, q, b * m * qCols, qCols);
  }
  return [
    toTensor(q, mode === 'r' ? [0] : [...mb.batch, m, qCols], dtype),
    toTensor(r, [...mb.batch, rRows, n], dtype),
  ];
});
