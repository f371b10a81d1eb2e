import { type Attrs, registerKernel } from '../../backend.js';
import type { DType } from '../../dtype.js';
import type { Tensor } from '../../tensor.js';
import { batchError, readMatrices, toTensor } from './batch.js';

/**
 * LU factorization with partial pivoting of the n×n matrix at `a[off..]`, in place (L below the
 * diagonal with unit diagonal implied, U on and above). Row swaps go to `piv`. Returns the sign of
 * the permutation and the index of the first exactly-zero pivot (-1 when there is none).
 */
export function luInPlace(a: Float64Array, off: number, n: number, piv: Int32Array): [number, number] {
  let sign = 1;
  let zeroPivot = -1;
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(a[off + k * n + k]!);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(a[off + i * n + k]!);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    piv[k] = p;
    if (p !== k) {
      sign = -sign;
      const rk = off + k * n;
      const rp = off + p * n;
      for (let j = 0; j < n; j++) {
        const t = a[rk + j]!;
        a[rk + j] = a[rp + j]!;
        a[rp + j] = t;
      }
    }
    const pivot = a[off + k * n + k]!;
    if (pivot === 0) {
      if (zeroPivot < 0) zeroPivot = k;
      continue;
    }
    for (let i = k + 1; i < n; i++) {
      const ri = off + i * n;
      const f = (a[ri + k]! /= pivot);
      if (f === 0) continue;
      const rk = off + k * n;
      for (let j = k + 1; j < n; j++) a[ri + j]! -= f * a[rk + j]!;
    }
  }
  return [sign, zeroPivot];
}

/** Solves (LU)·X = P·B in place in `b` (n×k at `bOff`), given `luInPlace`'s output. */
export function luSolveInPlace(
  lu: Float64Array,
  off: number,
  n: number,
  piv: Int32Array,
  b: Float64Array,
  bOff: number,
  k: number,
): void {
  for (let i = 0; i < n; i++) {
    const p = piv[i]!;
    if (p === i) continue;
    for (let j = 0; j < k; j++) {
      const t = b[bOff + i * k + j]!;
      b[bOff + i * k + j] = b[bOff + p * k + j]!;
      b[bOff + p * k + j] = t;
    }
  }
  for (let i = 1; i < n; i++) {
    for (let r = 0; r < i; r++) {
      const f = lu[off + i * n + r]!;
      if (f === 0) continue;
      for (let j = 0; j < k; j++) b[bOff + i * k + j]! -= f * b[bOff + r * k + j]!;
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let r = i + 1; r < n; r++) {
      const f = lu[off + i * n + r]!;
      if (f === 0) continue;
      for (let j = 0; j < k; j++) b[bOff + i * k + j]! -= f * b[bOff + r * k + j]!;
    }
    const d = lu[off + i * n + i]!;
    for (let j = 0; j < k; j++) b[bOff + i * k + j]! /= d;
  }
}

function singular(op: string, batched: boolean, b: number, k: number): Error {
  return batchError(
    op,
    batched,
    b,
    `the diagonal element ${k + 1} is zero, the ${op === 'linalg.inv' ? 'inversion' : 'solve'} could not be completed because the input matrix is singular`,
  );
}

/** Signs and log|det| of each matrix of the batch, from its LU factorization. */
function slogdets(x: Tensor): { sign: Float64Array; logabs: Float64Array; batch: number[] } {
  const m = readMatrices(x);
  const n = m.rows;
  const sign = new Float64Array(m.count);
  const logabs = new Float64Array(m.count);
  const piv = new Int32Array(n);
  for (let b = 0; b < m.count; b++) {
    const off = b * n * n;
    let [s, zero] = luInPlace(m.data, off, n, piv);
    if (zero >= 0) {
      sign[b] = 0;
      logabs[b] = Number.NEGATIVE_INFINITY;
      continue;
    }
    let l = 0;
    for (let i = 0; i < n; i++) {
      const d = m.data[off + i * n + i]!;
      if (d < 0) s = -s;
      l += Math.log(Math.abs(d));
    }
    sign[b] = s;
    logabs[b] = l;
  }
  return { sign, logabs, batch: m.batch };
}

registerKernel('cpu', 'linalgDet', ([x], attrs: Attrs) => {
  const { sign, logabs, batch } = slogdets(x!);
  const det = new Float64Array(sign.length);
  for (let b = 0; b < det.length; b++) det[b] = sign[b]! * Math.exp(logabs[b]!);
  return toTensor(det, batch, attrs.dtype as DType);
});

registerKernel('cpu', 'linalgSlogdet', ([x], attrs: Attrs) => {
  const { sign, logabs, batch } = slogdets(x!);
  const dtype = attrs.dtype as DType;
  return [toTensor(sign, batch, dtype), toTensor(logabs, batch, dtype)];
});

/**
 * Solves A·X = B for batches of equal batch shape (the op broadcasts first): A `[..., n, n]`,
 * B `[..., n, k]`. With `attrs.identity`, B is the identity and X is A⁻¹.
 */
registerKernel('cpu', 'linalgSolve', (inputs, attrs: Attrs) => {
  const op = attrs.op as string;
  const a = readMatrices(inputs[0]!);
  const n = a.rows;
  const k = attrs.identity ? n : inputs[1]!.shape[inputs[1]!.ndim - 1]!;
  let bData: Float64Array;
  if (attrs.identity) {
    bData = new Float64Array(a.count * n * n);
    for (let b = 0; b < a.count; b++) for (let i = 0; i < n; i++) bData[b * n * n + i * n + i] = 1;
  } else bData = readMatrices(inputs[1]!).data;
  const piv = new Int32Array(n);
  for (let b = 0; b < a.count; b++) {
    const [, zero] = luInPlace(a.data, b * n * n, n, piv);
    if (zero >= 0) throw singular(op, a.batch.length > 0, b, zero);
    luSolveInPlace(a.data, b * n * n, n, piv, bData, b * n * k, k);
  }
  return toTensor(bData, [...a.batch, n, k], attrs.dtype as DType);
});
