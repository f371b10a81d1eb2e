import { linalg, type Tensor } from '@torchlet/tensor';

/**
 * ‖x1 − x2 + eps‖_p over the last dim (inputs broadcast), as
 * `torch.nn.functional.pairwise_distance`.
 */
export function pairwiseDistance(x1: Tensor, x2: Tensor, p = 2, eps = 1e-6, keepdim = false): Tensor {
  return linalg.vectorNorm(x1.sub(x2).add(eps), p, -1, keepdim);
}

/** Cosine similarity along `dim` (inputs broadcast): x1·x2 / max(‖x1‖·‖x2‖, eps). */
export function cosineSimilarity(x1: Tensor, x2: Tensor, dim = 1, eps = 1e-8): Tensor {
  const n1 = x1.square().sum(dim).sqrt();
  const n2 = x2.square().sum(dim).sqrt();
  return x1.mul(x2).sum(dim).div(n1.mul(n2).clamp(eps));
}

/**
 * Divides `x` by its p-norm along `dim`, floored at `eps`, as `torch.nn.functional.normalize`.
 *
 * @example
 * normalize(embeddings, { dim: -1 }); // unit rows
 */
export function normalize(x: Tensor, options: { p?: number; dim?: number; eps?: number } = {}): Tensor {
  const { p = 2, dim = 1, eps = 1e-12 } = options;
  return x.div(linalg.vectorNorm(x, p, dim, true).clamp(eps));
}
