import type { Tensor } from '@torchlet/tensor';
import { type BaseOptions, Optimizer, type ParamGroup, type ParamsInput } from '../optimizer.js';
import { optimizerSpec } from '../options.js';
import { initMoments, type MomentState, updateMoments } from './moments.js';
import { addScaled_, decayedGrad, scalar, scale } from './tensor-math.js';

/** Options of {@link NAdam}. */
export interface NAdamOptions extends BaseOptions {
  /** Learning rate (default 2e-3). */
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  /** Momentum decay ψ of the schedule μₜ = β₁(1 − ½·0.96^(tψ)) (default 4e-3). */
  momentumDecay: number;
  /** Apply weight decay as AdamW does (`w ← w(1 − lr·wd)`) instead of as an L2 penalty. */
  decoupledWeightDecay: boolean;
  maximize: boolean;
}

interface NAdamState extends MomentState {
  [key: string]: Tensor | number;
  /** Product of the momentum schedule μ₁…μₜ. */
  muProduct: number;
}

const SPEC = optimizerSpec<NAdamOptions>(
  'NAdam',
  {
    lr: 2e-3,
    betas: [0.9, 0.999],
    eps: 1e-8,
    weightDecay: 0,
    momentumDecay: 4e-3,
    decoupledWeightDecay: false,
    maximize: false,
  },
  {
    nonNegative: ['lr', 'eps', 'weightDecay', 'momentumDecay'],
    betas: true,
    boolean: ['decoupledWeightDecay', 'maximize'],
  },
);

/** NAdam, as `torch.optim.NAdam`: Adam with Nesterov momentum and a momentum schedule. */
export class NAdam extends Optimizer<NAdamOptions, NAdamState> {
  constructor(params: ParamsInput<NAdamOptions>, options: Partial<NAdamOptions> = {}) {
    super(params, options, SPEC);
  }

  protected initState(param: Tensor): NAdamState {
    return { ...initMoments(param), muProduct: 1 };
  }

  protected update(param: Tensor, grad: Tensor, state: NAdamState, group: ParamGroup<NAdamOptions>): void {
    const [beta1, beta2] = group.betas;
    const step = ++state.step;
    const g = decayedGrad(param, grad, group, group.decoupledWeightDecay);
    const mu = beta1 * (1 - 0.5 * 0.96 ** (step * group.momentumDecay));
    const muNext = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * group.momentumDecay));
    state.muProduct *= mu;
    updateMoments(state, g, group.betas);
    const denom = state.expAvgSq
      .div(scalar(param, 1 - beta2 ** step))
      .sqrt()
      .add(scalar(param, group.eps));
    const gradWeight = (group.lr * (1 - mu)) / (1 - state.muProduct);
    const avgWeight = (group.lr * muNext) / (1 - state.muProduct * muNext);
    addScaled_(param, scale(g, gradWeight).add(scale(state.expAvg, avgWeight)).div(denom), -1);
  }
}
