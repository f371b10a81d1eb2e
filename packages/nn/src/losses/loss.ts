import type { Tensor } from '@torchlet/tensor';
import type { Reduction } from '../functional/reduction.js';
import { Module } from '../module.js';

/** Options every loss module takes. */
export interface LossModuleOptions {
  /** 'mean' (default), 'sum' or 'none'. */
  reduction?: Reduction;
}

/** Base of the loss modules: holds the reduction; `forward(input, target)` returns the loss. */
export abstract class Loss extends Module {
  readonly reduction: Reduction;

  constructor(options: LossModuleOptions = {}) {
    super();
    this.reduction = options.reduction ?? 'mean';
  }

  abstract override forward(input: Tensor, target: Tensor, ...rest: Tensor[]): Tensor;

  override extraRepr(): string {
    return this.reduction === 'mean' ? '' : `reduction='${this.reduction}'`;
  }
}

/** A loss with an optional per-class (or per-element) `weight`, kept as a buffer as in PyTorch. */
export abstract class WeightedLoss extends Loss {
  declare weight: Tensor | null;

  constructor(options: LossModuleOptions & { weight?: Tensor | null } = {}) {
    super(options);
    this.registerBuffer('weight', options.weight ?? null);
  }
}
