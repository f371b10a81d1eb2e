import { run1, runKernel } from '../backend.js';
import { fmtShape, IndexError, ShapeError } from '../errors.js';
import { normalizeDim } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { gather } from './gather-scatter.js';
import { installMethods } from './methods.js';
import { type ValuesIndices, valuesIndices } from './reduce.js';
import { reshape } from './view.js';

/** Options of {@link sort} and {@link argsort}; `descending` may also be passed as a bare boolean. */
export interface SortOptions {
  /** Largest first (default false). */
  descending?: boolean;
  /** Accepted for PyTorch compatibility: the sort is always stable. */
  stable?: boolean;
}

function sortOptions(arg: boolean | SortOptions | undefined): SortOptions {
  return typeof arg === 'boolean' ? { descending: arg } : (arg ?? {});
}

/** int32 indices ordering `x` along `dim` (first `k` only, when given); NaN counts as largest. */
function orderIndices(op: string, x: Tensor, dim: number, descending: boolean, k?: number): [Tensor, number] {
  if (x.ndim === 0) {
    normalizeDim(dim, 0, op);
    return [reshape(run1('argsort', [reshape(x, [1])], { dim: 0, descending, k }), []), 0];
  }
  const d = normalizeDim(dim, x.ndim, op);
  return [run1('argsort', [x], { dim: d, descending, k }), d];
}

/**
 * Sorts along `dim` (default last), stably; NaN sorts as the largest value. `values` is
 * differentiable (it is `gather(x, dim, indices)`).
 * @example const [values, indices] = sort(x, -1, { descending: true });
 */
export function sort(x: Tensor, dim = -1, options?: boolean | SortOptions): ValuesIndices {
  const { descending = false } = sortOptions(options);
  const [indices, d] = orderIndices('sort', x, dim, descending);
  return valuesIndices(gather(x, d, indices), indices);
}

/** The int32 indices that sort `x` along `dim` (the `indices` of {@link sort}). */
export function argsort(x: Tensor, dim = -1, options?: boolean | SortOptions): Tensor {
  return orderIndices('argsort', x, dim, sortOptions(options).descending ?? false)[0];
}

/** Sorts along dim 0. */
export function msort(x: Tensor): Tensor {
  return sort(x, 0).values;
}

/** Options of {@link topk} (`torch.topk`). */
export interface TopkOptions {
  /** Largest `k` (default) or smallest. */
  largest?: boolean;
  /** Accepted for PyTorch compatibility: results always come sorted. */
  sorted?: boolean;
}

/** The `k` largest (or smallest) elements along `dim`, sorted, with their indices; ties keep the lower index first. */
export function topk(x: Tensor, k: number, dim = -1, options: TopkOptions = {}): ValuesIndices {
  const size = x.ndim === 0 ? 1 : x.shape[normalizeDim(dim, x.ndim, 'topk')]!;
  if (!Number.isInteger(k) || k < 0 || k > size) {
    throw new IndexError(`topk: k (${k}) is out of range for dim ${dim} with size ${size}`);
  }
  const [indices, d] = orderIndices('topk', x, dim, options.largest ?? true, k);
  return valuesIndices(gather(x, d, indices), indices);
}

/** The `k`-th smallest element (1-based) along `dim` and its index, as `torch.kthvalue`. */
export function kthvalue(x: Tensor, k: number, dim = -1, keepdim = false): ValuesIndices {
  const size = x.ndim === 0 ? 1 : x.shape[normalizeDim(dim, x.ndim, 'kthvalue')]!;
  if (!Number.isInteger(k) || k < 1 || k > size) {
    throw new IndexError(`kthvalue: k (${k}) is out of range for dim ${dim} with size ${size}`);
  }
  const { values, indices } = topk(x, k, dim, { largest: false });
  const pick = (t: Tensor) => {
    if (t.ndim === 0) return t;
    const one = t.narrow(dim, k - 1, 1);
    return keepdim ? one : one.squeeze(dim);
  };
  return valuesIndices(pick(values), pick(indices));
}

/** Options of {@link unique} (`torch.unique`'s `return_inverse` / `return_counts`; always sorted). */
export interface UniqueOptions {
  /** Also return, for every input element, the index of its value in the result. */
  returnInverse?: boolean;
  /** Also return how often each value occurs. */
  returnCounts?: boolean;
}

/** Sorted distinct values of the flattened `x`, with optional `inverse` and `counts` (int32). */
export function unique(
  x: Tensor,
  options: UniqueOptions = {},
): { values: Tensor; inverse?: Tensor; counts?: Tensor } {
  const [values, inverse, counts] = runKernel('unique', [x]) as Tensor[];
  return {
    values: values!,
    ...(options.returnInverse ? { inverse: inverse! } : {}),
    ...(options.returnCounts ? { counts: counts! } : {}),
  };
}

/**
 * Indices where `values` would be inserted into `sortedSequence` (sorted along its last dim) to
 * keep it sorted: leftmost slot by default, rightmost with `right`. A 1-D sequence serves all
 * values; otherwise the leading dims of both must match. Returns int32.
 */
export function searchsorted(
  sortedSequence: Tensor,
  values: Tensor,
  options: { right?: boolean; side?: 'left' | 'right' } = {},
): Tensor {
  const seq = sortedSequence;
  if (seq.ndim === 0) throw new ShapeError('searchsorted: the sorted sequence must have at least 1 dim');
  if (seq.ndim > 1) {
    const lead = seq.shape.slice(0, -1);
    if (values.ndim !== seq.ndim || values.shape.slice(0, -1).some((n, i) => n !== lead[i])) {
      throw new ShapeError(
        `searchsorted: leading dims of the sequence ${fmtShape(seq.shape)} and values ${fmtShape(values.shape)} must match`,
      );
    }
  }
  const right = options.right ?? options.side === 'right';
  return run1('searchsorted', [seq, values], { right });
}

installMethods({ sort, argsort, msort, topk, kthvalue, unique });

declare module '../tensor.js' {
  interface Tensor {
    /**
     * Stable sort along `dim` (default −1), `{ values, indices }` with int32 indices; NaN counts as largest.
     */
    sort(dim?: number, options?: boolean | SortOptions): ValuesIndices;
    /** int32 indices that sort along `dim` (stable). */
    argsort(dim?: number, options?: boolean | SortOptions): Tensor;
    /** Sorts along dim 0. */
    msort(): Tensor;
    /** The `k` largest (or smallest) along `dim`, sorted, with int32 indices. */
    topk(k: number, dim?: number, options?: TopkOptions): ValuesIndices;
    /** The `k`-th smallest (1-based) along `dim` and its int32 index. */
    kthvalue(k: number, dim?: number, keepdim?: boolean): ValuesIndices;
    /** Sorted distinct values of the flattened tensor, optionally with int32 `inverse` and `counts`. */
    unique(options?: UniqueOptions): { values: Tensor; inverse?: Tensor; counts?: Tensor };
  }
}
