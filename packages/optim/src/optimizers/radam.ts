import type { Tensor } from '@torchlet/tensor';
import { type BaseOptions, Optimizer, type ParamGroup, type ParamsInput } from '../optimizer.js';
import { optimizerSpec } from '../options.js';
import { initMoments, type MomentState, updateMoments } from './moments.js';
import { addScaled_, decayedGrad, scalar } from './tensor-math.js';

/** Options of {@link RAdam}. */
export interface RAdamOptions extends BaseOptions {
  /** Learning rate (default 1e-3). */
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  /** Apply weight decay as AdamW does (`w ← w(1 − lr·wd)`) instead of as an L2 penalty. */
  decoupledWeightDecay: boolean;
  maximize: boolean;
}

interface RAdamState extends MomentState {
  [key: string]: Tensor | number;
}

const SPEC = optimizerSpec<RAdamOptions>(
  'RAdam',
  { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, decoupledWeightDecay: false, maximize: false },
  { nonNegative: ['lr', 'eps', 'weightDecay'], betas: true, boolean: ['decoupledWeightDecay', 'maximize'] },
);

/**
 * RAdam, as `torch.optim.RAdam`: Adam whose adaptive step is switched on (and rectified) only once
 * the variance of the second-moment estimate is tractable; before that it is SGD with momentum.
 */
export class RAdam extends Optimizer<RAdamOptions, RAdamState> {
  constructor(params: ParamsInput<RAdamOptions>, options: Partial<RAdamOptions> = {}) {
    super(params, options, SPEC);
  }

  protected initState(param: Tensor): RAdamState {
    return { ...initMoments(param) };
  }

  protected update(param: Tensor, grad: Tensor, state: RAdamState, group: ParamGroup<RAdamOptions>): void {
    const [beta1, beta2] = group.betas;
    const step = ++state.step;
    const g = decayedGrad(param, grad, group, group.decoupledWeightDecay);
    const bc1 = 1 - beta1 ** step;
    const bc2 = 1 - beta2 ** step;
    updateMoments(state, g, group.betas);
    const corrected = state.expAvg.div(scalar(param, bc1));
    const rhoInf = 2 / (1 - beta2) - 1;
    const rhoT = rhoInf - (2 * step * beta2 ** step) / bc2;
    if (rhoT > 5) {
      const rect = Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
      const adaptive = scalar(param, Math.sqrt(bc2)).div(state.expAvgSq.sqrt().add(scalar(param, group.eps)));
      addScaled_(param, corrected.mul(adaptive), -group.lr * rect);
    } else {
      addScaled_(param, corrected, -group.lr);
    }
  }
}
