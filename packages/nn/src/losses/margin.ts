import { type Tensor, TorchletError } from '@torchlet/tensor';
import {
  type MultiMarginOptions,
  multilabelMarginLoss,
  multilabelSoftMarginLoss,
  multiMarginLoss,
} from '../functional/loss-margin.js';
import { Loss, type LossModuleOptions, WeightedLoss } from './loss.js';

/**
 * Multi-class hinge loss: `call(scores [N, C], classes [N])`, Σ_{j≠y} w[y]·max(0, margin − x[y] + x[j])^p / C.
 */
export class MultiMarginLoss extends WeightedLoss {
  readonly p: 1 | 2;
  readonly margin: number;

  constructor(options: MultiMarginOptions = {}) {
    super(options);
    this.p = options.p ?? 1;
    if (this.p !== 1 && this.p !== 2)
      throw new TorchletError(`MultiMarginLoss: p must be 1 or 2, got ${String(this.p)}`);
    this.margin = options.margin ?? 1;
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return multiMarginLoss(input, target, {
      p: this.p,
      margin: this.margin,
      weight: this.weight,
      reduction: this.reduction,
    });
  }

  override extraRepr(): string {
    const parts = [`p=${this.p}`, `margin=${this.margin}`];
    const base = super.extraRepr();
    return base ? `${parts.join(', ')}, ${base}` : parts.join(', ');
  }
}

/**
 * Multi-label hinge loss: `call(scores [N, C], targets [N, C])` where each target row lists class
 * indices ended by −1.
 *
 * @example
 * new MultiLabelMarginLoss().call(scores, tensor([[3, 0, -1, 1]], { dtype: 'int32' })); // classes 3 and 0
 */
export class MultiLabelMarginLoss extends Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return multilabelMarginLoss(input, target, { reduction: this.reduction });
  }
}

/** Multi-label one-versus-all logistic loss: `call(scores [N, C], targets in {0, 1} [N, C])`. */
export class MultiLabelSoftMarginLoss extends WeightedLoss {
  constructor(options: LossModuleOptions & { weight?: Tensor | null } = {}) {
    super(options);
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return multilabelSoftMarginLoss(input, target, { weight: this.weight, reduction: this.reduction });
  }
}
