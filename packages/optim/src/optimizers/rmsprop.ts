import { type Tensor, zerosLike } from '@torchlet/tensor';
import { type BaseOptions, Optimizer, type ParamGroup, type ParamsInput } from '../optimizer.js';
import { optimizerSpec } from '../options.js';
import { addScaled_, effectiveGrad, ema, emaSquare, scalar, scale } from './tensor-math.js';

/** Options of {@link RMSprop}. */
export interface RMSpropOptions extends BaseOptions {
  /** Learning rate (default 1e-2). */
  lr: number;
  /** Smoothing constant of the squared-gradient average (default 0.99). */
  alpha: number;
  /** Added to the denominator (default 1e-8); see `epsInsideSqrt`. */
  eps: number;
  weightDecay: number;
  /** Momentum factor of the buffer of normalized steps (default 0). */
  momentum: number;
  /** Normalize by an estimate of the gradient's variance instead of its second moment. */
  centered: boolean;
  maximize: boolean;
  /**
   * Put ε inside the root, `g / √(s + ε)`, as the tutorials write RMSProp. Default false:
   * PyTorch's `g / (√s + ε)`.
   */
  epsInsideSqrt: boolean;
  /**
   * Starting value of the squared-gradient average. `'zero'` (default, PyTorch): `s₀ = 0`, so
   * the first step uses `s₁ = (1−α)g₁²`. `'firstGrad'`: the seed's RMS, whose first value is
   * `σ₀ = |g₀|`, i.e. `s₁ = g₁²`, and which averages exponentially afterwards.
   */
  squareAvgInit: 'zero' | 'firstGrad';
}

interface RMSpropState {
  [key: string]: Tensor | number | null;
  step: number;
  squareAvg: Tensor;
  gradAvg: Tensor | null;
  momentumBuffer: Tensor | null;
}

const SPEC = optimizerSpec<RMSpropOptions>(
  'RMSprop',
  {
    lr: 1e-2,
    alpha: 0.99,
    eps: 1e-8,
    weightDecay: 0,
    momentum: 0,
    centered: false,
    maximize: false,
    epsInsideSqrt: false,
    squareAvgInit: 'zero',
  },
  {
    nonNegative: ['lr', 'eps', 'weightDecay', 'momentum'],
    fraction: ['alpha'],
    boolean: ['centered', 'maximize', 'epsInsideSqrt'],
    choice: { squareAvgInit: ['zero', 'firstGrad'] },
  },
);

/**
 * RMSprop, as `torch.optim.RMSprop`: `s ← αs + (1−α)g²`, `w ← w − lr·g / (√s + ε)`.
 *
 * @example // the tutorials' form: ε inside the root
 * new RMSprop([w], { lr: 0.01, alpha: 0.9, epsInsideSqrt: true });
 */
export class RMSprop extends Optimizer<RMSpropOptions, RMSpropState> {
  constructor(params: ParamsInput<RMSpropOptions>, options: Partial<RMSpropOptions> = {}) {
    super(params, options, SPEC);
  }

  protected initState(param: Tensor, group: ParamGroup<RMSpropOptions>): RMSpropState {
    return {
      step: 0,
      squareAvg: zerosLike(param),
      gradAvg: group.centered ? zerosLike(param) : null,
      momentumBuffer: group.momentum > 0 ? zerosLike(param) : null,
    };
  }

  protected update(
    param: Tensor,
    grad: Tensor,
    state: RMSpropState,
    group: ParamGroup<RMSpropOptions>,
  ): void {
    const g = effectiveGrad(param, grad, group);
    const first = state.step === 0 && group.squareAvgInit === 'firstGrad';
    state.step++;
    state.squareAvg = first ? g.mul(g) : emaSquare(state.squareAvg, g, group.alpha);
    let variance = state.squareAvg;
    if (group.centered) {
      const gradAvg = first ? g : ema(state.gradAvg ?? zerosLike(param), g, group.alpha);
      state.gradAvg = gradAvg;
      variance = variance.sub(gradAvg.mul(gradAvg));
    }
    const eps = scalar(param, group.eps);
    const avg = group.epsInsideSqrt ? variance.add(eps).sqrt() : variance.sqrt().add(eps);
    const normalized = g.div(avg);
    if (group.momentum > 0) {
      const buf = scale(state.momentumBuffer ?? zerosLike(param), group.momentum).add(normalized);
      state.momentumBuffer = buf;
      addScaled_(param, buf, -group.lr);
    } else {
      addScaled_(param, normalized, -group.lr);
    }
  }
}
