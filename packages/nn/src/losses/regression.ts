import type { Tensor } from '@torchlet/tensor';
import {
  type GaussianNLLOptions,
  gaussianNllLoss,
  huberLoss,
  l1Loss,
  mseLoss,
  type PoissonNLLOptions,
  poissonNllLoss,
  smoothL1Loss,
} from '../functional/loss-regression.js';
import { Loss, type LossModuleOptions } from './loss.js';

/**
 * Mean squared error.
 *
 * @example
 * new MSELoss().call(tensor([1, 5, 4]), tensor([2, 3, 1])).item(); // 4.6667
 */
export class MSELoss extends Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, { reduction: this.reduction });
  }
}

/** Mean absolute error. */
export class L1Loss extends Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return l1Loss(input, target, { reduction: this.reduction });
  }
}

/** Quadratic below `beta` (default 1), linear above. */
export class SmoothL1Loss extends Loss {
  readonly beta: number;
  constructor(options: LossModuleOptions & { beta?: number } = {}) {
    super(options);
    this.beta = options.beta ?? 1;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}

/** Quadratic below `delta` (default 1), linear (scaled by δ) above. */
export class HuberLoss extends Loss {
  readonly delta: number;
  constructor(options: LossModuleOptions & { delta?: number } = {}) {
    super(options);
    this.delta = options.delta ?? 1;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}

/** Poisson negative log-likelihood; the input is log(rate) unless `logInput: false`. */
export class PoissonNLLLoss extends Loss {
  readonly options: PoissonNLLOptions;
  constructor(options: PoissonNLLOptions = {}) {
    super(options);
    this.options = { ...options, reduction: this.reduction };
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return poissonNllLoss(input, target, this.options);
  }
}

/** Gaussian negative log-likelihood with predicted variances: `call(input, target, var)`. */
export class GaussianNLLLoss extends Loss {
  readonly options: GaussianNLLOptions;
  constructor(options: GaussianNLLOptions = {}) {
    super(options);
    this.options = { ...options, reduction: this.reduction };
  }
  override forward(input: Tensor, target: Tensor, variance: Tensor): Tensor {
    return gaussianNllLoss(input, target, variance, this.options);
  }
}
