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

/** Ascending order with NaN after everything (PyTorch's), ties by position so the sort is stable. */
function ascending(v: Float64Array) {
  return (a: number, b: number): number => {
    const x = v[a]!;
    const y = v[b]!;
    if (x < y) return -1;
    if (x > y) return 1;
    const nx = x !== x;
    const ny = y !== y;
    if (nx !== ny) return nx ? 1 : -1;
    return a - b;
  };
}

/** Descending order with NaN first, ties by position. */
function descending(v: Float64Array) {
  return (a: number, b: number): number => {
    const x = v[a]!;
    const y = v[b]!;
    if (x > y) return -1;
    if (x < y) return 1;
    const nx = x !== x;
    const ny = y !== y;
    if (nx !== ny) return nx ? -1 : 1;
    return a - b;
  };
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
  const values = new Float64Array(n);
  const order = Array.from({ length: n }, (_, i) => i);
  const cmp = attrs.descending ? descending(values) : ascending(values);
  const sortRow = (xo: number, oo: number): void => {
    for (let j = 0; j < n; j++) {
      values[j] = xd[xo + j * xStep]!;
      order[j] = j;
    }
    order.sort(cmp);
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
  const order = Array.from({ length: values.length }, (_, i) => i);
  order.sort(ascending(Float64Array.from(values)));
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
