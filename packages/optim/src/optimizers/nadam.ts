import { type Tensor, zerosLike } from '@torchlet/tensor';
import {
  type BaseOptions,
  Optimizer,
  type OptimizerSpec,
  type ParamGroup,
  type ParamsInput,
} from '../optimizer.js';
import { checkBetas, checkBoolean, checkNonNegative } from '../options.js';
import { addScaled_, decayWeights_, effectiveGrad, ema, emaSquare, scalar, scale } from './tensor-math.js';

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

interface NAdamState {
  [key: string]: Tensor | number;
  step: number;
  muProduct: number;
  expAvg: Tensor;
  expAvgSq: Tensor;
}

const SPEC: OptimizerSpec<NAdamOptions> = {
  name: 'NAdam',
  defaults: {
    lr: 2e-3,
    betas: [0.9, 0.999],
    eps: 1e-8,
    weightDecay: 0,
    momentumDecay: 4e-3,
    decoupledWeightDecay: false,
    maximize: false,
  },
  validate(o) {
    for (const k of ['lr', 'eps', 'weightDecay', 'momentumDecay'] as const)
      checkNonNegative('NAdam', k, o[k]);
    checkBetas('NAdam', o.betas);
    checkBoolean('NAdam', 'decoupledWeightDecay', o.decoupledWeightDecay);
    checkBoolean('NAdam', 'maximize', o.maximize);
  },
};

/** NAdam, as `torch.optim.NAdam`: Adam with Nesterov momentum and a momentum schedule. */
export class NAdam extends Optimizer<NAdamOptions, NAdamState> {
  constructor(params: ParamsInput<NAdamOptions>, options: Partial<NAdamOptions> = {}) {
    super(params, options, SPEC);
  }

  protected initState(param: Tensor): NAdamState {
    return { step: 0, muProduct: 1, expAvg: zerosLike(param), expAvgSq: zerosLike(param) };
  }

  protected update(param: Tensor, grad: Tensor, state: NAdamState, group: ParamGroup<NAdamOptions>): void {
    const [beta1, beta2] = group.betas;
    const step = ++state.step;
    const decoupled = group.decoupledWeightDecay;
    if (decoupled) decayWeights_(param, group.lr, group.weightDecay);
    const g = effectiveGrad(param, grad, {
      maximize: group.maximize,
      weightDecay: decoupled ? 0 : group.weightDecay,
    });
    const mu = beta1 * (1 - 0.5 * 0.96 ** (step * group.momentumDecay));
    const muNext = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * group.momentumDecay));
    state.muProduct *= mu;
    state.expAvg = ema(state.expAvg, g, beta1);
    state.expAvgSq = emaSquare(state.expAvgSq, g, beta2);
    const denom = state.expAvgSq
      .div(scalar(param, 1 - beta2 ** step))
      .sqrt()
      .add(scalar(param, group.eps));
    const gradWeight = (group.lr * (1 - mu)) / (1 - state.muProduct);
    const avgWeight = (group.lr * muNext) / (1 - state.muProduct * muNext);
    addScaled_(param, scale(g, gradWeight).add(scale(state.expAvg, avgWeight)).div(denom), -1);
  }
}
