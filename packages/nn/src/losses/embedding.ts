import type { Tensor } from '@torchlet/tensor';
import {
  cosineEmbeddingLoss,
  hingeEmbeddingLoss,
  marginRankingLoss,
  softMarginLoss,
  type TripletMarginOptions,
  type TripletMarginWithDistanceOptions,
  tripletMarginLoss,
  tripletMarginWithDistanceLoss,
} from '../functional/loss-embedding.js';
import { Loss, type LossModuleOptions } from './loss.js';

/** A loss with a `margin` setting. */
abstract class MarginLoss extends Loss {
  readonly margin: number;
  constructor(options: LossModuleOptions & { margin?: number }, defaultMargin: number) {
    super(options);
    this.margin = options.margin ?? defaultMargin;
  }
}

/** 1 − cos(x1, x2) for y = 1, max(0, cos − margin) for y = −1: `call(x1, x2, y)`. */
export class CosineEmbeddingLoss extends MarginLoss {
  constructor(options: LossModuleOptions & { margin?: number } = {}) {
    super(options, 0);
  }
  override forward(x1: Tensor, x2: Tensor, y: Tensor): Tensor {
    return cosineEmbeddingLoss(x1, x2, y, { margin: this.margin, reduction: this.reduction });
  }
}

/** max(0, −y·(x1 − x2) + margin): `call(x1, x2, y)`. */
export class MarginRankingLoss extends MarginLoss {
  constructor(options: LossModuleOptions & { margin?: number } = {}) {
    super(options, 0);
  }
  override forward(x1: Tensor, x2: Tensor, y: Tensor): Tensor {
    return marginRankingLoss(x1, x2, y, { margin: this.margin, reduction: this.reduction });
  }
}

/** max(d(a, p) − d(a, n) + margin, 0): `call(anchor, positive, negative)`. */
export class TripletMarginLoss extends Loss {
  readonly options: TripletMarginOptions;
  constructor(options: TripletMarginOptions = {}) {
    super(options);
    this.options = { ...options, reduction: this.reduction };
  }
  override forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    return tripletMarginLoss(anchor, positive, negative, this.options);
  }
}

/**
 * max(d(a, p) − d(a, n) + margin, 0) with any distance (default Euclidean): `call(anchor, positive, negative)`.
 *
 * @example
 * new TripletMarginWithDistanceLoss({ distanceFunction: (x, y) => F.cosineSimilarity(x, y).neg().add(1) });
 */
export class TripletMarginWithDistanceLoss extends Loss {
  readonly options: TripletMarginWithDistanceOptions;
  constructor(options: TripletMarginWithDistanceOptions = {}) {
    super(options);
    this.options = { ...options, reduction: this.reduction };
  }
  override forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    return tripletMarginWithDistanceLoss(anchor, positive, negative, this.options);
  }
  override extraRepr(): string {
    const { margin = 1, swap = false } = this.options;
    const base = super.extraRepr();
    return `margin=${margin}, swap=${swap}${base ? `, ${base}` : ''}`;
  }
}

/** x for y = 1, max(0, margin − x) for y = −1. */
export class HingeEmbeddingLoss extends MarginLoss {
  constructor(options: LossModuleOptions & { margin?: number } = {}) {
    super(options, 1);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return hingeEmbeddingLoss(input, target, { margin: this.margin, reduction: this.reduction });
  }
}

/** log(1 + exp(−y·x)) for y in {−1, 1}. */
export class SoftMarginLoss extends Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return softMarginLoss(input, target, { reduction: this.reduction });
  }
}
