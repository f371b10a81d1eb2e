import { noGrad, record } from '../../autograd-hooks.js';
import { runKernel } from '../../backend.js';
import { TorchletError } from '../../errors.js';
import type { Tensor } from '../../tensor.js';
import { maximum, where } from '../elementwise.js';
import { namedTuple } from '../named-tuple.js';
import { checkMatrices } from './check.js';

/** Options of {@link eigh} and {@link eigvalsh}; only one triangle of A is read. */
export interface EighOptions {
  /** Which triangle of A to read: 'L' (default) or 'U'. */
  UPLO?: 'L' | 'U';
}

/** Eigenvalues (ascending) and orthonormal eigenvectors (columns) of a symmetric matrix. */
export type EighResult = [eigenvalues: Tensor, eigenvectors: Tensor] & {
  eigenvalues: Tensor;
  eigenvectors: Tensor;
};

/**
 * Eigendecomposition of each symmetric matrix of `[..., n, n]` by cyclic Jacobi rotations in
 * float64. Eigenvectors are unique only up to sign (and within repeated eigenvalues).
 * @example linalg.eigh(tensor([[0, -2], [-2, 0]])).eigenvalues; // tensor([-2, 2])
 */
export function eigh(A: Tensor, options: EighOptions = {}): EighResult {
  const uplo = options.UPLO ?? 'L';
  if (uplo !== 'L' && uplo !== 'U')
    throw new TorchletError(`linalg.eigh: UPLO must be 'L' or 'U', got '${uplo}'`);
  checkMatrices('linalg.eigh', A, true);
  const [eigenvalues, eigenvectors] = runKernel('linalgEigh', [A], { dtype: A.dtype, uplo }) as Tensor[];
  record('linalgEigh', [A], [eigenvalues!, eigenvectors!]);
  return namedTuple<EighResult>(['eigenvalues', 'eigenvectors'], [eigenvalues!, eigenvectors!]);
}

/** Eigenvalues (ascending) of each symmetric matrix. */
export function eigvalsh(A: Tensor, options: EighOptions = {}): Tensor {
  return eigh(A, options).eigenvalues;
}

/** Options of {@link svd} (`torch.linalg.svd`). */
export interface SvdOptions {
  /** U m×m and Vh n×n (default true, as PyTorch); false gives U m×k and Vh k×n. */
  fullMatrices?: boolean;
}

/** A = U·diag(S)·Vh with S descending. */
export type SvdResult = [U: Tensor, S: Tensor, Vh: Tensor] & { U: Tensor; S: Tensor; Vh: Tensor };

/**
 * Singular value decomposition of each matrix of `[..., m, n]` by one-sided Jacobi in float64,
 * accurate to the last bits even for ill-conditioned input. Singular vectors are unique only up
 * to sign (and within repeated singular values).
 * @example const { S } = linalg.svd(tensor([[3, 0], [4, 5]])); // S = [6.7082, 2.2361]
 */
export function svd(A: Tensor, options: SvdOptions = {}): SvdResult {
  checkMatrices('linalg.svd', A, false);
  const fullMatrices = options.fullMatrices ?? true;
  const [U, S, Vh] = runKernel('linalgSvd', [A], { dtype: A.dtype, fullMatrices }) as Tensor[];
  record('linalgSvd', [A], [U!, S!, Vh!], { fullMatrices });
  return namedTuple<SvdResult>(['U', 'S', 'Vh'], [U!, S!, Vh!]);
}

/** Singular values (descending) of each matrix. */
export function svdvals(A: Tensor): Tensor {
  return svd(A, { fullMatrices: false }).S;
}

/**
 * Tolerances of `matrixRank` (`torch.linalg.matrix_rank`); singular values ≤ max(atol, rtol·σ_max) count as
 * zero.
 */
export interface RankOptions {
  /** Absolute tolerance: singular values ≤ this count as zero. */
  atol?: number;
  /** Relative tolerance, times the largest singular value (default eps·max(m, n) when no atol). */
  rtol?: number;
  /** Alias of `atol` (PyTorch's older `tol`). */
  tol?: number;
  /** A is symmetric: use |eigenvalues| instead of singular values. */
  hermitian?: boolean;
}

/** machine epsilon of a floating dtype. */
function epsOf(A: Tensor): number {
  return A.dtype === 'float64' ? 2.220446049250313e-16 : 1.1920928955078125e-7;
}

/** Cut-off below which singular values count as zero: max(atol, rtol·σ_max), per matrix. */
function cutoff(A: Tensor, S: Tensor, options: RankOptions): Tensor {
  const atol = options.atol ?? options.tol ?? 0;
  const rtol =
    options.rtol ??
    (options.atol === undefined && options.tol === undefined
      ? epsOf(A) * Math.max(A.shape[A.ndim - 2]!, A.shape[A.ndim - 1]!)
      : 0);
  const smax = S.shape[S.ndim - 1] === 0 ? S.sum(-1) : S.amax(-1);
  return maximum(smax.mul(rtol), atol).unsqueeze(-1);
}

/** Singular values (or |eigenvalues| when `hermitian`), without recording for autograd. */
function spectrum(A: Tensor, hermitian: boolean | undefined): Tensor {
  return noGrad(() => (hermitian ? eigvalsh(A).abs() : svdvals(A)));
}

/** Numerical rank of each matrix: how many singular values exceed the tolerance (int32). */
export function matrixRank(A: Tensor, options: RankOptions = {}): Tensor {
  checkMatrices('linalg.matrixRank', A, false);
  const S = spectrum(A, options.hermitian);
  return noGrad(() => S.gt(cutoff(A, S, options)).sum(-1));
}

/**
 * Moore–Penrose pseudo-inverse via the SVD, dropping singular values at or below the tolerance
 * (default rtol eps·max(m, n)). Differentiable where the rank does not change.
 */
export function pinv(A: Tensor, options: Omit<RankOptions, 'hermitian'> = {}): Tensor {
  checkMatrices('linalg.pinv', A, false);
  const { U, S, Vh } = svd(A, { fullMatrices: false });
  const keep = noGrad(() => S.gt(cutoff(A, S.detach(), options)));
  // Zeroed values divide by 1 first, so neither the value nor its gradient meets 1/0.
  const sInv = where(keep, where(keep, S, 1).reciprocal(), 0);
  return Vh.mT.mul(sInv.unsqueeze(-2)).matmul(U.mT);
}
