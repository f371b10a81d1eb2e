import { allocArray, type TypedArray } from '../dtype.js';
import { copyStrided, type Tensor } from '../tensor.js';

/**
 * A reduction's (or a scan's) input seen as a dense [outer, size, inner] block: element (o, r, i)
 * at `data[offset + (o * size + r) * inner + i]`, reducing over r. Output element (o, i) is at
 * `o * inner + i`, which is the row-major order of the kept dims.
 */
export interface ReduceLayout {
  data: TypedArray;
  offset: number;
  outer: number;
  size: number;
  inner: number;
}

/**
 * Finds a [outer, size, inner] view of `x` reducing `dims` without copying when the memory allows
 * it: a contiguous tensor (or a permutation of one, such as `x.T`) whose reduced dims are adjacent
 * in memory and whose kept dims stay in order. So `sum(x, 0)` of a [N, C] matrix accumulates rows
 * (inner = C) instead of transposing. Otherwise the kept dims, then the reduced dims, are copied
 * into a dense buffer (inner = 1).
 */
export function reduceLayout(x: Tensor, dims: readonly number[]): ReduceLayout {
  const fast = contiguousRunLayout(x, dims);
  if (fast) return fast;
  const size = dims.reduce((n, d) => n * x.shape[d]!, 1);
  const numel = x.numel();
  const outer0 = x.shape.reduce((n, d, i) => (dims.includes(i) ? n : n * d), 1);
  const src = x.storage.data as TypedArray;
  // Size-1 dims do not affect the layout; order the rest by decreasing stride (memory order).
  const live = x.shape.map((_, i) => i).filter((i) => x.shape[i] !== 1);
  const mem = [...live].sort((a, b) => x.strides[b]! - x.strides[a]!);
  let dense = true;
  let expect = 1;
  for (let k = mem.length - 1; k >= 0; k--) {
    if (x.strides[mem[k]!] !== expect) dense = false;
    expect *= x.shape[mem[k]!]!;
  }
  if (dense && numel > 0) {
    const isReduced = mem.map((d) => dims.includes(d));
    const first = isReduced.indexOf(true);
    const last = isReduced.lastIndexOf(true);
    const run = first < 0 || isReduced.slice(first, last + 1).every(Boolean);
    const kept = mem.filter((_, k) => !isReduced[k]);
    const inOrder = kept.every((d, k) => k === 0 || d > kept[k - 1]!);
    if (run && inOrder) {
      const inner = first < 0 ? 1 : mem.slice(last + 1).reduce((n, d) => n * x.shape[d]!, 1);
      return { data: src, offset: x.offset, outer: outer0 / inner, size, inner };
    }
  }
  const kept = x.shape.map((_, i) => i).filter((i) => !dims.includes(i));
  const order = [...kept, ...dims];
  const data = allocArray(x.dtype, numel);
  if (numel > 0) {
    copyStrided(
      src,
      x.offset,
      order.map((d) => x.shape[d]!),
      order.map((d) => x.strides[d]!),
      data,
    );
  }
  return { data, offset: 0, outer: outer0, size, inner: 1 };
}

/** The output shape of reducing `dims` of `shape`. */
export function reducedShape(shape: readonly number[], dims: readonly number[], keepdim: boolean): number[] {
  return keepdim
    ? shape.map((d, i) => (dims.includes(i) ? 1 : d))
    : shape.filter((_, i) => !dims.includes(i));
}

/**
 * The layout of the common case without the general search: a row-major tensor reduced over a
 * run of adjacent dims (`dims` sorted, as `normalizeDims` returns them). Null otherwise.
 */
function contiguousRunLayout(x: Tensor, dims: readonly number[]): ReduceLayout | null {
  const nd = dims.length;
  if (nd === 0 || dims[nd - 1]! - dims[0]! !== nd - 1 || !x.isContiguous()) return null;
  let outer = 1;
  let size = 1;
  let inner = 1;
  for (let i = 0; i < x.shape.length; i++) {
    const d = x.shape[i]!;
    if (i < dims[0]!) outer *= d;
    else if (i <= dims[nd - 1]!) size *= d;
    else inner *= d;
  }
  if (outer * size * inner === 0) return null;
  return { data: x.storage.data as TypedArray, offset: x.offset, outer, size, inner };
}
