import { record } from '../../autograd-hooks.js';
import { run1, runKernel } from '../../backend.js';
import { fmtShape, ShapeError, TorchletError } from '../../errors.js';
import { broadcastShapes, shapesEqual } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { eye } from '../creation.js';
import { matmul } from '../matmul.js';
import { namedTuple } from '../named-tuple.js';
import { resultType } from '../promotion.js';
import { checkMatrices } from './check.js';

/**
 * Determinant of each square matrix of `[..., n, n]` (LU with partial pivoting, in float64).
 * @example linalg.det(tensor([[1, 2], [3, 4]])).item(); // -2
 */
export function det(A: Tensor): Tensor {
  checkMatrices('linalg.det', A, true);
  return record('linalgDet', [A], run1('linalgDet', [A], { dtype: A.dtype }));
}

/** Sign and natural log of the absolute determinant, stable where `det` would overflow. */
/** `[sign, logabsdet]`, also by name: sign is −1, 0 or 1; logabsdet is log|det A| (−∞ when singular). */
export type SlogdetResult = [sign: Tensor, logabsdet: Tensor] & { sign: Tensor; logabsdet: Tensor };

/** `(sign, log|det|)` of each square matrix, as `torch.linalg.slogdet`. */
export function slogdet(A: Tensor): SlogdetResult {
  checkMatrices('linalg.slogdet', A, true);
  const [sign, logabsdet] = runKernel('linalgSlogdet', [A], { dtype: A.dtype }) as Tensor[];
  record('linalgSlogdet', [A], [sign!, logabsdet!]);
  return namedTuple<SlogdetResult>(['sign', 'logabsdet'], [sign!, logabsdet!]);
}

/** log det A: NaN for a negative determinant, −∞ for a singular matrix (as `torch.logdet`). */
export function logdet(A: Tensor): Tensor {
  const { sign, logabsdet } = slogdet(A);
  return sign.log().add(logabsdet);
}

/** Inverse of each square matrix; throws for an exactly singular one. */
export function inv(A: Tensor): Tensor {
  checkMatrices('linalg.inv', A, true);
  const out = run1('linalgSolve', [A], { dtype: A.dtype, identity: true, op: 'linalg.inv' });
  return record('linalgInv', [A], out);
}

/** Options of {@link solve} (`torch.linalg.solve`). */
export interface SolveOptions {
  /** Solve A·X = B (default) or, when false, X·A = B. */
  left?: boolean;
}

/**
 * Solution X of A·X = B, broadcasting batch dims. B may be a vector `[..., n]` (when it is 1-D
 * or has exactly A's batch dims), as in `torch.linalg.solve`.
 * @example linalg.solve(tensor([[2, 0], [0, 4]]), tensor([2, 4])); // tensor([1, 1])
 */
export function solve(A: Tensor, B: Tensor, options: SolveOptions = {}): Tensor {
  checkMatrices('linalg.solve', A, true);
  if (options.left === false) {
    if (B.ndim < 2)
      throw new ShapeError(`linalg.solve: B must be a matrix when left=false, got ${fmtShape(B.shape)}`);
    return solve(A.mT, B.mT).mT;
  }
  const n = A.shape[A.ndim - 1]!;
  const vector = B.ndim === 1 || (B.ndim === A.ndim - 1 && shapesEqual(B.shape, A.shape.slice(0, -1)));
  const Bm = vector ? B.unsqueeze(-1) : B;
  if (Bm.ndim < 2 || Bm.shape[Bm.ndim - 2] !== n) {
    throw new ShapeError(
      `linalg.solve: incompatible shapes of A and B for the equation AX = B (A ${fmtShape(A.shape)}, B ${fmtShape(B.shape)})`,
    );
  }
  const dtype = resultType([A, Bm]);
  const Bc = Bm.to(dtype);
  checkMatrices('linalg.solve', Bc, false, 'B');
  const batch = broadcastShapes('linalg.solve', A.shape.slice(0, -2), Bm.shape.slice(0, -2));
  const k = Bm.shape[Bm.ndim - 1]!;
  const Ae = A.to(dtype).expand([...batch, n, n]);
  const Be = Bc.expand([...batch, n, k]);
  const X = record('linalgSolve', [Ae, Be], run1('linalgSolve', [Ae, Be], { dtype, op: 'linalg.solve' }));
  return vector ? X.squeeze(-1) : X;
}

/**
 * A raised to the integer power `n` by repeated squaring (n < 0 inverts first, n = 0 gives the
 * identity), as `torch.linalg.matrix_power`.
 */
export function matrixPower(A: Tensor, n: number): Tensor {
  checkMatrices('linalg.matrixPower', A, true);
  if (!Number.isInteger(n)) throw new TorchletError(`linalg.matrixPower: n must be an integer, got ${n}`);
  const size = A.shape[A.ndim - 1]!;
  if (n === 0) return eye(size, size, { dtype: A.dtype, device: A.device }).expand(A.shape);
  let base = n < 0 ? inv(A) : A;
  let result: Tensor | null = null;
  for (let e = Math.abs(n); e > 0; e >>= 1) {
    if (e & 1) result = result === null ? base : matmul(result, base);
    if (e > 1) base = matmul(base, base);
  }
  return result!;
}
