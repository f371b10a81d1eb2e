import { fmtShape, ShapeError, type Tensor, TorchletError, where } from '@torchlet/tensor';
import { pairwiseDistance } from './distance.js';
import type { LossOptions } from './loss-regression.js';
import { applyReduction } from './reduction.js';

/** 1 − cos(x1, x2) where y = 1, max(0, cos(x1, x2) − margin) where y = −1. */
export function cosineEmbeddingLoss(
  x1: Tensor,
  x2: Tensor,
  y: Tensor,
  options: LossOptions & { margin?: number } = {},
): Tensor {
  const margin = options.margin ?? 0;
  if (fmtShape(x1.shape) !== fmtShape(x2.shape)) {
    throw new ShapeError(
      `cosineEmbeddingLoss: inputs of shapes ${fmtShape(x1.shape)} and ${fmtShape(x2.shape)} differ`,
    );
  }
  const dim = x1.ndim - 1;
  // PyTorch's form: eps added to each squared magnitude before the square root.
  const EPS = 1e-12;
  const m1 = x1.square().sum(dim).add(EPS);
  const m2 = x2.square().sum(dim).add(EPS);
  const cos = x1.mul(x2).sum(dim).div(m1.mul(m2).sqrt());
  const loss = where(y.eq(1), cos.neg().add(1), 0).add(where(y.eq(-1), cos.sub(margin).clamp(0), 0));
  return applyReduction('cosineEmbeddingLoss', loss, options.reduction);
}

/** max(0, −y·(x1 − x2) + margin): x1 should rank above x2 where y = 1, below where y = −1. */
export function marginRankingLoss(
  x1: Tensor,
  x2: Tensor,
  y: Tensor,
  options: LossOptions & { margin?: number } = {},
): Tensor {
  const loss = y
    .neg()
    .mul(x1.sub(x2))
    .add(options.margin ?? 0)
    .clamp(0);
  return applyReduction('marginRankingLoss', loss, options.reduction);
}

/** Options of {@link tripletMarginLoss} (`F.triplet_margin_loss`); defaults margin 1, p 2, eps 1e-6. */
export interface TripletMarginOptions extends LossOptions {
  margin?: number;
  /** Norm degree of the distance (default 2). */
  p?: number;
  eps?: number;
  /** Use the distance from positive to negative when it is smaller (default false). */
  swap?: boolean;
}

/** max(d(a, p) − d(a, n) + margin, 0) with the pairwise p-norm distance. */
export function tripletMarginLoss(
  anchor: Tensor,
  positive: Tensor,
  negative: Tensor,
  options: TripletMarginOptions = {},
): Tensor {
  const { p = 2, eps = 1e-6 } = options;
  return tripletLoss('tripletMarginLoss', anchor, positive, negative, {
    ...options,
    distanceFunction: (a, b) => pairwiseDistance(a, b, p, eps),
  });
}

/** A distance between batches of embeddings: one value per pair. */
export type DistanceFunction = (x1: Tensor, x2: Tensor) => Tensor;

/** Options of {@link tripletMarginWithDistanceLoss} (`F.triplet_margin_with_distance_loss`). */
export interface TripletMarginWithDistanceOptions extends LossOptions {
  /** Default: the pairwise Euclidean distance. */
  distanceFunction?: DistanceFunction | null;
  /** Default 1; must be positive. */
  margin?: number;
  /** Use the distance from positive to negative when it is smaller (default false). */
  swap?: boolean;
}

function tripletLoss(
  op: string,
  anchor: Tensor,
  positive: Tensor,
  negative: Tensor,
  options: TripletMarginWithDistanceOptions,
): Tensor {
  const { margin = 1, swap = false } = options;
  const d = options.distanceFunction ?? ((a: Tensor, b: Tensor) => pairwiseDistance(a, b));
  const dPos = d(anchor, positive);
  let dNeg = d(anchor, negative);
  if (swap) dNeg = dNeg.minimum(d(positive, negative));
  const loss = dPos.sub(dNeg).add(margin).clamp(0);
  return applyReduction(op, loss, options.reduction);
}

/**
 * max(d(a, p) − d(a, n) + margin, 0) with any distance function.
 *
 * @example
 * tripletMarginWithDistanceLoss(a, p, n, { distanceFunction: (x, y) => cosineSimilarity(x, y).neg().add(1) });
 */
export function tripletMarginWithDistanceLoss(
  anchor: Tensor,
  positive: Tensor,
  negative: Tensor,
  options: TripletMarginWithDistanceOptions = {},
): Tensor {
  const margin = options.margin ?? 1;
  if (!(margin > 0))
    throw new TorchletError(`tripletMarginWithDistanceLoss: margin must be positive, got ${margin}`);
  const shapes = [anchor, positive, negative].map((t) => fmtShape(t.shape));
  if (anchor.ndim === 0 || new Set(shapes).size !== 1) {
    throw new ShapeError(
      `tripletMarginWithDistanceLoss: anchor, positive and negative must have one shape, got ${shapes.join(', ')}`,
    );
  }
  return tripletLoss('tripletMarginWithDistanceLoss', anchor, positive, negative, options);
}

/** x where y = 1, max(0, margin − x) where y = −1. */
export function hingeEmbeddingLoss(
  x: Tensor,
  y: Tensor,
  options: LossOptions & { margin?: number } = {},
): Tensor {
  const margin = options.margin ?? 1;
  const loss = where(y.ne(1), x.neg().add(margin).clamp(0), 0).add(where(y.ne(-1), x, 0));
  return applyReduction('hingeEmbeddingLoss', loss, options.reduction);
}

/** Two-class logistic loss log(1 + exp(−y·x)) for y in {−1, 1}. */
export function softMarginLoss(x: Tensor, y: Tensor, options: LossOptions = {}): Tensor {
  const loss = y.neg().mul(x).exp().log1p();
  return applyReduction('softMarginLoss', loss, options.reduction);
}
