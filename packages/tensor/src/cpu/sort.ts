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
 * Whether position `i` (key `ki`) comes before position `j` (key `kj`) in the stable ascending
 * order of {@link sortOrder}: NaN keys last, ties by position.
 */
function precedes(ki: number, i: number, kj: number, j: number): boolean {
  if (ki !== ki) return kj !== kj && i < j;
  if (kj !== kj) return true;
  return ki < kj || (ki === kj && i < j);
}

/** Moves `heap[at]` down the max-heap (by {@link precedes}) of `size` positions. */
function siftDown(keys: Float64Array, heap: Int32Array, size: number, at: number): void {
  const v = heap[at]!;
  const kv = keys[v]!;
  let i = at;
  for (;;) {
    let c = 2 * i + 1;
    if (c >= size) break;
    const r = c + 1;
    if (r < size && precedes(keys[heap[c]!]!, heap[c]!, keys[heap[r]!]!, heap[r]!)) c = r;
    if (!precedes(kv, v, keys[heap[c]!]!, heap[c]!)) break;
    heap[i] = heap[c]!;
    i = c;
  }
  heap[i] = v;
}

/**
 * The first `k` positions of {@link sortOrder}'s permutation, in order, from a max-heap of the
 * best `k` seen (O(n log k) instead of a full sort). Descending takes the NaNs first (they lead
 * that order) and then selects ascending over negated keys, as `sortOrder` does.
 */
function selectOrder(keys: Float64Array, n: number, k: number, descending: boolean, order: Int32Array): void {
  if (descending) {
    let w = 0;
    for (let i = 0; i < n && w < k; i++) if (keys[i]! !== keys[i]!) order[w++] = i;
    if (w === k) return;
    for (let i = 0; i < n; i++) keys[i] = -keys[i]!;
    heapSelect(keys, n, k - w, order, w);
    return;
  }
  heapSelect(keys, n, k, order, 0);
}

/** Writes the `k` first positions of the stable ascending order (NaN last) to `order[at..]`. */
function heapSelect(keys: Float64Array, n: number, k: number, order: Int32Array, at: number): void {
  const heap = order.subarray(at, at + k);
  let size = 0;
  for (let i = 0; i < n; i++) {
    const ki = keys[i]!;
    if (size < k) {
      // Sift up.
      let c = size++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!precedes(keys[heap[p]!]!, heap[p]!, ki, i)) break;
        heap[c] = heap[p]!;
        c = p;
      }
      heap[c] = i;
    } else if (k > 0) {
      // Positions only grow, so a tie with the current worst loses; most elements fail the first test.
      const kw = keys[heap[0]!]!;
      if (!(ki < kw) && !(kw !== kw && ki === ki)) continue;
      heap[0] = i;
      siftDown(keys, heap, k, 0);
    }
  }
  // Heap sort in place: repeatedly move the worst to the end.
  for (let end = size - 1; end > 0; end--) {
    const top = heap[0]!;
    heap[0] = heap[end]!;
    heap[end] = top;
    siftDown(keys, heap, end, 0);
  }
}

/**
 * int32 indices that sort `x` along `attrs.dim` (stable), keeping the first `attrs.k` of each
 * row when given (topk). Rows are copied to a float64 scratch buffer, sorted (or, for a small
 * `k`, partially selected), and written back along the dim's stride in the output.
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
  const descending = attrs.descending === true;
  // A heap of k beats sorting the row while k·log k stays well under n·log n.
  const partial = k < n && k * 8 <= n;
  const order = new Int32Array(partial ? k : n);
  const tmp = new Int32Array(partial ? 0 : n);
  const sortRow = (xo: number, oo: number): void => {
    for (let j = 0; j < n; j++) keys[j] = xd[xo + j * xStep]!;
    if (partial) selectOrder(keys, n, k, descending, order);
    else sortOrder(keys, n, descending, order, tmp);
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
