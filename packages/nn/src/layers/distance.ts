import { fmtShape, ShapeError, type Tensor } from '@torchlet/tensor';
import { cosineSimilarity, pairwiseDistance } from '../functional/distance.js';
import { Module } from '../module.js';

/** Options of {@link PairwiseDistance}; PyTorch's defaults p = 2, eps = 1e-6, keepdim false. */
export interface PairwiseDistanceOptions {
  p?: number;
  eps?: number;
  keepdim?: boolean;
}

/**
 * ‖x1 − x2 + eps‖_p over the last dim: `call(x1, x2)` with broadcasting shapes.
 *
 * @example
 * new PairwiseDistance().call(a, b); // a, b: [N, D] → [N]
 */
export class PairwiseDistance extends Module {
  readonly p: number;
  readonly eps: number;
  readonly keepdim: boolean;

  constructor(options: PairwiseDistanceOptions = {}) {
    super();
    this.p = options.p ?? 2;
    this.eps = options.eps ?? 1e-6;
    this.keepdim = options.keepdim ?? false;
  }

  override forward(x1: Tensor, x2: Tensor): Tensor {
    checkLastDims(this.className, x1, x2, -1);
    return pairwiseDistance(x1, x2, this.p, this.eps, this.keepdim);
  }

  override extraRepr(): string {
    return `p=${this.p}, eps=${this.eps}, keepdim=${this.keepdim}`;
  }
}

/** Cosine similarity of `call(x1, x2)` along `dim` (default 1), floored denominator `eps` (1e-8). */
export class CosineSimilarity extends Module {
  readonly dim: number;
  readonly eps: number;

  constructor(options: { dim?: number; eps?: number } = {}) {
    super();
    this.dim = options.dim ?? 1;
    this.eps = options.eps ?? 1e-8;
  }

  override forward(x1: Tensor, x2: Tensor): Tensor {
    checkLastDims(this.className, x1, x2, this.dim);
    return cosineSimilarity(x1, x2, this.dim, this.eps);
  }

  override extraRepr(): string {
    return `dim=${this.dim}, eps=${this.eps}`;
  }
}

/** Both inputs must broadcast along `dim` (a positive dim counts in the broadcast shape). */
function checkLastDims(name: string, x1: Tensor, x2: Tensor, dim: number): void {
  const ndim = Math.max(x1.ndim, x2.ndim);
  const fromEnd = dim < 0 ? dim : dim - ndim;
  const [a, b] = [x1, x2].map((t) => t.shape[t.ndim + fromEnd]);
  if (fromEnd < -ndim || (a !== undefined && b !== undefined && a !== b && a !== 1 && b !== 1)) {
    throw new ShapeError(
      `${name}: inputs of shapes ${fmtShape(x1.shape)} and ${fmtShape(x2.shape)} do not match in dim ${dim}`,
    );
  }
}
