import { record } from '../../autograd-hooks.js';
import { run1, runKernel } from '../../backend.js';
import { TorchletError } from '../../errors.js';
import type { Tensor } from '../../tensor.js';
import { namedTuple } from '../named-tuple.js';
import { checkMatrices } from './check.js';

/** Options of {@link cholesky} (`torch.linalg.cholesky`). */
export interface CholeskyOptions {
  /** Return the upper factor U (A = UᵀU) instead of the lower L (A = LLᵀ). */
  upper?: boolean;
}

/**
 * Cholesky factor of each symmetric positive-definite matrix (only the lower triangle is read);
 * throws when a leading minor is not positive-definite.
 */
export function cholesky(A: Tensor, options: CholeskyOptions = {}): Tensor {
  checkMatrices('linalg.cholesky', A, true);
  const upper = options.upper ?? false;
  return record('linalgCholesky', [A], run1('linalgCholesky', [A], { dtype: A.dtype, upper }), { upper });
}

/** What {@link qr} returns; see {@link QrOptions.mode}. */
export type QrMode = 'reduced' | 'complete' | 'r';

/** Options of {@link qr} (`torch.linalg.qr`). */
export interface QrOptions {
  /** 'reduced' (default): Q m×k, R k×n; 'complete': Q m×m, R m×n; 'r': R only (Q empty). */
  mode?: QrMode;
}

/** Orthogonal Q and upper-triangular R with A = QR. */
export type QrResult = [Q: Tensor, R: Tensor] & { Q: Tensor; R: Tensor };

/**
 * Householder QR of each matrix of `[..., m, n]`, with LAPACK's sign convention (so Q and R
 * match PyTorch's).
 * @example const { Q, R } = linalg.qr(randn([5, 3])); // Q [5,3] orthonormal columns, R [3,3]
 */
export function qr(A: Tensor, options: QrOptions = {}): QrResult {
  const mode = options.mode ?? 'reduced';
  if (mode !== 'reduced' && mode !== 'complete' && mode !== 'r') {
    throw new TorchletError(`linalg.qr: mode must be 'reduced', 'complete' or 'r', got '${mode}'`);
  }
  checkMatrices('linalg.qr', A, false);
  const [Q, R] = runKernel('linalgQr', [A], { dtype: A.dtype, mode }) as Tensor[];
  record('linalgQr', [A], [Q!, R!], { mode });
  return namedTuple<QrResult>(['Q', 'R'], [Q!, R!]);
}
