import { isFloating } from '../dtype.js';
import { DTypeError, fmtShape, ShapeError } from '../errors.js';
import { broadcastShapes, normalizeDim, shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { add, mul } from './elementwise.js';
import { bmm, matmul, mm, mv, outer } from './matmul.js';
import { installMethods } from './methods.js';
import { resultTypeOf } from './promotion.js';
import { sum } from './reduce.js';

/** `beta` and `alpha` of {@link addmm} and its relatives (PyTorch's keywords, both default 1). */
export interface AddProductOptions {
  /** Scale of `input`; 0 ignores `input` entirely (its NaN and ∞ do not propagate). */
  beta?: number;
  /** Scale of the product. */
  alpha?: number;
}

/** `beta · input + alpha · product`, with `input` broadcast to the product's shape. */
function addScaled(op: string, input: Tensor, product: Tensor, options: AddProductOptions): Tensor {
  const { beta = 1, alpha = 1 } = options;
  const shape = broadcastShapes(op, input.shape, product.shape);
  if (!shapesEqual(shape, product.shape)) {
    throw new ShapeError(
      `${op}: input of shape ${fmtShape(input.shape)} cannot be broadcast to the product's shape ${fmtShape(product.shape)}`,
    );
  }
  if (!isFloating(resultTypeOf([input, product])) && !(Number.isInteger(beta) && Number.isInteger(alpha))) {
    throw new DTypeError(`${op}: for integer tensors beta (${beta}) and alpha (${alpha}) must be integers`);
  }
  const scaled = alpha === 1 ? product : mul(product, alpha);
  if (beta === 0) return scaled;
  return add(beta === 1 ? input : mul(input, beta), scaled);
}

/** `beta · input + alpha · (mat1 @ mat2)` for 2-D matrices, as `torch.addmm`. */
export function addmm(input: Tensor, mat1: Tensor, mat2: Tensor, options: AddProductOptions = {}): Tensor {
  return addScaled('addmm', input, mm(mat1, mat2), options);
}

/** `beta · input + alpha · (mat @ vec)`, as `torch.addmv`. */
export function addmv(input: Tensor, mat: Tensor, vec: Tensor, options: AddProductOptions = {}): Tensor {
  return addScaled('addmv', input, mv(mat, vec), options);
}

/** `beta · input + alpha · Σᵢ batch1[i] @ batch2[i]` (3-D batches summed to one matrix), as `torch.addbmm`. */
export function addbmm(
  input: Tensor,
  batch1: Tensor,
  batch2: Tensor,
  options: AddProductOptions = {},
): Tensor {
  return addScaled('addbmm', input, sum(bmm(batch1, batch2), 0), options);
}

/** `beta · input + alpha · (batch1 @ batch2)` per batch, as `torch.baddbmm`. */
export function baddbmm(
  input: Tensor,
  batch1: Tensor,
  batch2: Tensor,
  options: AddProductOptions = {},
): Tensor {
  return addScaled('baddbmm', input, bmm(batch1, batch2), options);
}

/** Outer product of two 1-D tensors, an alias of `outer` (`torch.ger`). */
export function ger(a: Tensor, b: Tensor): Tensor {
  return outer(a, b);
}

/**
 * Sums products over the last dim of both, as `torch.inner`: the result has shape
 * `[...a.shape[:-1], ...b.shape[:-1]]`; a 0-d operand multiplies elementwise.
 */
export function inner(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0) return mul(a, b);
  return tensordotAxes('inner', a, b, [a.ndim - 1], [b.ndim - 1]);
}

/**
 * Contracts `dims` of `a` with `dims` of `b`, as `torch.tensordot`: a number n pairs the last n
 * dims of `a` with the first n of `b`; two lists pair them one by one.
 * @example tensordot(a, b, [[1, 0], [0, 1]]); // Σᵢⱼ a[i,j,…]·b[j,i,…]
 */
export function tensordot(
  a: Tensor,
  b: Tensor,
  dims: number | readonly [readonly number[], readonly number[]] = 2,
): Tensor {
  if (typeof dims === 'number') {
    if (!Number.isInteger(dims) || dims < 0 || dims > a.ndim || dims > b.ndim) {
      throw new ShapeError(
        `tensordot: dims (${dims}) must be between 0 and the smaller ndim of ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`,
      );
    }
    const da = Array.from({ length: dims }, (_, i) => a.ndim - dims + i);
    const db = Array.from({ length: dims }, (_, i) => i);
    return tensordotAxes('tensordot', a, b, da, db);
  }
  const [da, db] = dims;
  if (da.length !== db.length) {
    throw new ShapeError(
      `tensordot: both dim lists must have the same length, got ${da.length} and ${db.length}`,
    );
  }
  return tensordotAxes(
    'tensordot',
    a,
    b,
    da.map((d) => normalizeDim(d, a.ndim, 'tensordot')),
    db.map((d) => normalizeDim(d, b.ndim, 'tensordot')),
  );
}

/** Contraction of normalized dims as one matrix product of permuted, flattened operands. */
function tensordotAxes(
  op: string,
  a: Tensor,
  b: Tensor,
  da: readonly number[],
  db: readonly number[],
): Tensor {
  da.forEach((d, i) => {
    if (a.shape[d] !== b.shape[db[i]!]) {
      throw new ShapeError(
        `${op}: contracted dims differ in size: ${fmtShape(a.shape)} dim ${d} (${a.shape[d]}) vs ${fmtShape(b.shape)} dim ${db[i]} (${b.shape[db[i]!]})`,
      );
    }
  });
  const freeA = a.shape.map((_, i) => i).filter((i) => !da.includes(i));
  const freeB = b.shape.map((_, i) => i).filter((i) => !db.includes(i));
  const k = da.reduce((n, d) => n * a.shape[d]!, 1);
  const outShape = [...freeA.map((i) => a.shape[i]!), ...freeB.map((i) => b.shape[i]!)];
  const rows = freeA.reduce((n, i) => n * a.shape[i]!, 1);
  const cols = freeB.reduce((n, i) => n * b.shape[i]!, 1);
  const left = a.permute([...freeA, ...da]).reshape([rows, k]);
  const right = b.permute([...db, ...freeB]).reshape([k, cols]);
  return matmul(left, right).reshape(outShape);
}

/**
 * Kronecker product, as `torch.kron`: for shapes padded to equal rank, the result's dim i has
 * size a.shape[i]·b.shape[i] and holds a[i₁]·b[i₂] at i₁·b.shape[i] + i₂.
 */
export function kron(a: Tensor, b: Tensor): Tensor {
  const nd = Math.max(a.ndim, b.ndim);
  const pad = (s: readonly number[]) => [...new Array<number>(nd - s.length).fill(1), ...s];
  const sa = pad(a.shape);
  const sb = pad(b.shape);
  const x = a.reshape(sa.flatMap((n) => [n, 1]));
  const y = b.reshape(sb.flatMap((n) => [1, n]));
  return mul(x, y).reshape(sa.map((n, i) => n * sb[i]!));
}

installMethods({ addmm, addmv, addbmm, baddbmm, ger, inner, tensordot, kron });

declare module '../tensor.js' {
  interface Tensor {
    /** `beta · this + alpha · (mat1 @ mat2)`. */
    addmm(mat1: Tensor, mat2: Tensor, options?: AddProductOptions): Tensor;
    /** `beta · this + alpha · (mat @ vec)`. */
    addmv(mat: Tensor, vec: Tensor, options?: AddProductOptions): Tensor;
    /** `beta · this + alpha · Σᵢ batch1[i] @ batch2[i]`. */
    addbmm(batch1: Tensor, batch2: Tensor, options?: AddProductOptions): Tensor;
    /** `beta · this + alpha · (batch1 @ batch2)` per batch. */
    baddbmm(batch1: Tensor, batch2: Tensor, options?: AddProductOptions): Tensor;
    /** Outer product with a 1-D `other` (alias of `outer`). */
    ger(other: Tensor): Tensor;
    /** Sum of products over the last dims of both. */
    inner(other: Tensor): Tensor;
    /** Contraction of `dims` with `other`, as `torch.tensordot`. */
    tensordot(other: Tensor, dims?: number | readonly [readonly number[], readonly number[]]): Tensor;
    /** Kronecker product. */
    kron(other: Tensor): Tensor;
  }
}
