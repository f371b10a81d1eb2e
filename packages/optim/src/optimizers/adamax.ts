import { maximum, type Tensor, zerosLike } from '@torchlet/tensor';
import { type BaseOptions, Optimizer, type ParamGroup, type ParamsInput } from '../optimizer.js';
import { optimizerSpec } from '../options.js';
import { addScaled_, effectiveGrad, ema, scalar, scale } from './tensor-math.js';

/** Options of {@link Adamax}. */
export interface AdamaxOptions extends BaseOptions {
  /** Learning rate (default 2e-3). */
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

interface AdamaxState {
  [key: string]: Tensor | number;
  step: number;
  expAvg: Tensor;
  expInf: Tensor;
}

const SPEC = optimizerSpec<AdamaxOptions>(
  'Adamax',
  { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false },
  { nonNegative: ['lr', 'eps', 'weightDecay'], betas: true, boolean: ['maximize'] },
);

/** Adamax, as `torch.optim.Adamax`: Adam with the infinity norm, `u ← max(β₂u, |g| + ε)`. */
export class Adamax extends Optimizer<AdamaxOptions, AdamaxState> {
  constructor(params: ParamsInput<AdamaxOptions>, options: Partial<AdamaxOptions> = {}) {
    super(params, options, SPEC);
  }

  protected initState(param: Tensor): AdamaxState {
    return { step: 0, expAvg: zerosLike(param), expInf: zerosLike(param) };
  }

  protected update(param: Tensor, grad: Tensor, state: AdamaxState, group: ParamGroup<AdamaxOptions>): void {
    const [beta1, beta2] = group.betas;
    state.step++;
    const g = effectiveGrad(param, grad, group);
    state.expAvg = ema(state.expAvg, g, beta1);
    state.expInf = maximum(scale(state.expInf, beta2), g.abs().add(scalar(param, group.eps)));
    addScaled_(param, state.expAvg.div(state.expInf), -group.lr / (1 - beta1 ** state.step));
  }
}
