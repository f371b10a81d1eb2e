import { noGrad, type Tensor, TorchletError } from '@torchlet/tensor';
import { scalar, scale } from './optimizers/tensor-math.js';
import { checkKnownOptions, checkUnitInterval } from './options.js';

/** Something holding parameters: a list of tensors or a model with `parameters()`. */
export type ParameterSource = Iterable<Tensor> | { parameters(): Iterable<Tensor> };

/** Combines the running average with the current value; `numAveraged` counts earlier updates. */
export type AveragingFn = (averaged: Tensor, current: Tensor, numAveraged: number) => Tensor;

/** Options of {@link AveragedModel}. */
export interface AveragedModelOptions {
  /** Exponential moving average with this decay (`avg ← decay·avg + (1−decay)·p`) instead of SWA's equal-weight mean. */
  decay?: number;
  /** A custom averaging function (overrides both). */
  avgFn?: AveragingFn;
}

function paramsOf(source: ParameterSource): Tensor[] {
  const it = 'parameters' in source && typeof source.parameters === 'function' ? source.parameters() : source;
  return [...(it as Iterable<Tensor>)];
}

/** Equal-weight running mean (stochastic weight averaging). */
export const swaAvgFn: AveragingFn = (avg, p, n) => avg.add(p.sub(avg).div(scalar(avg, n + 1)));

/** Exponential moving average with `decay`, as PyTorch's `get_ema_avg_fn`. */
export function emaAvgFn(decay: number): AveragingFn {
  checkUnitInterval('emaAvgFn', 'decay', decay, true);
  return (avg, p) => scale(avg, decay).add(scale(p, 1 - decay));
}

/**
 * A running average of a model's weights, like `torch.optim.swa_utils.AveragedModel`: SWA by
 * default, or an exponential moving average with `decay` (the "EMA of weights" used for
 * evaluation). It keeps its own copies; `copyTo` writes them into a model's parameters.
 *
 * @example
 * const ema = new AveragedModel(model, { decay: 0.999 });
 * // after each optimizer step:
 * ema.updateParameters(model);
 * // to evaluate with the averaged weights:
 * ema.copyTo(evalModel);
 */
export class AveragedModel {
  /** The averaged copies, in the order of the source's parameters. */
  readonly averaged: Tensor[];
  /** How many updates have been averaged. */
  numAveraged = 0;
  private readonly avgFn: AveragingFn;

  constructor(source: ParameterSource, options: AveragedModelOptions = {}) {
    checkKnownOptions('AveragedModel', options, ['decay', 'avgFn']);
    if (options.decay !== undefined && options.avgFn !== undefined) {
      throw new TorchletError("AveragedModel: give either 'decay' or 'avgFn', not both");
    }
    this.avgFn = options.avgFn ?? (options.decay !== undefined ? emaAvgFn(options.decay) : swaAvgFn);
    this.averaged = noGrad(() => paramsOf(source).map((p) => p.detach().clone()));
  }

  /** Folds the current parameters of `source` into the average (the first call copies them). */
  updateParameters(source: ParameterSource): void {
    const params = paramsOf(source);
    if (params.length !== this.averaged.length) {
      throw new TorchletError(
        `AveragedModel: expected ${this.averaged.length} parameters, got ${params.length}`,
      );
    }
    noGrad(() => {
      params.forEach((p, i) => {
        const avg = this.averaged[i]!;
        const next = this.numAveraged === 0 ? p.detach() : this.avgFn(avg, p.detach(), this.numAveraged);
        avg.copy_(next);
      });
    });
    this.numAveraged++;
  }

  /** Writes the averaged weights into the parameters of `target` (in place). */
  copyTo(target: ParameterSource): void {
    const params = paramsOf(target);
    if (params.length !== this.averaged.length) {
      throw new TorchletError(
        `AveragedModel.copyTo: expected ${this.averaged.length} parameters, got ${params.length}`,
      );
    }
    noGrad(() => {
      params.forEach((p, i) => {
        p.copy_(this.averaged[i]!);
      });
    });
  }

  /** The averaged tensors and the update count, for checkpoints. */
  stateDict(): { averaged: Tensor[]; numAveraged: number } {
    return { averaged: noGrad(() => this.averaged.map((t) => t.clone())), numAveraged: this.numAveraged };
  }

  /** Restores a state from {@link AveragedModel.stateDict}. */
  loadStateDict(state: { averaged: Tensor[]; numAveraged: number }): void {
    if (state.averaged.length !== this.averaged.length) {
      throw new TorchletError(
        `AveragedModel.loadStateDict: the state has ${state.averaged.length} tensors, the model ${this.averaged.length}`,
      );
    }
    noGrad(() => {
      this.averaged.forEach((t, i) => {
        t.copy_(state.averaged[i]!);
      });
    });
    this.numAveraged = state.numAveraged;
  }
}
