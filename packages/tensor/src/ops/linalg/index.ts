import { installMethods } from '../methods.js';
import type { Dims, KeepdimArg } from '../reduce.js';
import { cross } from './cross.js';
import { cholesky, qr } from './factor.js';
import { linalgNorm, matrixNorm, type NormOrd, norm, vectorNorm } from './norms.js';
import { det, inv, logdet, matrixPower, type SlogdetResult, slogdet, solve } from './solve.js';
import { eigh, eigvalsh, matrixRank, pinv, svd, svdvals } from './spectral.js';
import { trace } from './trace.js';

export type { CholeskyOptions, QrMode, QrOptions, QrResult } from './factor.js';
export type { NormOrd } from './norms.js';
export type { SlogdetResult, SolveOptions } from './solve.js';
export type { EighOptions, EighResult, RankOptions, SvdOptions, SvdResult } from './spectral.js';
export { norm, trace };

/**
 * `torch.linalg` for torchlet: decompositions (float64 internally), solves and norms over
 * batches of matrices `[..., m, n]`, all differentiable.
 * @example
 * import { linalg, tensor } from '@torchlet/tensor';
 * linalg.det(tensor([[1, 2], [3, 4]])).item(); // -2
 * linalg.eigh(tensor([[0, -2], [-2, 0]])).eigenvalues.toArray(); // [-2, 2]
 */
export const linalg = {
  det,
  slogdet,
  logdet,
  inv,
  solve,
  matrixPower,
  cholesky,
  qr,
  eigh,
  eigvalsh,
  svd,
  svdvals,
  matrixRank,
  pinv,
  norm: linalgNorm,
  vectorNorm,
  matrixNorm,
  cross,
} as const;

installMethods({
  norm,
  trace,
  det,
  slogdet,
  logdet,
  inverse: inv,
  matrixPower,
  pinverse: pinv,
});

declare module '../../tensor.js' {
  interface Tensor {
    /** Vector p-norm over `dims` (all when omitted), or 'nuc' over two dims, as `torch.Tensor.norm`. */
    norm(p?: NormOrd, dims?: Dims, keepdim?: KeepdimArg): Tensor;
    /** Sum of the main diagonal (2-D). */
    trace(): Tensor;
    /** Determinant of each square matrix. */
    det(): Tensor;
    /** Sign and log|det| of each square matrix. */
    slogdet(): SlogdetResult;
    /** log det of each square matrix. */
    logdet(): Tensor;
    /** Inverse of each square matrix. */
    inverse(): Tensor;
    /** Integer matrix power. */
    matrixPower(n: number): Tensor;
    /** Moore–Penrose pseudo-inverse. */
    pinverse(): Tensor;
  }
}
