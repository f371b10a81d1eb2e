import { record } from '../../autograd-hooks.js';
import { run1 } from '../../backend.js';
import { IndexError, TorchletError } from '../../errors.js';
import { normalizeDim, normalizeDims } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { checkFloating, checkNonEmpty } from '../checks.js';
import type { Dims, KeepdimArg } from '../reduce.js';
import { reduceOptions } from '../reduce.js';
import { svdvals } from './spectral.js';

/** Order of a norm: a number (`Infinity` for ∞), or 'fro' / 'nuc' for matrix norms. */
export type NormOrd = number | 'fro' | 'nuc';

/**
 * The vector p-norm reduction, the one kernel behind every norm here: (Σ|x|^p)^(1/p), max/min
 * |x| for ±∞, the count of nonzeros for 0. Its gradient (rule 'norm') is 0 at x = 0 for p = 2,
 * as in PyTorch. `op` names the public caller in errors.
 */
function pNorm(op: string, x: Tensor, ord: number, dims: Dims, keepdim: boolean): Tensor {
  checkFloating(op, x);
  if (typeof ord !== 'number' || Number.isNaN(ord)) {
    throw new TorchletError(`${op}: ord must be a number (Infinity for ∞), got ${String(ord)}`);
  }
  const d = normalizeDims(dims, x.ndim, op);
  if (Math.abs(ord) === Number.POSITIVE_INFINITY) checkNonEmpty(op, x, d);
  const attrs = { dims: d, keepdim, p: ord, dtype: x.dtype };
  return record('norm', [x], run1('norm', [x], attrs), attrs);
}

/**
 * `torch.norm` / `x.norm(p, dims, keepdim)`: the vector p-norm over `dims` (all when omitted)
 * for a number p or 'fro' (p = 2, over any dims), the nuclear norm for 'nuc' (over two dims).
 *
 * @example norm(x)              // 2-norm of all elements
 * @example x.norm(1, -1, true)  // L1 norm of each row, kept as a column
 */
export function norm(x: Tensor, p: NormOrd = 'fro', dims?: Dims, keepdimOrOptions?: KeepdimArg): Tensor {
  const keepdim = reduceOptions(keepdimOrOptions).keepdim ?? false;
  if (p === 'nuc') {
    const d =
      dims === undefined
        ? normalizeDims(undefined, x.ndim, 'norm')
        : typeof dims === 'number'
          ? [dims]
          : dims;
    return matrixNorm(x, 'nuc', d, keepdim);
  }
  return pNorm('norm', x, p === 'fro' ? 2 : p, dims, keepdim);
}

/**
 * Vector p-norm over `dim` (all dims when omitted), as `torch.linalg.vector_norm`; see {@link norm}.
 * @example linalg.vectorNorm(tensor([3, 4])).item(); // 5
 */
export function vectorNorm(x: Tensor, ord = 2, dim?: Dims, keepdim = false): Tensor {
  return pNorm('linalg.vectorNorm', x, ord, dim, keepdim);
}

/** Two distinct matrix dims, normalized. */
function matrixDims(op: string, x: Tensor, dim: readonly number[]): [number, number] {
  if (dim.length !== 2) throw new IndexError(`${op}: dim must name 2 dims, got [${dim.join(',')}]`);
  const d0 = normalizeDim(dim[0]!, x.ndim, op);
  const d1 = normalizeDim(dim[1]!, x.ndim, op);
  if (d0 === d1) throw new IndexError(`${op}: dims must be different, got [${dim.join(',')}]`);
  return [d0, d1];
}

/**
 * Matrix norm over the two dims `dim` (default the last two): 'fro', 'nuc' (sum of singular
 * values), 2 / −2 (largest / smallest singular value), 1 / −1 (max / min column abs-sum) and
 * ∞ / −∞ (max / min row abs-sum).
 * @example linalg.matrixNorm(tensor([[1, -2], [3, 4]]), 1).item(); // 6
 */
export function matrixNorm(
  A: Tensor,
  ord: NormOrd = 'fro',
  dim: readonly number[] = [-2, -1],
  keepdim = false,
): Tensor {
  const op = 'linalg.matrixNorm';
  checkFloating(op, A);
  if (A.ndim < 2) throw new TorchletError(`${op}: A must have at least 2 dims, got ${A.ndim}`);
  const [d0, d1] = matrixDims(op, A, dim);
  if (ord === 'fro') return pNorm(op, A, 2, [d0, d1], keepdim);
  const restore = (r: Tensor): Tensor => (keepdim ? r : r.squeeze([d0, d1]));
  if (ord === 'nuc' || ord === 2 || ord === -2) {
    const others = Array.from({ length: A.ndim }, (_, i) => i).filter((i) => i !== d0 && i !== d1);
    const S = svdvals(A.permute([...others, d0, d1]));
    const r = ord === 'nuc' ? S.sum(-1) : ord === 2 ? S.amax(-1) : S.amin(-1);
    return keepdim ? r.unsqueeze(Math.min(d0, d1)).unsqueeze(Math.max(d0, d1)) : r;
  }
  const abs = A.abs();
  if (ord === 1 || ord === -1) {
    const cols = abs.sum(d0, true);
    return restore(ord === 1 ? cols.amax(d1, true) : cols.amin(d1, true));
  }
  if (ord === Number.POSITIVE_INFINITY || ord === Number.NEGATIVE_INFINITY) {
    const rows = abs.sum(d1, true);
    return restore(ord > 0 ? rows.amax(d0, true) : rows.amin(d0, true));
  }
  throw new TorchletError(
    `${op}: order ${String(ord)} is not supported (use 'fro', 'nuc', 1, -1, 2, -2, ±Infinity)`,
  );
}

/**
 * `torch.linalg.norm`: a vector norm when `dim` is one dim (or `A` is 1-D), a matrix norm when
 * `dim` is two dims (or `A` is 2-D and `ord` is given); without `ord` and `dim`, the 2-norm of
 * all elements.
 */
export function linalgNorm(
  A: Tensor,
  ord?: NormOrd,
  dim?: number | readonly number[],
  keepdim = false,
): Tensor {
  const op = 'linalg.norm';
  const dims = typeof dim === 'number' ? [dim] : dim;
  if (dims !== undefined && dims.length === 2) return matrixNorm(A, ord ?? 'fro', dims, keepdim);
  const vectorOrd = (): number => {
    if (typeof ord === 'string')
      throw new TorchletError(`${op}: ord '${ord}' needs a matrix (2 dims), got a vector norm`);
    return ord ?? 2;
  };
  if (dims !== undefined) {
    if (dims.length !== 1) throw new IndexError(`${op}: dim must name 1 or 2 dims, got [${dims.join(',')}]`);
    return vectorNorm(A, vectorOrd(), dims, keepdim);
  }
  if (ord === undefined) return vectorNorm(A, 2, undefined, keepdim);
  if (A.ndim === 2) return matrixNorm(A, ord, [-2, -1], keepdim);
  if (A.ndim === 1) return vectorNorm(A, vectorOrd(), undefined, keepdim);
  throw new TorchletError(`${op}: when ord is given without dim, A must be 1-D or 2-D, got ${A.ndim} dims`);
}
