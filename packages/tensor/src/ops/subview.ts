import { record } from '../autograd-hooks.js';
import { run1 } from '../backend.js';
import { isFloating } from '../dtype.js';
import { DTypeError, fmtShape, IndexError, ShapeError } from '../errors.js';
import { broadcastShapes, broadcastStrides, normalizeDim, type Shape, shapesEqual } from '../shape.js';
import { Tensor, type TensorLike } from '../tensor.js';
import { asTensor } from './creation.js';
import { installMethods } from './methods.js';

/**
 * A strided view described independently of memory layout: output element `i` reads input element
 * `start + Σₖ iₖ · coef[k]` (a vector over input dims). Narrow, select, slicing with a step,
 * diagonal and new axes are all such affine maps, and composing them gives another one. Applied to
 * a tensor's real strides it yields that tensor's view; applied to contiguous strides it locates
 * the same elements in a dense buffer, which is how the gradient scatters back (see
 * {@link subviewScatter}).
 */
export interface ViewMap {
  /** Shape of the view. */
  readonly shape: readonly number[];
  /** Input index of the view's first element, one entry per input dim. */
  readonly start: readonly number[];
  /** `coef[k][j]`: how many steps along input dim j one step along view dim k takes. */
  readonly coef: readonly (readonly number[])[];
}

/** The map of the whole tensor, viewed as itself. */
export function identityMap(shape: Shape): ViewMap {
  return {
    shape: [...shape],
    start: shape.map(() => 0),
    coef: shape.map((_, k) => shape.map((__, j) => (j === k ? 1 : 0))),
  };
}

/** Whether `map` views all of a tensor of `shape` unchanged. */
export function isIdentityMap(map: ViewMap, shape: Shape): boolean {
  if (!shapesEqual(map.shape, shape) || map.start.some((s) => s !== 0)) return false;
  return map.coef.every((row, k) => row.every((c, j) => c === (j === k ? 1 : 0)));
}

/** Strides and offset of `map` over memory laid out with `strides` from `offset`. */
export function applyMap(map: ViewMap, strides: readonly number[], offset: number): [number[], number] {
  let off = offset;
  map.start.forEach((s, j) => {
    off += s * strides[j]!;
  });
  const out = map.coef.map((row) => row.reduce((acc, c, j) => acc + c * strides[j]!, 0));
  return [out, off];
}

/** View dim `k` restricted to `length` elements from `start`, every `step`-th. */
export function narrowMap(map: ViewMap, k: number, start: number, length: number, step = 1): ViewMap {
  const row = map.coef[k]!;
  return {
    shape: map.shape.map((d, i) => (i === k ? length : d)),
    start: length === 0 ? map.start : map.start.map((s, j) => s + start * row[j]!),
    coef: map.coef.map((r, i) => (i === k ? r.map((c) => c * step) : r)),
  };
}

/** View dim `k` fixed at `index` (the dim disappears). */
export function selectMap(map: ViewMap, k: number, index: number): ViewMap {
  const row = map.coef[k]!;
  return {
    shape: map.shape.filter((_, i) => i !== k),
    start: map.start.map((s, j) => s + index * row[j]!),
    coef: map.coef.filter((_, i) => i !== k),
  };
}

/** A size-1 dim inserted at view position `k`. */
export function unsqueezeMap(map: ViewMap, k: number): ViewMap {
  const shape = [...map.shape];
  const coef = [...map.coef];
  shape.splice(k, 0, 1);
  coef.splice(
    k,
    0,
    map.start.map(() => 0),
  );
  return { shape, start: map.start, coef };
}

/** View dims `d1` and `d2` replaced by their diagonal (offset > 0 above the main one), appended last. */
export function diagonalMap(map: ViewMap, offset: number, d1: number, d2: number): ViewMap {
  const n1 = map.shape[d1]!;
  const n2 = map.shape[d2]!;
  const size = Math.max(0, Math.min(n1 + Math.min(offset, 0), n2 - Math.max(offset, 0)));
  const r1 = map.coef[d1]!;
  const r2 = map.coef[d2]!;
  const startRow = offset >= 0 ? r2 : r1;
  const shift = size === 0 ? 0 : Math.abs(offset);
  const keep = (_: unknown, i: number) => i !== d1 && i !== d2;
  return {
    shape: [...map.shape.filter(keep), size],
    start: map.start.map((s, j) => s + shift * startRow[j]!),
    coef: [...map.coef.filter(keep), r1.map((c, j) => c + r2[j]!)],
  };
}

/** `x` seen through `map`, sharing storage; no autograd record. */
export function viewWithMap(x: Tensor, map: ViewMap): Tensor {
  const [strides, offset] = applyMap(map, x.strides, x.offset);
  return new Tensor(x.storage, [...map.shape], strides, offset);
}

/**
 * The view of `x` described by `map`, recorded for autograd. Every strided view that is not a
 * reshape, permute or expand (narrow, select, slices, diagonal, basic indexing) goes through here,
 * so they share one gradient rule: scatter the gradient into zeros ({@link subviewScatter}).
 */
export function subview(x: Tensor, map: ViewMap): Tensor {
  return record('subview', [x], viewWithMap(x, map), { map, shape: [...x.shape] });
}

/**
 * A copy of `base` with the elements `map` selects replaced by `src` (broadcast to the view's
 * shape), as PyTorch's `slice_scatter` / `select_scatter` / `diagonal_scatter` in one op. It is
 * the adjoint of {@link subview}: each one's gradient is the other. `op` names the caller in errors.
 */
export function subviewScatter(base: Tensor, src: TensorLike, map: ViewMap, op = 'subviewScatter'): Tensor {
  const s = asTensor(src, base.device);
  const shape = broadcastShapes(op, s.shape, map.shape);
  if (!shapesEqual(shape, map.shape)) {
    throw new ShapeError(
      `${op}: value of shape ${fmtShape(s.shape)} cannot be written into a view of shape ${fmtShape(map.shape)}`,
    );
  }
  if (isFloating(s.dtype) && !isFloating(base.dtype)) {
    throw new DTypeError(`${op}: value type ${s.dtype} cannot be cast to ${base.dtype}`);
  }
  const out = run1('identity', [base], { dtype: base.dtype, computeDtype: base.dtype });
  const expanded = new Tensor(
    s.storage,
    [...map.shape],
    broadcastStrides(s.shape, s.strides, map.shape),
    s.offset,
  );
  run1('identity', [expanded], { dtype: base.dtype, computeDtype: s.dtype, into: viewWithMap(out, map) });
  return record('subviewScatter', [base, s], out, { map });
}

/** Resolves a possibly negative index into a dim of size `size`; errors name the op, dim, index and size. */
export function normalizeIndex(op: string, index: number, dim: number, size: number): number {
  if (!Number.isInteger(index) || index < -size || index >= size) {
    throw new IndexError(
      `${op}: index ${index} is out of range for dim ${dim} with size ${size} (expected ${-size}..${size - 1})`,
    );
  }
  return index < 0 ? index + size : index;
}

/** Validated `(start, length)` of a narrow of a dim of size `size`; `start` may be negative. */
function narrowRange(op: string, dim: number, size: number, start: number, length: number): number {
  if (!Number.isInteger(start) || start < -size || start > size) {
    throw new IndexError(`${op}: start ${start} is out of range for dim ${dim} with size ${size}`);
  }
  const s = start < 0 ? start + size : start;
  if (!Number.isInteger(length) || length < 0 || s + length > size) {
    throw new IndexError(
      `${op}: start (${start}) + length (${length}) exceeds the size ${size} of dim ${dim}`,
    );
  }
  return s;
}

/** The `length` elements of dim `dim` from `start` (negative counts from the end), as a view. */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  const d = normalizeDim(dim, x.ndim, 'narrow');
  if (x.ndim === 0) throw new IndexError('narrow: cannot narrow a 0-d tensor');
  const s = narrowRange('narrow', d, x.shape[d]!, start, length);
  return subview(x, narrowMap(identityMap(x.shape), d, s, length));
}

/** The slice at `index` of dim `dim` (which disappears), as a view: `x[:, index]` for dim 1. */
export function select(x: Tensor, dim: number, index: number): Tensor {
  if (x.ndim === 0) throw new IndexError('select: cannot select from a 0-d tensor');
  const d = normalizeDim(dim, x.ndim, 'select');
  const i = normalizeIndex('select', index, d, x.shape[d]!);
  return subview(x, selectMap(identityMap(x.shape), d, i));
}

/** All slices along `dim`, as views (the inverse of `stack`). */
export function unbind(x: Tensor, dim = 0): Tensor[] {
  if (x.ndim === 0) throw new IndexError('unbind: cannot unbind a 0-d tensor');
  const d = normalizeDim(dim, x.ndim, 'unbind');
  return Array.from({ length: x.shape[d]! }, (_, i) => select(x, d, i));
}

function diagonalDims(op: string, ndim: number, dim1: number, dim2: number): [number, number] {
  const d1 = normalizeDim(dim1, ndim, op);
  const d2 = normalizeDim(dim2, ndim, op);
  if (ndim < 2) throw new ShapeError(`${op}: expected a tensor with at least 2 dims, got ${ndim}`);
  if (d1 === d2) throw new IndexError(`${op}: dim1 and dim2 cannot be the same dim (${dim1}, ${dim2})`);
  return [d1, d2];
}

/**
 * The diagonal of dims `dim1` and `dim2` as a view, appended as the last dim; `offset` > 0 is
 * above the main diagonal, < 0 below.
 * @example diagonal(eye(3))  // [1, 1, 1]
 */
export function diagonal(x: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor {
  const [d1, d2] = diagonalDims('diagonal', x.ndim, dim1, dim2);
  return subview(x, diagonalMap(identityMap(x.shape), offset, d1, d2));
}

/** A copy of `x` with `src` written at `x[..., index, ...]` (dim `dim`), as `torch.select_scatter`. */
export function selectScatter(x: Tensor, src: TensorLike, dim: number, index: number): Tensor {
  const d = normalizeDim(dim, x.ndim, 'selectScatter');
  const i = normalizeIndex('selectScatter', index, d, x.shape[d]!);
  return subviewScatter(x, src, selectMap(identityMap(x.shape), d, i), 'selectScatter');
}

/** A copy of `x` with `src` written on the diagonal of `dim1`/`dim2`, as `torch.diagonal_scatter`. */
export function diagonalScatter(x: Tensor, src: TensorLike, offset = 0, dim1 = 0, dim2 = 1): Tensor {
  const [d1, d2] = diagonalDims('diagonalScatter', x.ndim, dim1, dim2);
  return subviewScatter(x, src, diagonalMap(identityMap(x.shape), offset, d1, d2), 'diagonalScatter');
}

installMethods({ narrow, select, unbind, diagonal, selectScatter, diagonalScatter });

declare module '../tensor.js' {
  interface Tensor {
    /** `length` elements of `dim` from `start` (negative counts from the end), as a view. */
    narrow(dim: number, start: number, length: number): Tensor;
    /** The slice at `index` of `dim` (which disappears), as a view: `x[:, i]` for dim 1. */
    select(dim: number, index: number): Tensor;
    /** All slices along `dim` (default 0), as views. */
    unbind(dim?: number): Tensor[];
    /** The diagonal of `dim1`/`dim2` as a view appended last; `offset` > 0 is above the main one. */
    diagonal(offset?: number, dim1?: number, dim2?: number): Tensor;
    /** A copy with `src` written at `index` of `dim`, as `torch.select_scatter`. */
    selectScatter(src: TensorLike, dim: number, index: number): Tensor;
    /** A copy with `src` written on a diagonal, as `torch.diagonal_scatter`. */
    diagonalScatter(src: TensorLike, offset?: number, dim1?: number, dim2?: number): Tensor;
  }
}
