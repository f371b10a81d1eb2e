import { type Attrs, registerKernel } from '../backend.js';
import { allocArray, type TypedArray } from '../dtype.js';
import { contiguousStrides, numelOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { wrapCpu } from './backend.js';
import { forEachRow } from './iter.js';

/**
 * Sorting kernels. `argsort` is the only one that orders: `sort` and `topk` gather their values
 * with the indices it returns, so their gradients come from `gather`'s rule.
 */

/** Stable top-down merge sort of `a[lo..hi)` by `keys[a[i]]`, insertion-sorting short runs. */
function mergeSort(keys: Float64Array, a: Int32Array, tmp: Int32Array, lo: number, hi: number): void {
  if (hi - lo <= 16) {
    for (let i = lo + 1; i < hi; i++) {
      const v = a[i]!;
      const kv = keys[v]!;
      let j = i - 1;
      while (j >= lo && keys[a[j]!]! > kv) {
        a[j + 1] = a[j]!;
        j--;
      }
      a[j + 1] = v;
    }
    return;
  }
  const mid = (lo + hi) >>> 1;
  mergeSort(keys, a, tmp, lo, mid);
  mergeSort(keys, a, tmp, mid, hi);
  if (keys[a[mid - 1]!]! <= keys[a[mid]!]!) return;
  let i = lo;
  let j = mid;
  let k = lo;
  while (i < mid && j < hi) tmp[k++] = keys[a[j]!]! < keys[a[i]!]! ? a[j++]! : a[i++]!;
  while (i < mid) tmp[k++] = a[i++]!;
  while (j < hi) tmp[k++] = a[j++]!;
  a.set(tmp.subarray(lo, hi), lo);
}

/**
 * Fills `order[0..n)` with the stable sorting permutation of `keys[0..n)`: ascending with NaN
 * last, or descending with NaN first (PyTorch's order); equal keys keep their positions' order.
 * Keys are negated in place for descending, so a single ascending sort serves both.
 */
function sortOrder(
  keys: Float64Array,
  n: number,
  descending: boolean,
  order: Int32Array,
  tmp: Int32Array,
): void {
  let nans = 0;
  for (let i = 0; i < n; i++) if (keys[i]! !== keys[i]!) nans++;
  // NaNs go to their end first, in position order; the rest is then merge-sorted.
  let w = descending ? nans : 0;
  let z = descending ? 0 : n - nans;
  for (let i = 0; i < n; i++) {
    if (keys[i]! !== keys[i]!) order[z++] = i;
    else {
      if (descending) keys[i] = -keys[i]!;
      order[w++] = i;
    }
  }
  const lo = descending ? nans : 0;
  mergeSort(keys, order, tmp, lo, lo + n - nans);
}

/**
 * int32 indices that sort `x` along `attrs.dim` (stable), keeping the first `attrs.k` of each
 * row when given (topk). Rows are copied to a float64 scratch buffer, sorted, and written back
 * along the dim's stride in the output.
 */
function argsortKernel([x]: readonly Tensor[], attrs: Attrs): Tensor {
  const dim = attrs.dim as number;
  const n = x!.shape[dim]!;
  const k = (attrs.k as number | undefined) ?? n;
  const outShape = x!.shape.map((d, i) => (i === dim ? k : d));
  const out = new Int32Array(numelOf(outShape));
  const os = contiguousStrides(outShape);
  const outStep = os[dim]!;
  const xStep = x!.strides[dim]!;
  const rows = x!.shape.map((d, i) => (i === dim ? 1 : d));
  const xd = x!.storage.data as TypedArray;
  const keys = new Float64Array(n);
  const order = new Int32Array(n);
  const tmp = new Int32Array(n);
  const descending = attrs.descending === true;
  const sortRow = (xo: number, oo: number): void => {
    for (let j = 0; j < n; j++) keys[j] = xd[xo + j * xStep]!;
    sortOrder(keys, n, descending, order, tmp);
    for (let j = 0; j < k; j++) out[oo + j * outStep] = order[j]!;
  };
  forEachRow(rows, [x!.strides, os], [x!.offset, 0], (o, count, s) => {
    for (let t = 0; t < count; t++) sortRow(o[0]! + t * s[0]!, o[1]! + t * s[1]!);
  });
  return new Tensor(wrapCpu(out, 'int32'), outShape);
}

/**
 * Sorted distinct values of the flattened input, the index of each input element's value among
 * them (`inverse`, input-shaped), and how often each occurs (`counts`).
 */
function uniqueKernel([x]: readonly Tensor[]): Tensor[] {
  const values = x!.dataSync();
  const order = new Int32Array(values.length);
  sortOrder(Float64Array.from(values), values.length, false, order, new Int32Array(values.length));
  const uniq: number[] = [];
  const counts: number[] = [];
  const inverse = new Int32Array(values.length);
  for (let i = 0; i < order.length; i++) {
    const v = values[order[i]!]!;
    // NaNs never compare equal, so each is its own value, as in PyTorch.
    if (uniq.length === 0 || !(uniq[uniq.length - 1] === v)) {
      uniq.push(v);
      counts.push(0);
    }
    counts[counts.length - 1]!++;
    inverse[order[i]!] = uniq.length - 1;
  }
  const u = allocArray(x!.dtype, uniq.length);
  u.set(uniq);
  return [
    new Tensor(wrapCpu(u, x!.dtype), [uniq.length]),
    new Tensor(wrapCpu(inverse, 'int32'), [...x!.shape]),
    new Tensor(wrapCpu(Int32Array.from(counts), 'int32'), [counts.length]),
  ];
}

/**
 * For each value, the insertion point in the matching row of the sorted sequence (the last dim of
 * `seq`; a 1-D `seq` serves every row): leftmost by default, rightmost with `attrs.right`.
 */
function searchsortedKernel([seq, values]: readonly Tensor[], attrs: Attrs): Tensor {
  const s = seq!.dataSync();
  const v = values!.dataSync();
  const n = seq!.shape[seq!.ndim - 1] ?? 1;
  const inner = values!.ndim === 0 ? 1 : values!.shape[values!.ndim - 1]!;
  const shared = seq!.ndim === 1;
  const right = attrs.right === true;
  const out = new Int32Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const base = shared ? 0 : Math.floor(i / inner) * n;
    const x = v[i]!;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = s[base + mid]!;
      // NaN sorts last, so every number goes before it.
      const before = right ? !(x < m) && m === m : m < x || (m === m && x !== x);
      if (before) lo = mid + 1;
      else hi = mid;
    }
    out[i] = lo;
  }
  return new Tensor(wrapCpu(out, 'int32'), [...values!.shape]);
}

registerKernel('cpu', 'argsort', argsortKernel);
registerKernel('cpu', 'unique', uniqueKernel);
registerKernel('cpu', 'searchsorted', searchsortedKernel);
