import { type Tensor, zerosLike } from '@torchlet/tensor';
import { type BaseOptions, Optimizer, type ParamGroup, type ParamsInput } from '../optimizer.js';
import { checkUnitInterval, invalidOption, optimizerSpec } from '../options.js';
import { canFuse, sgdCpu } from './fused-cpu.js';
import { addScaled_, effectiveGrad, scale } from './tensor-math.js';

/** Options of {@link SGD}. */
export interface SGDOptions extends BaseOptions {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Momentum factor (default 0: plain gradient descent). */
  momentum: number;
  /** Dampening of the gradient added to the momentum buffer (PyTorch form only). */
  dampening: number;
  /** L2 penalty added to the gradient. */
  weightDecay: number;
  /** Nesterov momentum (needs momentum > 0 and no dampening). */
  nesterov: boolean;
  /** Ascend the objective instead of descending it. */
  maximize: boolean;
  /**
   * How the momentum buffer accumulates. `'pytorch'` (default): `v ← μv + (1−dampening)g`, with
   * `v₁ = g₁`. `'ema'`: the tutorials' exponential moving average `v ← βv + (1−β)g` with `v₀ = 0`
   * (`β` is `momentum`), so the step is `w ← w − lr·v`.
   */
  momentumStyle: 'pytorch' | 'ema';
}

interface SGDState {
  [key: string]: Tensor | null;
  momentumBuffer: Tensor | null;
}

const SPEC = optimizerSpec<SGDOptions>(
  'SGD',
  {
    lr: 1e-3,
    momentum: 0,
    dampening: 0,
    weightDecay: 0,
    nesterov: false,
    maximize: false,
    momentumStyle: 'pytorch',
  },
  {
    nonNegative: ['lr', 'momentum', 'dampening', 'weightDecay'],
    boolean: ['nesterov', 'maximize'],
    choice: { momentumStyle: ['pytorch', 'ema'] },
  },
  (o) => {
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      invalidOption('SGD', 'nesterov', o.nesterov, 'momentum > 0 and dampening 0 for Nesterov momentum');
    }
    if (o.momentumStyle === 'ema') {
      checkUnitInterval('SGD', 'momentum', o.momentum);
      if (o.dampening !== 0) invalidOption('SGD', 'dampening', o.dampening, "0 with momentumStyle 'ema'");
    }
  },
);

/**
 * Stochastic gradient descent with optional momentum, as `torch.optim.SGD`.
 *
 * @example
 * const opt = new SGD([w], { lr: 0.01, momentum: 0.9 });
 * opt.zeroGrad(); loss.backward(); opt.step();
 * @example // the tutorials' EMA momentum: v = 0.9·v + 0.1·g, v₀ = 0
 * new SGD([w], { lr: 0.01, momentum: 0.9, momentumStyle: 'ema' });
 */
export class SGD extends Optimizer<SGDOptions, SGDState> {
  constructor(params: ParamsInput<SGDOptions>, options: Partial<SGDOptions> = {}) {
    super(params, options, SPEC);
  }

  protected initState(): SGDState {
    return { momentumBuffer: null };
  }

  protected update(param: Tensor, grad: Tensor, state: SGDState, group: ParamGroup<SGDOptions>): void {
    const fusedBuf = group.momentum !== 0 ? (state.momentumBuffer ?? zerosLike(param)) : null;
    if (canFuse([param, grad, fusedBuf])) {
      const ema = group.momentumStyle === 'ema';
      sgdCpu(param, grad, fusedBuf, { ...group, ema, first: state.momentumBuffer === null });
      state.momentumBuffer = fusedBuf;
      return;
    }
    let d = effectiveGrad(param, grad, group);
    const m = group.momentum;
    if (m !== 0) {
      const prev = state.momentumBuffer;
      let buf: Tensor;
      if (group.momentumStyle === 'ema') buf = prev ? scale(prev, m).add(scale(d, 1 - m)) : scale(d, 1 - m);
      else buf = prev ? scale(prev, m).add(scale(d, 1 - group.dampening)) : d.clone();
      state.momentumBuffer = buf;
      d = group.nesterov ? d.add(scale(buf, m)) : buf;
    }
    addScaled_(param, d, -group.lr);
  }
}
