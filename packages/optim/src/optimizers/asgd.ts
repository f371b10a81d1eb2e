import { type Tensor, zerosLike } from '@torchlet/tensor';
import { type BaseOptions, Optimizer, type ParamGroup, type ParamsInput } from '../optimizer.js';
import { optimizerSpec } from '../options.js';
import { addScaled_, effectiveGrad, scalar } from './tensor-math.js';

/** Options of {@link ASGD}. */
export interface ASGDOptions extends BaseOptions {
  /** Learning rate (default 1e-2). */
  lr: number;
  /** Decay term λ (default 1e-4). */
  lambd: number;
  /** Power of the learning-rate decay (default 0.75). */
  alpha: number;
  /** Step from which the average starts (default 1e6). */
  t0: number;
  weightDecay: number;
  maximize: boolean;
}

interface ASGDState {
  [key: string]: Tensor | number;
  step: number;
  eta: number;
  mu: number;
  /** The averaged parameter (`ax` in PyTorch). */
  ax: Tensor;
}

const SPEC = optimizerSpec<ASGDOptions>(
  'ASGD',
  { lr: 1e-2, lambd: 1e-4, alpha: 0.75, t0: 1e6, weightDecay: 0, maximize: false },
  { nonNegative: ['lr', 'lambd', 'alpha', 't0', 'weightDecay'], boolean: ['maximize'] },
);

/**
 * Averaged SGD, as `torch.optim.ASGD`: SGD with learning rate η_t = lr / (1 + λ·lr·t)^α and a
 * shrink by 1 − λ·η_t each step, keeping the running average of the iterates from step t0 on in
 * `state.ax`.
 */
export class ASGD extends Optimizer<ASGDOptions, ASGDState> {
  constructor(params: ParamsInput<ASGDOptions>, options: Partial<ASGDOptions> = {}) {
    super(params, options, SPEC);
  }

  protected initState(param: Tensor, group: ParamGroup<ASGDOptions>): ASGDState {
    return { step: 0, eta: group.lr, mu: 1, ax: zerosLike(param) };
  }

  protected update(param: Tensor, grad: Tensor, state: ASGDState, group: ParamGroup<ASGDOptions>): void {
    state.step++;
    const g = effectiveGrad(param, grad, group);
    param.mul_(scalar(param, 1 - group.lambd * state.eta));
    addScaled_(param, g, -state.eta);
    state.ax =
      state.mu !== 1 ? state.ax.add(param.sub(state.ax).mul(scalar(param, state.mu))) : param.clone();
    state.eta = group.lr / (1 + group.lambd * group.lr * state.step) ** group.alpha;
    state.mu = 1 / Math.max(1, state.step - group.t0);
  }
}
