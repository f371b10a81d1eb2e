import type { Tensor } from '@torchlet/tensor';
import {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  type KLDivOptions,
  klDiv,
  nllLoss,
} from '../functional/loss-classification.js';
import { Module } from '../module.js';
import { type LossModuleOptions, WeightedLoss } from './loss.js';

/** Binary cross-entropy on probabilities in [0, 1], with an optional per-element `weight`. */
export class BCELoss extends WeightedLoss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropy(input, target, { weight: this.weight, reduction: this.reduction });
  }
}

/** Sigmoid + binary cross-entropy on logits; `posWeight` weighs positive examples per class. */
export class BCEWithLogitsLoss extends WeightedLoss {
  declare posWeight: Tensor | null;
  constructor(options: LossModuleOptions & { weight?: Tensor | null; posWeight?: Tensor | null } = {}) {
    super(options);
    this.registerBuffer('posWeight', options.posWeight ?? null, { stateName: 'pos_weight' });
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropyWithLogits(input, target, {
      weight: this.weight,
      posWeight: this.posWeight,
      reduction: this.reduction,
    });
  }
}

/** Options of NLLLoss and CrossEntropyLoss. */
export interface ClassLossOptions extends LossModuleOptions {
  /** Per-class weights [C]. */
  weight?: Tensor | null;
  /** Targets equal to this are skipped (default −100). */
  ignoreIndex?: number;
}

/** Negative log-likelihood of int32 class indices under log-probabilities. */
export class NLLLoss extends WeightedLoss {
  readonly ignoreIndex: number;
  constructor(options: ClassLossOptions = {}) {
    super(options);
    this.ignoreIndex = options.ignoreIndex ?? -100;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return nllLoss(input, target, {
      weight: this.weight,
      ignoreIndex: this.ignoreIndex,
      reduction: this.reduction,
    });
  }
}

/**
 * Cross-entropy of logits against int32 class indices or class probabilities, with class
 * `weight`, `ignoreIndex` and `labelSmoothing`; [N, C] or [N, C, d1, …] inputs.
 *
 * @example
 * const loss = new CrossEntropyLoss();
 * loss.call(logits, labels); // logits [N, 10], labels int32 [N]
 */
export class CrossEntropyLoss extends WeightedLoss {
  readonly ignoreIndex: number;
  readonly labelSmoothing: number;
  constructor(options: ClassLossOptions & { labelSmoothing?: number } = {}) {
    super(options);
    this.ignoreIndex = options.ignoreIndex ?? -100;
    this.labelSmoothing = options.labelSmoothing ?? 0;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return crossEntropy(input, target, {
      weight: this.weight,
      ignoreIndex: this.ignoreIndex,
      labelSmoothing: this.labelSmoothing,
      reduction: this.reduction,
    });
  }
}

/** KL divergence with log-probability inputs; `reduction: 'batchmean'` gives the true KL. */
export class KLDivLoss extends Module {
  readonly reduction: NonNullable<KLDivOptions['reduction']>;
  readonly logTarget: boolean;
  constructor(options: KLDivOptions = {}) {
    super();
    this.reduction = options.reduction ?? 'mean';
    this.logTarget = options.logTarget ?? false;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget });
  }
}
