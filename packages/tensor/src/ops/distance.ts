import { fmtShape, ShapeError, TorchletError } from '../errors.js';
import { normalizeDim } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { where } from './elementwise.js';
import { vectorNorm } from './linalg/norms.js';
import { installMethods } from './methods.js';

/**
 * p-norm distances between each row of `x1` `[..., P, M]` and each row of `x2` `[..., R, M]`,
 * as `torch.cdist`: the result is `[..., P, R]` (batch dims broadcast).
 * @example cdist(tensor([[0, 0]]), tensor([[3, 4]])).item(); // 5
 */
export function cdist(x1: Tensor, x2: Tensor, p = 2): Tensor {
  if (x1.ndim < 2 || x2.ndim < 2 || x1.shape[x1.ndim - 1] !== x2.shape[x2.ndim - 1]) {
    throw new ShapeError(
      `cdist: expected [..., P, M] and [..., R, M] with equal M, got shapes ${fmtShape(x1.shape)} and ${fmtShape(x2.shape)}`,
    );
  }
  if (!(p >= 0)) throw new TorchletError(`cdist: p must be non-negative, got ${p}`);
  return vectorNorm(x1.unsqueeze(-2).sub(x2.unsqueeze(-3)), p, -1);
}

/**
 * Rescales each slice of `x` along `dim` whose p-norm exceeds `maxnorm` to norm `maxnorm`, as
 * `torch.renorm` (PyTorch's factor maxnorm / (norm + 1e-7), so results sit just below maxnorm).
 */
export function renorm(x: Tensor, p: number, dim: number, maxnorm: number): Tensor {
  if (!(p > 0)) throw new TorchletError(`renorm: non-positive norm not supported, got p=${p}`);
  if (!(maxnorm >= 0)) throw new TorchletError(`renorm: expected maxnorm to be >= 0, got ${maxnorm}`);
  const d = normalizeDim(dim, x.ndim, 'renorm');
  const others = x.shape.map((_, i) => i).filter((i) => i !== d);
  const norms = vectorNorm(x, p, others, true);
  const factor = where(norms.gt(maxnorm), norms.add(1e-7).reciprocal().mul(maxnorm), 1);
  return x.mul(factor);
}

installMethods({ cdist, renorm });

declare module '../tensor.js' {
  interface Tensor {
    /** p-norm distances between the rows of this and of `other`. */
    cdist(other: Tensor, p?: number): Tensor;
    /** Rescales slices along `dim` with p-norm above `maxnorm` down to it. */
    renorm(p: number, dim: number, maxnorm: number): Tensor;
  }
}
