import { maximum, type Tensor, zerosLike } from '@torchlet/tensor';
import { type BaseOptions, Optimizer, type ParamGroup, type ParamsInput } from '../optimizer.js';
import { optimizerSpec } from '../options.js';
import { adamCpu, canFuse } from './fused-cpu.js';
import { initMoments, type MomentState, updateMoments } from './moments.js';
import { addScaled_, decayedGrad, scalar } from './tensor-math.js';

/** Options of {@link Adam} and {@link AdamW}. */
export interface AdamOptions extends BaseOptions {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Decay rates of the first and second moment averages (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the root of the second moment (default 1e-8). */
  eps: number;
  /** Adam: L2 penalty added to the gradient. AdamW: decoupled decay `w ← w(1 − lr·wd)` (default 0.01). */
  weightDecay: number;
  /** Use the running maximum of the second moment (AMSGrad). */
  amsgrad: boolean;
  maximize: boolean;
}

interface AdamState extends MomentState {
  [key: string]: Tensor | number | null;
  maxExpAvgSq: Tensor | null;
}

function spec(name: string, weightDecay: number) {
  return optimizerSpec<AdamOptions>(
    name,
    { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay, amsgrad: false, maximize: false },
    { nonNegative: ['lr', 'eps', 'weightDecay'], betas: true, boolean: ['amsgrad', 'maximize'] },
  );
}

/** The Adam update; Adam and AdamW differ only in how weight decay enters. */
abstract class AdamBase extends Optimizer<AdamOptions, AdamState> {
  protected abstract readonly decoupled: boolean;

  protected initState(param: Tensor, group: ParamGroup<AdamOptions>): AdamState {
    return { ...initMoments(param), maxExpAvgSq: group.amsgrad ? zerosLike(param) : null };
  }

  protected update(param: Tensor, grad: Tensor, state: AdamState, group: ParamGroup<AdamOptions>): void {
    const [beta1, beta2] = group.betas;
    state.step++;
    if (group.amsgrad) state.maxExpAvgSq ??= zerosLike(param);
    const maxSq = group.amsgrad ? state.maxExpAvgSq : null;
    if (canFuse([param, grad, state.expAvg, state.expAvgSq, maxSq])) {
      adamCpu(param, grad, state.expAvg, state.expAvgSq, maxSq, {
        ...group,
        beta1,
        beta2,
        decoupled: this.decoupled,
        step: state.step,
      });
      return;
    }
    const g = decayedGrad(param, grad, group, this.decoupled);
    updateMoments(state, g, group.betas);
    let second = state.expAvgSq;
    if (group.amsgrad) {
      second = maximum(maxSq!, second);
      state.maxExpAvgSq = second;
    }
    const stepSize = group.lr / (1 - beta1 ** state.step);
    const bc2Sqrt = scalar(param, Math.sqrt(1 - beta2 ** state.step));
    const denom = second.sqrt().div(bc2Sqrt).add(scalar(param, group.eps));
    addScaled_(param, state.expAvg.div(denom), -stepSize);
  }
}

/**
 * Adam, as `torch.optim.Adam`: bias-corrected moving averages of the gradient and of its square,
 * `w ← w − lr·m̂ / (√v̂ + ε)`. `weightDecay` is an L2 penalty; prefer {@link AdamW} for decoupled decay.
 */
export class Adam extends AdamBase {
  protected readonly decoupled = false;
  constructor(params: ParamsInput<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, options, spec('Adam', 0));
  }
}

/** AdamW, as `torch.optim.AdamW`: Adam with decoupled weight decay `w ← w(1 − lr·weightDecay)`. */
export class AdamW extends AdamBase {
  protected readonly decoupled = true;
  constructor(params: ParamsInput<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, options, spec('AdamW', 1e-2));
  }
}
