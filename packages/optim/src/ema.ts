import { Tensor } from '@torchlet/tensor';
import { checkChoice, checkKnownOptions, checkUnitInterval } from './options.js';

/** Options of {@link ExponentialMovingAverage} and {@link emaSeries}. */
export interface EmaOptions {
  /**
   * Where the average starts. `'first'` (default, the tutorials' `S₀ = Y₁`): the first value is
   * taken as is. `'zero'`: `S₀ = 0`, so the first average is `(1−β)Y₁` (as in momentum and Adam).
   */
  init?: 'first' | 'zero';
  /** Divide by `1 − βᵗ` (Adam's bias correction; meaningful with `init: 'zero'`). */
  biasCorrection?: boolean;
}

function readOptions(owner: string, beta: number, options: EmaOptions): Required<EmaOptions> {
  checkKnownOptions(owner, options, ['init', 'biasCorrection']);
  checkUnitInterval(owner, 'beta', beta);
  const init = options.init ?? 'first';
  checkChoice(owner, 'init', init, ['first', 'zero']);
  return { init, biasCorrection: options.biasCorrection ?? false };
}

/**
 * A streaming exponential moving average of numbers, `S ← β·S + (1−β)·Y` — the tool the
 * tutorials introduce before momentum, e.g. to smooth a series of daily temperatures.
 *
 * @example
 * const avg = new ExponentialMovingAverage(0.9);
 * for (const t of temperatures) smoothed.push(avg.update(t));
 */
export class ExponentialMovingAverage {
  /** Number of values seen. */
  count = 0;
  private raw = 0;
  private readonly init: 'first' | 'zero';
  private readonly biasCorrection: boolean;

  constructor(
    readonly beta: number,
    options: EmaOptions = {},
  ) {
    ({ init: this.init, biasCorrection: this.biasCorrection } = readOptions(
      'ExponentialMovingAverage',
      beta,
      options,
    ));
  }

  /** Folds in `value` (a number or a one-element tensor) and returns the new average. */
  update(value: number | Tensor): number {
    const y = value instanceof Tensor ? value.item() : value;
    this.raw = this.count === 0 && this.init === 'first' ? y : this.beta * this.raw + (1 - this.beta) * y;
    this.count++;
    return this.value;
  }

  /** The current average (NaN before the first update). */
  get value(): number {
    if (this.count === 0) return Number.NaN;
    return this.biasCorrection ? this.raw / (1 - this.beta ** this.count) : this.raw;
  }
}

/** The exponential moving average of a whole series (see {@link ExponentialMovingAverage}). */
export function emaSeries(
  values: Iterable<number> | Tensor,
  beta: number,
  options: EmaOptions = {},
): number[] {
  const avg = new ExponentialMovingAverage(beta, options);
  const list = values instanceof Tensor ? Array.from(values.to('float64').dataSync()) : [...values];
  return list.map((v) => avg.update(v));
}
