import { fullLike, type Tensor, where, zerosLike } from '@torchlet/tensor';
import { type BaseOptions, Optimizer, type ParamGroup, type ParamsInput } from '../optimizer.js';
import { invalidOption, optimizerSpec } from '../options.js';
import { scalar } from './tensor-math.js';

/** Options of {@link Rprop}. */
export interface RpropOptions extends BaseOptions {
  /** Initial step size of every weight (default 1e-2). */
  lr: number;
  /** Step-size factors [η−, η+] when the gradient's sign flips or stays (default [0.5, 1.2]). */
  etas: [number, number];
  /** Bounds of the step sizes (default [1e-6, 50]). */
  stepSizes: [number, number];
  maximize: boolean;
}

interface RpropState {
  [key: string]: Tensor | number;
  step: number;
  prev: Tensor;
  stepSize: Tensor;
}

const SPEC = optimizerSpec<RpropOptions>(
  'Rprop',
  { lr: 1e-2, etas: [0.5, 1.2], stepSizes: [1e-6, 50], maximize: false },
  { nonNegative: ['lr'], boolean: ['maximize'] },
  (o) => {
    const [minus, plus] = o.etas ?? [];
    if (!(Number(minus) > 0 && Number(minus) < 1 && Number(plus) > 1)) {
      invalidOption('Rprop', 'etas', o.etas, '[η−, η+] with 0 < η− < 1 < η+');
    }
    if (!Array.isArray(o.stepSizes) || o.stepSizes.length !== 2 || !(o.stepSizes[0] <= o.stepSizes[1])) {
      invalidOption('Rprop', 'stepSizes', o.stepSizes, '[min, max] with min ≤ max');
    }
  },
);

/**
 * Resilient backpropagation, as `torch.optim.Rprop`: each weight moves by its own step size in
 * the direction of −sign(g); the step grows by η+ while the gradient keeps its sign, shrinks by η−
 * when it flips (and that step is skipped), within `stepSizes`.
 */
export class Rprop extends Optimizer<RpropOptions, RpropState> {
  constructor(params: ParamsInput<RpropOptions>, options: Partial<RpropOptions> = {}) {
    super(params, options, SPEC);
  }

  protected initState(param: Tensor, group: ParamGroup<RpropOptions>): RpropState {
    return { step: 0, prev: zerosLike(param), stepSize: fullLike(param, group.lr) };
  }

  protected update(param: Tensor, grad: Tensor, state: RpropState, group: ParamGroup<RpropOptions>): void {
    state.step++;
    const [etaMinus, etaPlus] = group.etas;
    const g = group.maximize ? grad.neg() : grad;
    const sign = g.mul(state.prev).sign();
    const factor = where(
      sign.gt(0),
      scalar(param, etaPlus),
      where(sign.lt(0), scalar(param, etaMinus), scalar(param, 1)),
    );
    state.stepSize = state.stepSize
      .mul(factor)
      .clamp(scalar(param, group.stepSizes[0]), scalar(param, group.stepSizes[1]));
    // After a sign flip the gradient counts as 0: no step now, and no flip seen next time.
    const kept = where(factor.eq(scalar(param, etaMinus)), scalar(param, 0), g);
    param.sub_(kept.sign().mul(state.stepSize));
    state.prev = kept;
  }
}
