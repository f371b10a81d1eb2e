import { record } from '../autograd-hooks.js';
import { fmtShape, IndexError, ShapeError } from '../errors.js';
import { inferShape, normalizeDim, type Shape, viewStrides } from '../shape.js';
import { Tensor } from '../tensor.js';
import { contiguous } from './convert.js';
import { installMethods } from './methods.js';

/** A new tensor over `x`'s storage with the given layout. */
export function makeView(x: Tensor, shape: Shape, strides: readonly number[], offset = x.offset): Tensor {
  return new Tensor(x.storage, [...shape], [...strides], offset);
}

function shapeArgs(shape: (number | readonly number[])[]): number[] {
  return shape.length === 1 && Array.isArray(shape[0]) ? [...(shape[0] as number[])] : (shape as number[]);
}

/** Views `x` with a new shape sharing storage; throws if the strides do not allow it (see `reshape`). */
export function view(x: Tensor, ...shape: (number | readonly number[])[]): Tensor {
  const target = inferShape('view', shapeArgs(shape), x.numel(), x.shape);
  const strides = viewStrides(x.shape, x.strides, target);
  if (strides === null) {
    throw new ShapeError(
      `view: shape ${fmtShape(target)} is incompatible with the input's strides (a non-contiguous ${fmtShape(x.shape)}); use reshape() instead`,
    );
  }
  return record('reshape', [x], makeView(x, target, strides), { shape: [...x.shape] });
}

/** A tensor with the same data and a new shape: a view when possible, else a copy. One entry may be -1. */
export function reshape(x: Tensor, ...shape: (number | readonly number[])[]): Tensor {
  const target = inferShape('reshape', shapeArgs(shape), x.numel(), x.shape);
  const strides = viewStrides(x.shape, x.strides, target);
  if (strides !== null) return record('reshape', [x], makeView(x, target, strides), { shape: [...x.shape] });
  return view(contiguous(x), target);
}

/** Reorders dims: `permute(x, [2, 0, 1])` makes dim 2 first. */
export function permute(x: Tensor, ...dims: (number | readonly number[])[]): Tensor {
  const order = shapeArgs(dims).map((d) => normalizeDim(d, x.ndim, 'permute'));
  if (order.length !== x.ndim || new Set(order).size !== order.length) {
    throw new ShapeError(`permute: dims [${order}] are not a permutation of ${x.ndim} dims`);
  }
  const out = makeView(
    x,
    order.map((d) => x.shape[d]!),
    order.map((d) => x.strides[d]!),
  );
  return record('permute', [x], out, { dims: order });
}

/** Swaps two dims. */
export function transpose(x: Tensor, dim0 = 0, dim1 = 1): Tensor {
  if (x.ndim < 2) return x;
  const a = normalizeDim(dim0, x.ndim, 'transpose');
  const b = normalizeDim(dim1, x.ndim, 'transpose');
  const order = Array.from({ length: x.ndim }, (_, i) => i);
  [order[a], order[b]] = [order[b]!, order[a]!];
  return permute(x, order);
}

/** Reverses all dims (`x.T`); for 2-D tensors the matrix transpose. */
export function T(x: Tensor): Tensor {
  return permute(
    x,
    Array.from({ length: x.ndim }, (_, i) => x.ndim - 1 - i),
  );
}

/** Transposes the last two dims (batched matrix transpose). */
export function mT(x: Tensor): Tensor {
  if (x.ndim < 2)
    throw new ShapeError(`mT: expected a tensor with at least 2 dims, got shape ${fmtShape(x.shape)}`);
  return transpose(x, -2, -1);
}

/** Broadcasts size-1 dims (and new leading dims) to `shape` without copying; -1 keeps a dim. */
export function expand(x: Tensor, ...shape: (number | readonly number[])[]): Tensor {
  const target = shapeArgs(shape);
  if (target.length < x.ndim) {
    throw new ShapeError(
      `expand: target ${fmtShape(target)} has fewer dims than the input ${fmtShape(x.shape)}`,
    );
  }
  const lead = target.length - x.ndim;
  const outShape: number[] = [];
  const strides: number[] = [];
  target.forEach((d, i) => {
    const j = i - lead;
    const src = j >= 0 ? x.shape[j]! : 1;
    const size = d === -1 ? src : d;
    if (d === -1 && j < 0)
      throw new ShapeError(`expand: -1 is not allowed for new leading dim ${i} in ${fmtShape(target)}`);
    if (src !== 1 && src !== size) {
      throw new ShapeError(
        `expand: the input's size ${src} at dim ${j} cannot expand to ${size} (target ${fmtShape(target)}, input ${fmtShape(x.shape)})`,
      );
    }
    outShape.push(size);
    strides.push(j >= 0 && src === size ? x.strides[j]! : 0);
  });
  return record('expand', [x], makeView(x, outShape, strides), { shape: [...x.shape] });
}

/** `expand` to another tensor's shape. */
export function expandAs(x: Tensor, other: Tensor): Tensor {
  return expand(x, other.shape);
}

/** Removes size-1 dims (all, or the given ones; a given dim of size > 1 is left alone, as PyTorch). */
export function squeeze(x: Tensor, dim?: number | readonly number[]): Tensor {
  const dims =
    dim === undefined
      ? x.shape.map((_, i) => i)
      : (typeof dim === 'number' ? [dim] : [...dim]).map((d) => normalizeDim(d, x.ndim, 'squeeze'));
  const keep = x.shape.map((d, i) => !(d === 1 && dims.includes(i)));
  const out = makeView(
    x,
    x.shape.filter((_, i) => keep[i]),
    x.strides.filter((_, i) => keep[i]),
  );
  return record('reshape', [x], out, { shape: [...x.shape] });
}

/** Inserts a size-1 dim at `dim` (negative counts from the end of the result). */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, x.ndim + 1, 'unsqueeze');
  const shape = [...x.shape];
  const strides = [...x.strides];
  shape.splice(d, 0, 1);
  strides.splice(d, 0, d < x.ndim ? x.strides[d]! * x.shape[d]! : 1);
  return record('reshape', [x], makeView(x, shape, strides), { shape: [...x.shape] });
}

/** Merges dims `startDim..endDim` into one. */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normalizeDim(startDim, x.ndim, 'flatten');
  const e = normalizeDim(endDim, x.ndim, 'flatten');
  if (s > e) throw new IndexError(`flatten: startDim ${startDim} comes after endDim ${endDim}`);
  const merged = x.shape.slice(s, e + 1).reduce((a, b) => a * b, 1);
  return reshape(x, [...x.shape.slice(0, s), merged, ...x.shape.slice(e + 1)]);
}

/** Splits dim `dim` into `sizes` (one entry may be -1). */
export function unflatten(x: Tensor, dim: number, sizes: readonly number[]): Tensor {
  const d = normalizeDim(dim, x.ndim, 'unflatten');
  const inner = inferShape('unflatten', sizes, x.shape[d]!, [x.shape[d]!]);
  return reshape(x, [...x.shape.slice(0, d), ...inner, ...x.shape.slice(d + 1)]);
}

/** Moves dim(s) `source` to position(s) `destination`; the other dims keep their order. */
export function movedim(
  x: Tensor,
  source: number | readonly number[],
  destination: number | readonly number[],
): Tensor {
  const src = (typeof source === 'number' ? [source] : [...source]).map((d) =>
    normalizeDim(d, x.ndim, 'movedim'),
  );
  const dst = (typeof destination === 'number' ? [destination] : [...destination]).map((d) =>
    normalizeDim(d, x.ndim, 'movedim'),
  );
  if (src.length !== dst.length) {
    throw new ShapeError(
      `movedim: source [${source}] and destination [${destination}] must have the same length`,
    );
  }
  if (new Set(src).size !== src.length || new Set(dst).size !== dst.length) {
    throw new ShapeError(`movedim: repeated dim in source [${source}] or destination [${destination}]`);
  }
  const order = new Array<number>(x.ndim).fill(-1);
  src.forEach((s, i) => {
    order[dst[i]!] = s;
  });
  const rest = Array.from({ length: x.ndim }, (_, i) => i).filter((i) => !src.includes(i));
  for (let i = 0, r = 0; i < x.ndim; i++) if (order[i] === -1) order[i] = rest[r++]!;
  return permute(x, order);
}

installMethods({
  view,
  reshape,
  permute,
  transpose,
  swapaxes: transpose,
  expand,
  expandAs,
  squeeze,
  unsqueeze,
  flatten,
  unflatten,
  movedim,
  moveaxis: movedim,
  swapdims: transpose,
  viewAs: (x: Tensor, other: Tensor) => view(x, other.shape),
  reshapeAs: (x: Tensor, other: Tensor) => reshape(x, other.shape),
});

Object.defineProperty(Tensor.prototype, 'T', {
  get(this: Tensor) {
    return T(this);
  },
  configurable: true,
});
Object.defineProperty(Tensor.prototype, 'mT', {
  get(this: Tensor) {
    return mT(this);
  },
  configurable: true,
});

declare module '../tensor.js' {
  interface Tensor {
    /**
     * Same storage, new shape (one entry may be -1); throws when the strides do not allow it (use `reshape`).
     */
    view(...shape: number[]): Tensor;
    view(shape: readonly number[]): Tensor;
    /** New shape (one entry may be -1): a view when possible, else a copy. */
    reshape(...shape: number[]): Tensor;
    reshape(shape: readonly number[]): Tensor;
    /** Reorders dims: `x.permute(2, 0, 1)` makes dim 2 first (a view). */
    permute(...dims: number[]): Tensor;
    permute(dims: readonly number[]): Tensor;
    /** Swaps `dim0` and `dim1` (default 0 and 1), as a view. */
    transpose(dim0?: number, dim1?: number): Tensor;
    /** Alias of `transpose`. */
    swapaxes(dim0: number, dim1: number): Tensor;
    /** Broadcasts size-1 dims (and new leading dims) to `shape` without copying; -1 keeps a dim. */
    expand(...shape: number[]): Tensor;
    expand(shape: readonly number[]): Tensor;
    /** `expand` to `other`'s shape. */
    expandAs(other: Tensor): Tensor;
    /** Removes size-1 dims (all, or the given ones; a given dim of size > 1 is left alone). */
    squeeze(dim?: number | readonly number[]): Tensor;
    /** Inserts a size-1 dim at `dim` (negative counts from the end of the result). */
    unsqueeze(dim: number): Tensor;
    /** Merges dims `startDim..endDim` (default all) into one. */
    flatten(startDim?: number, endDim?: number): Tensor;
    /** Splits dim `dim` into `sizes` (one entry may be -1). */
    unflatten(dim: number, sizes: readonly number[]): Tensor;
    /** Moves dim(s) `source` to `destination`; the other dims keep their order. */
    movedim(source: number | readonly number[], destination: number | readonly number[]): Tensor;
    /** Alias of `movedim`. */
    moveaxis(source: number | readonly number[], destination: number | readonly number[]): Tensor;
    /** Alias of `transpose`. */
    swapdims(dim0: number, dim1: number): Tensor;
    /** `view` with `other`'s shape. */
    viewAs(other: Tensor): Tensor;
    /** `reshape` to `other`'s shape. */
    reshapeAs(other: Tensor): Tensor;
    /** All dims reversed (matrix transpose for 2-D). */
    readonly T: Tensor;
    /** Last two dims swapped. */
    readonly mT: Tensor;
  }
}
