import { fullLike, type Tensor } from '@torchlet/tensor';
import { type BaseOptions, Optimizer, type ParamGroup, type ParamsInput } from '../optimizer.js';
import { optimizerSpec } from '../options.js';
import { addScaled_, effectiveGrad, scalar } from './tensor-math.js';

/** Options of {@link Adagrad}. */
export interface AdagradOptions extends BaseOptions {
  /** Learning rate (default 1e-2). */
  lr: number;
  /** The step size at step t is `lr / (1 + (t−1)·lrDecay)`. */
  lrDecay: number;
  weightDecay: number;
  /** Starting value of the sum of squared gradients. */
  initialAccumulatorValue: number;
  /** Added to the root of the sum, for stability (default 1e-10). */
  eps: number;
  maximize: boolean;
}

interface AdagradState {
  [key: string]: Tensor | number;
  step: number;
  sum: Tensor;
}

const SPEC = optimizerSpec<AdagradOptions>(
  'Adagrad',
  { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false },
  { nonNegative: ['lr', 'lrDecay', 'weightDecay', 'initialAccumulatorValue', 'eps'], boolean: ['maximize'] },
);

/**
 * Adagrad, as `torch.optim.Adagrad`: each parameter's step is divided by the root of the sum of
 * its squared gradients, `w ← w − lr·g / (√s + ε)` with `s ← s + g²`.
 */
export class Adagrad extends Optimizer<AdagradOptions, AdagradState> {
  constructor(params: ParamsInput<AdagradOptions>, options: Partial<AdagradOptions> = {}) {
    super(params, options, SPEC);
  }

  protected initState(param: Tensor, group: ParamGroup<AdagradOptions>): AdagradState {
    return { step: 0, sum: fullLike(param, group.initialAccumulatorValue) };
  }

  protected update(
    param: Tensor,
    grad: Tensor,
    state: AdagradState,
    group: ParamGroup<AdagradOptions>,
  ): void {
    state.step++;
    const g = effectiveGrad(param, grad, group);
    const clr = group.lr / (1 + (state.step - 1) * group.lrDecay);
    state.sum = state.sum.add(g.mul(g));
    const std = state.sum.sqrt().add(scalar(param, group.eps));
    addScaled_(param, g.div(std), -clr);
  }
}
