import { record } from '../autograd-hooks.js';
import { run1 } from '../backend.js';
import { isFloating } from '../dtype.js';
import { DTypeError, fmtShape, ShapeError, TorchletError } from '../errors.js';
import { broadcastShapes, normalizeDim } from '../shape.js';
import { type NestedArray, Tensor, type TensorLike } from '../tensor.js';
import { tensor, zeros } from './creation.js';
import { assignInPlace, mul } from './elementwise.js';
import { installMethods } from './methods.js';
import { amax } from './reduce.js';
import { expand, reshape, unsqueeze } from './view.js';

/** An index argument: an int32 tensor, or nested arrays of integers. */
export type IndexLike = Tensor | NestedArray;

/** How `scatterReduce` combines values landing on one position. */
export type ScatterReduce = 'sum' | 'prod' | 'mean' | 'amax' | 'amin';

/** Converts an index argument to an int32 tensor on `device`; other dtypes are refused. */
export function indexTensor(op: string, index: IndexLike, device = 'cpu'): Tensor {
  const t = index instanceof Tensor ? index : tensor(index, { dtype: 'int32', device });
  if (t.dtype !== 'int32') throw new DTypeError(`${op}: expected an int32 index tensor, got ${t.dtype}`);
  return t;
}

/** Runs a dim-wise kernel on 0-d operands by viewing them as 1-element vectors. */
function atLeast1d(t: Tensor): Tensor {
  return t.ndim === 0 ? reshape(t, [1]) : t;
}

function checkIndexShape(op: string, x: Tensor, index: Tensor, dim: number, other?: Tensor): void {
  if (index.ndim !== x.ndim) {
    throw new ShapeError(
      `${op}: index ${fmtShape(index.shape)} must have as many dims as the input ${fmtShape(x.shape)}`,
    );
  }
  index.shape.forEach((n, d) => {
    if (d !== dim && n > x.shape[d]!) {
      throw new ShapeError(
        `${op}: index ${fmtShape(index.shape)} is larger than the input ${fmtShape(x.shape)} at dim ${d} (${n} > ${x.shape[d]})`,
      );
    }
    if (other && n > other.shape[d]!) {
      throw new ShapeError(
        `${op}: index ${fmtShape(index.shape)} is larger than the source ${fmtShape(other.shape)} at dim ${d} (${n} > ${other.shape[d]})`,
      );
    }
  });
}

/**
 * `out[i][j] = x[index[i][j]][j]` for dim 0 (and likewise for other dims): picks one element
 * along `dim` per index entry. The result has the index's shape.
 * @example gather(tensor([[1, 2], [3, 4]]), 1, [[0, 0], [1, 0]])  // [[1, 1], [4, 3]]
 */
export function gather(x: Tensor, dim: number, index: IndexLike): Tensor {
  const idx = indexTensor('gather', index, x.device);
  const d = normalizeDim(dim, x.ndim, 'gather');
  if (x.ndim === 0 || idx.ndim === 0) {
    return reshape(gather(atLeast1d(x), 0, atLeast1d(idx)), idx.shape);
  }
  checkIndexShape('gather', x, idx, d);
  const out = run1('gather', [x, idx], { dim: d, op: 'gather' });
  return record('gather', [x, idx], out, { dim: d });
}

/** Validates and runs the scatter kernel; `src` is a tensor or a scalar value. */
function scatterOp(
  op: string,
  rule: string,
  x: Tensor,
  dim: number,
  index: IndexLike,
  src: TensorLike,
  reduce: 'none' | ScatterReduce,
  includeSelf = true,
): Tensor {
  const idx = indexTensor(op, index, x.device);
  const d = normalizeDim(dim, x.ndim, op);
  if (x.ndim === 0) {
    const s = src instanceof Tensor ? atLeast1d(src) : src;
    return reshape(scatterOp(op, rule, reshape(x, [1]), 0, atLeast1d(idx), s, reduce, includeSelf), []);
  }
  const attrs = { dim: d, op, reduce, includeSelf };
  if (!(src instanceof Tensor)) {
    checkIndexShape(op, x, idx, d);
    if (typeof src === 'number' && !Number.isInteger(src) && !isFloating(x.dtype)) {
      throw new DTypeError(`${op}: value ${src} cannot be written into a ${x.dtype} tensor`);
    }
    const out = run1('scatter', [x, idx], { ...attrs, value: Number(src) });
    return record(rule, [x, idx], out, attrs);
  }
  checkIndexShape(op, x, idx, d, src);
  if (isFloating(src.dtype) && !isFloating(x.dtype)) {
    throw new DTypeError(`${op}: source type ${src.dtype} cannot be cast to ${x.dtype}`);
  }
  const s = src.dtype === x.dtype ? src : src.to(x.dtype);
  return record(rule, [x, idx, s], run1('scatter', [x, idx, s], attrs), attrs);
}

/**
 * A copy of `x` with `src` (a tensor, or one value for every index) written along `dim` at
 * `index`: `out[index[i][j]][j] = src[i][j]` for dim 0. Duplicate indices keep the last write.
 */
export function scatter(x: Tensor, dim: number, index: IndexLike, src: TensorLike): Tensor {
  return scatterOp('scatter', 'scatter', x, dim, index, src, 'none');
}

/** A copy of `x` with `src` added along `dim` at `index` (duplicates accumulate). */
export function scatterAdd(x: Tensor, dim: number, index: IndexLike, src: Tensor): Tensor {
  return scatterOp('scatterAdd', 'scatterAdd', x, dim, index, src, 'sum');
}

/**
 * A copy of `x` with `src` combined along `dim` at `index` by `reduce`; with `includeSelf`
 * false, `x`'s own values at scattered positions take no part. Differentiable for all but `prod`.
 */
export function scatterReduce(
  x: Tensor,
  dim: number,
  index: IndexLike,
  src: Tensor,
  reduce: ScatterReduce,
  options: { includeSelf?: boolean } = {},
): Tensor {
  return scatterOp('scatterReduce', 'scatterReduce', x, dim, index, src, reduce, options.includeSelf ?? true);
}

/** A 1-D index along `dim`, viewed (without copying) as a full index over `shape`. */
function spreadIndex(
  op: string,
  index: IndexLike,
  dim: number,
  shape: readonly number[],
  device: string,
): Tensor {
  const idx = indexTensor(op, index, device);
  if (idx.ndim > 1) throw new ShapeError(`${op}: index must be 0-d or 1-D, got shape ${fmtShape(idx.shape)}`);
  const flat = atLeast1d(idx);
  const target = shape.map((n, i) => (i === dim ? flat.shape[0]! : n));
  const strides = shape.map((_, i) => (i === dim ? flat.strides[0]! : 0));
  return new Tensor(flat.storage, target, strides, flat.offset);
}

/**
 * The slices of `x` along `dim` at the positions in 1-D `index`, as a copy.
 * @example indexSelect(weight, 0, tokenIds)  // embedding lookup
 */
export function indexSelect(x: Tensor, dim: number, index: IndexLike): Tensor {
  const d = normalizeDim(dim, x.ndim, 'indexSelect');
  if (x.ndim === 0) return reshape(indexSelect(reshape(x, [1]), 0, index), []);
  const idx = spreadIndex('indexSelect', index, d, x.shape, x.device);
  const out = run1('gather', [x, idx], { dim: d, op: 'indexSelect' });
  return record('gather', [x, idx], out, { dim: d });
}

function sourceFor(op: string, x: Tensor, dim: number, idx: Tensor, source: Tensor): void {
  if (source.ndim !== x.ndim || source.shape.some((n, i) => n !== idx.shape[i])) {
    throw new ShapeError(
      `${op}: source ${fmtShape(source.shape)} must have the input's shape ${fmtShape(x.shape)} with dim ${dim} of size ${idx.shape[dim]}`,
    );
  }
}

/** A copy of `x` with `alpha * source` added at the positions in 1-D `index` along `dim`. */
export function indexAdd(x: Tensor, dim: number, index: IndexLike, source: Tensor, alpha = 1): Tensor {
  const d = normalizeDim(dim, Math.max(x.ndim, 1), 'indexAdd');
  if (x.ndim === 0) return reshape(indexAdd(reshape(x, [1]), 0, index, atLeast1d(source), alpha), []);
  const idx = spreadIndex('indexAdd', index, d, x.shape, x.device);
  sourceFor('indexAdd', x, d, idx, source);
  return scatterOp('indexAdd', 'scatterAdd', x, d, idx, alpha === 1 ? source : mul(source, alpha), 'sum');
}

/** A copy of `x` with `source`'s slices written at the positions in 1-D `index` along `dim`. */
export function indexCopy(x: Tensor, dim: number, index: IndexLike, source: Tensor): Tensor {
  const d = normalizeDim(dim, Math.max(x.ndim, 1), 'indexCopy');
  if (x.ndim === 0) return reshape(indexCopy(reshape(x, [1]), 0, index, atLeast1d(source)), []);
  const idx = spreadIndex('indexCopy', index, d, x.shape, x.device);
  sourceFor('indexCopy', x, d, idx, source);
  return scatterOp('indexCopy', 'scatter', x, d, idx, source, 'none');
}

/** A copy of `x` with the slices at 1-D `index` along `dim` set to `value`. */
export function indexFill(x: Tensor, dim: number, index: IndexLike, value: number | boolean): Tensor {
  const d = normalizeDim(dim, Math.max(x.ndim, 1), 'indexFill');
  if (x.ndim === 0) return reshape(indexFill(reshape(x, [1]), 0, index, value), []);
  const idx = spreadIndex('indexFill', index, d, x.shape, x.device);
  return scatterOp('indexFill', 'scatter', x, d, idx, Number(value), 'none');
}

/** Elements of the flattened `x` at `index`; the result has the index's shape. */
export function take(x: Tensor, index: IndexLike): Tensor {
  const idx = indexTensor('take', index, x.device);
  const flat = run1('wrapIndex', [reshape(idx, [-1])], { size: x.numel(), op: 'take', dim: 0 });
  return reshape(indexSelect(reshape(x, [-1]), 0, flat), idx.shape);
}

/** `gather` with `indices` and `x` broadcast against each other except along `dim`. */
export function takeAlongDim(x: Tensor, indices: IndexLike, dim: number): Tensor {
  const idx = indexTensor('takeAlongDim', indices, x.device);
  if (idx.ndim !== x.ndim) {
    throw new ShapeError(
      `takeAlongDim: indices ${fmtShape(idx.shape)} must have as many dims as the input ${fmtShape(x.shape)}`,
    );
  }
  const d = normalizeDim(dim, x.ndim, 'takeAlongDim');
  const other = (s: readonly number[]) => s.map((n, i) => (i === d ? 1 : n));
  const b = broadcastShapes('takeAlongDim', other(x.shape), other(idx.shape));
  const xs = b.map((n, i) => (i === d ? x.shape[d]! : n));
  const is = b.map((n, i) => (i === d ? idx.shape[d]! : n));
  return gather(expand(x, xs), d, expand(idx, is));
}

/** Options of {@link nonzero} (PyTorch's `as_tuple`). */
export interface NonzeroOptions {
  /** Return one 1-D index tensor per dim instead of a [count, ndim] matrix. */
  asTuple?: boolean;
}

/** Coordinates of the nonzero elements, int32 of shape [count, ndim] (or per-dim tensors with `asTuple`). */
export function nonzero(x: Tensor, options?: { asTuple?: false }): Tensor;
export function nonzero(x: Tensor, options: { asTuple: true }): Tensor[];
export function nonzero(x: Tensor, options: NonzeroOptions = {}): Tensor | Tensor[] {
  const coords = run1('nonzero', [x]);
  if (!options.asTuple) return coords;
  const cols = x.ndim === 0 ? reshape(coords, [-1, 1]) : coords;
  return Array.from({ length: cols.shape[1]! }, (_, i) => cols.select(1, i).contiguous());
}

/** Coordinates of the nonzero elements as an int32 [count, ndim] matrix (`nonzero`). */
export function argwhere(x: Tensor): Tensor {
  return nonzero(x);
}

/** The elements of `x` where `mask` (broadcast with `x`) is true, as a 1-D copy. */
export function maskedSelect(x: Tensor, mask: Tensor): Tensor {
  if (mask.dtype !== 'bool') throw new DTypeError(`maskedSelect: expected a bool mask, got ${mask.dtype}`);
  const shape = broadcastShapes('maskedSelect', x.shape, mask.shape);
  const positions = run1('nonzero', [reshape(expand(mask, shape).contiguous(), [-1])]);
  return indexSelect(reshape(expand(x, shape), [-1]), 0, reshape(positions, [-1]));
}

/**
 * One-hot encoding: int32 of shape [...indices.shape, numClasses] with a 1 at each index
 * (PyTorch returns int64). `numClasses` -1 means one more than the largest index.
 */
export function oneHot(indices: IndexLike, numClasses = -1): Tensor {
  const idx = indexTensor('oneHot', indices);
  let n = numClasses;
  if (n === -1) {
    if (idx.numel() === 0) throw new TorchletError('oneHot: cannot infer numClasses from an empty tensor');
    n = amax(idx).item() + 1;
  }
  if (!Number.isInteger(n) || n < 0)
    throw new TorchletError(`oneHot: numClasses must be >= 0, got ${numClasses}`);
  const out = zeros([...idx.shape, n], { dtype: 'int32', device: idx.device });
  return scatterOp('oneHot', 'scatter', out, -1, unsqueeze(idx, -1), 1, 'none');
}

/** Writes an out-of-place result back into `x`: the in-place forms (`scatter_`, …). */
function inPlace(name: string, x: Tensor, result: Tensor): Tensor {
  return assignInPlace(name, x, result);
}

installMethods({
  gather,
  scatter,
  scatterAdd,
  scatterReduce,
  indexSelect,
  indexAdd,
  indexCopy,
  indexFill,
  take,
  takeAlongDim,
  nonzero,
  argwhere,
  maskedSelect,
  scatter_: (x: Tensor, dim: number, index: IndexLike, src: TensorLike) =>
    inPlace('scatter_', x, scatter(x, dim, index, src)),
  scatterAdd_: (x: Tensor, dim: number, index: IndexLike, src: Tensor) =>
    inPlace('scatterAdd_', x, scatterAdd(x, dim, index, src)),
  scatterReduce_: (
    x: Tensor,
    dim: number,
    index: IndexLike,
    src: Tensor,
    reduce: ScatterReduce,
    options?: { includeSelf?: boolean },
  ) => inPlace('scatterReduce_', x, scatterReduce(x, dim, index, src, reduce, options)),
  indexAdd_: (x: Tensor, dim: number, index: IndexLike, source: Tensor, alpha?: number) =>
    inPlace('indexAdd_', x, indexAdd(x, dim, index, source, alpha)),
  indexCopy_: (x: Tensor, dim: number, index: IndexLike, source: Tensor) =>
    inPlace('indexCopy_', x, indexCopy(x, dim, index, source)),
  indexFill_: (x: Tensor, dim: number, index: IndexLike, value: number | boolean) =>
    inPlace('indexFill_', x, indexFill(x, dim, index, value)),
});

declare module '../tensor.js' {
  interface Tensor {
    /** One element along `dim` per int32 index entry; the result has the index's shape. */
    gather(dim: number, index: IndexLike): Tensor;
    /** A copy with `src` written along `dim` at `index` (duplicates: last write wins). */
    scatter(dim: number, index: IndexLike, src: TensorLike): Tensor;
    /** A copy with `src` added along `dim` at `index` (duplicates accumulate). */
    scatterAdd(dim: number, index: IndexLike, src: Tensor): Tensor;
    /** A copy with `src` combined along `dim` at `index` by `reduce`; `includeSelf` defaults to true. */
    scatterReduce(
      dim: number,
      index: IndexLike,
      src: Tensor,
      reduce: ScatterReduce,
      options?: { includeSelf?: boolean },
    ): Tensor;
    /** Slices along `dim` at the positions in 1-D int32 `index`, as a copy. */
    indexSelect(dim: number, index: IndexLike): Tensor;
    /** A copy with `alpha · source` added at 1-D `index` along `dim`. */
    indexAdd(dim: number, index: IndexLike, source: Tensor, alpha?: number): Tensor;
    /** A copy with `source`'s slices written at 1-D `index` along `dim`. */
    indexCopy(dim: number, index: IndexLike, source: Tensor): Tensor;
    /** A copy with the slices at 1-D `index` along `dim` set to `value`. */
    indexFill(dim: number, index: IndexLike, value: number | boolean): Tensor;
    /** Elements of the flattened tensor at `index`; the result has the index's shape. */
    take(index: IndexLike): Tensor;
    /** `gather` with `indices` broadcast against this except along `dim`. */
    takeAlongDim(indices: IndexLike, dim: number): Tensor;
    /** int32 coordinates [count, ndim] of the nonzero elements (one 1-D tensor per dim with `asTuple`). */
    nonzero(options?: { asTuple?: false }): Tensor;
    nonzero(options: { asTuple: true }): Tensor[];
    /** int32 coordinates [count, ndim] of the nonzero elements. */
    argwhere(): Tensor;
    /** Elements where `mask` (bool, broadcast) is true, as a 1-D copy. */
    maskedSelect(mask: Tensor): Tensor;
    /** In-place `scatter`. */
    scatter_(dim: number, index: IndexLike, src: TensorLike): Tensor;
    /** In-place `scatterAdd`. */
    scatterAdd_(dim: number, index: IndexLike, src: Tensor): Tensor;
    /** In-place `scatterReduce`. */
    scatterReduce_(
      dim: number,
      index: IndexLike,
      src: Tensor,
      reduce: ScatterReduce,
      options?: { includeSelf?: boolean },
    ): Tensor;
    /** In-place `indexAdd`. */
    indexAdd_(dim: number, index: IndexLike, source: Tensor, alpha?: number): Tensor;
    /** In-place `indexCopy`. */
    indexCopy_(dim: number, index: IndexLike, source: Tensor): Tensor;
    /** In-place `indexFill`. */
    indexFill_(dim: number, index: IndexLike, value: number | boolean): Tensor;
  }
}
