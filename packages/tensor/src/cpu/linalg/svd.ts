import { type Attrs, registerKernel } from '../../backend.js';
import type { DType } from '../../dtype.js';
import { readMatrices, toTensor } from './batch.js';

const EPS = 2.220446049250313e-16;
const MAX_SWEEPS = 100;

function dot(x: Float64Array, xo: number, y: Float64Array, yo: number, len: number): number {
  let s = 0;
  for (let i = 0; i < len; i++) s += x[xo + i]! * y[yo + i]!;
  return s;
}

/** Rotates rows p and q of `x` (each `len` long): (p, q) ← (c·p − s·q, s·p + c·q). */
function rotate(x: Float64Array, p: number, q: number, len: number, c: number, s: number): void {
  for (let i = 0; i < len; i++) {
    const xp = x[p + i]!;
    const xq = x[q + i]!;
    x[p + i] = c * xp - s * xq;
    x[q + i] = s * xp + c * xq;
  }
}

/**
 * One-sided (Hestenes) Jacobi: orthogonalizes the `count` vectors of length `len` stored as rows
 * of `w` by plane rotations, accumulating them into the rows of `v` (count×count, starts as the
 * identity). Afterwards W = A·V has orthogonal rows whose norms are the singular values, computed
 * to high relative accuracy (unlike eigh of AᵀA, which squares the condition number).
 */
function hestenes(w: Float64Array, v: Float64Array, count: number, len: number): void {
  const norms = new Float64Array(count);
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    // Squared norms are refreshed each sweep and updated in closed form after each rotation
    // (as LAPACK's dgesvj does), so a pair costs one dot product instead of three.
    for (let i = 0; i < count; i++) norms[i] = dot(w, i * len, w, i * len, len);
    let rotated = false;
    for (let p = 0; p < count - 1; p++) {
      for (let q = p + 1; q < count; q++) {
        const alpha = norms[p]!;
        const beta = norms[q]!;
        const gamma = dot(w, p * len, w, q * len, len);
        if (Math.abs(gamma) <= Math.max(EPS * Math.sqrt(alpha * beta), Number.MIN_VALUE)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        rotate(w, p * len, q * len, len, c, s);
        rotate(v, p * count, q * count, count, c, s);
        norms[p] = Math.max(alpha - t * gamma, 0);
        norms[q] = beta + t * gamma;
      }
    }
    if (!rotated) return;
  }
}

/**
 * Fills the rows of `basis` (`rows` vectors of length `len`) marked missing with unit vectors
 * orthogonal to all others, by Gram–Schmidt (twice, for accuracy) on the standard basis.
 */
function completeBasis(basis: Float64Array, have: boolean[], rows: number, len: number): void {
  const cand = new Float64Array(len);
  let next = 0;
  for (let r = 0; r < rows; r++) {
    if (have[r]) continue;
    for (; next < len; next++) {
      cand.fill(0);
      cand[next] = 1;
      for (let pass = 0; pass < 2; pass++) {
        for (let j = 0; j < rows; j++) {
          if (!have[j]) continue;
          const d = dot(basis, j * len, cand, 0, len);
          for (let i = 0; i < len; i++) cand[i]! -= d * basis[j * len + i]!;
        }
      }
      const norm = Math.sqrt(dot(cand, 0, cand, 0, len));
      if (norm > 0.5) {
        for (let i = 0; i < len; i++) basis[r * len + i] = cand[i]! / norm;
        have[r] = true;
        next++;
        break;
      }
    }
  }
}

/**
 * SVD of each matrix: [U, S, Vh] with S descending; `attrs.fullMatrices` makes U m×m and Vh n×n,
 * else U is m×k and Vh k×n (k = min(m, n)). A wide matrix is decomposed through its transpose so
 * the Jacobi vectors are always the long ones.
 */
registerKernel('cpu', 'linalgSvd', ([x], attrs: Attrs) => {
  const dtype = attrs.dtype as DType;
  const full = Boolean(attrs.fullMatrices);
  const mb = readMatrices(x!);
  const { rows: m, cols: n, count } = mb;
  const tall = m >= n;
  const big = Math.max(m, n);
  const k = Math.min(m, n);
  const bigRows = full ? big : k;
  const uCols = full ? m : k;
  const vRows = full ? n : k;
  const U = new Float64Array(count * m * uCols);
  const S = new Float64Array(count * k);
  const Vh = new Float64Array(count * vRows * n);
  const w = new Float64Array(k * big);
  const v = new Float64Array(k * k);
  const bigBasis = new Float64Array(bigRows * big);
  const smallBasis = new Float64Array(k * k);
  const sigma = new Float64Array(k);
  const order = new Array<number>(k);
  for (let b = 0; b < count; b++) {
    const off = b * m * n;
    // Rows of w are the k long vectors: A's columns when tall, A's rows when wide.
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < big; j++)
        w[i * big + j] = tall ? mb.data[off + j * n + i]! : mb.data[off + i * n + j]!;
    }
    v.fill(0);
    for (let i = 0; i < k; i++) v[i * k + i] = 1;
    hestenes(w, v, k, big);
    for (let i = 0; i < k; i++) {
      sigma[i] = Math.sqrt(dot(w, i * big, w, i * big, big));
      order[i] = i;
    }
    order.sort((i, j) => sigma[j]! - sigma[i]!);
    bigBasis.fill(0);
    const have = new Array<boolean>(bigRows).fill(false);
    for (let c = 0; c < k; c++) {
      const src = order[c]!;
      const s = sigma[src]!;
      S[b * k + c] = s;
      if (s > 0) {
        for (let j = 0; j < big; j++) bigBasis[c * big + j] = w[src * big + j]! / s;
        have[c] = true;
      }
      // Row src of v (column src of V) pairs with singular value c.
      for (let j = 0; j < k; j++) smallBasis[c * k + j] = v[src * k + j]!;
    }
    completeBasis(bigBasis, have, bigRows, big);
    // tall: U = big vectors as columns, Vh = small vectors as rows; wide: the other way round.
    const uOff = b * m * uCols;
    const vOff = b * vRows * n;
    const [uSrc, uLen, vSrc, vLen] = tall ? [bigBasis, big, smallBasis, k] : [smallBasis, k, bigBasis, big];
    for (let c = 0; c < uCols; c++) for (let r = 0; r < m; r++) U[uOff + r * uCols + c] = uSrc[c * uLen + r]!;
    for (let r = 0; r < vRows; r++) for (let c = 0; c < n; c++) Vh[vOff + r * n + c] = vSrc[r * vLen + c]!;
  }
  return [
    toTensor(U, [...mb.batch, m, uCols], dtype),
    toTensor(S, [...mb.batch, k], dtype),
    toTensor(Vh, [...mb.batch, vRows, n], dtype),
  ];
});
