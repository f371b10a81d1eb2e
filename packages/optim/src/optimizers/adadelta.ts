import { type Tensor, zerosLike } from '@torchlet/tensor';
import { type BaseOptions, Optimizer, type ParamGroup, type ParamsInput } from '../optimizer.js';
import { optimizerSpec } from '../options.js';
import { addScaled_, effectiveGrad, emaSquare, scalar } from './tensor-math.js';

/** Options of {@link Adadelta}. */
export interface AdadeltaOptions extends BaseOptions {
  /** Scale of the delta before it is applied (default 1). */
  lr: number;
  /** Decay rate of the running averages (default 0.9). */
  rho: number;
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

interface AdadeltaState {
  [key: string]: Tensor | number;
  step: number;
  squareAvg: Tensor;
  accDelta: Tensor;
}

const SPEC = optimizerSpec<AdadeltaOptions>(
  'Adadelta',
  { lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false },
  { nonNegative: ['lr', 'eps', 'weightDecay'], fraction: ['rho'], boolean: ['maximize'] },
);

/** Adadelta, as `torch.optim.Adadelta`: steps scaled by the ratio of RMS past updates to RMS gradients. */
export class Adadelta extends Optimizer<AdadeltaOptions, AdadeltaState> {
  constructor(params: ParamsInput<AdadeltaOptions>, options: Partial<AdadeltaOptions> = {}) {
    super(params, options, SPEC);
  }

  protected initState(param: Tensor): AdadeltaState {
    return { step: 0, squareAvg: zerosLike(param), accDelta: zerosLike(param) };
  }

  protected update(
    param: Tensor,
    grad: Tensor,
    state: AdadeltaState,
    group: ParamGroup<AdadeltaOptions>,
  ): void {
    state.step++;
    const g = effectiveGrad(param, grad, group);
    const eps = scalar(param, group.eps);
    state.squareAvg = emaSquare(state.squareAvg, g, group.rho);
    const std = state.squareAvg.add(eps).sqrt();
    const delta = state.accDelta.add(eps).sqrt().div(std).mul(g);
    state.accDelta = emaSquare(state.accDelta, delta, group.rho);
    addScaled_(param, delta, -group.lr);
  }
}
