import { checkPositiveInt, checkUnitInterval } from '../options.js';
import { type AnyOptimizer, checkSchedulerArgs, LRScheduler, type SchedulerOptions } from './lr-scheduler.js';

/** Options of {@link ConstantLR}. */
export interface ConstantLROptions extends SchedulerOptions {
  /** Factor applied until `totalIters` (default 1/3, in [0, 1]). */
  factor?: number;
  /** Epochs the factor is applied for (default 5). */
  totalIters?: number;
}

/** Scales the rate by a constant `factor` for the first `totalIters` epochs, as `lr_scheduler.ConstantLR`. */
export class ConstantLR extends LRScheduler {
  factor: number;
  totalIters: number;
  constructor(optimizer: AnyOptimizer, options: ConstantLROptions = {}) {
    checkSchedulerArgs('ConstantLR', optimizer, options, ['factor', 'totalIters']);
    super('ConstantLR', optimizer, options.lastEpoch);
    this.factor = options.factor ?? 1 / 3;
    this.totalIters = options.totalIters ?? 5;
    checkUnitInterval('ConstantLR', 'factor', this.factor, true);
    checkPositiveInt('ConstantLR', 'totalIters', this.totalIters);
    this.initialStep();
  }

  protected computeLr(): number[] {
    if (this.lastEpoch === 0) return this.groupLrs().map((lr) => lr * this.factor);
    if (this.lastEpoch !== this.totalIters) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * (1 / this.factor));
  }

  protected override closedFormLr(): number[] {
    const done = this.lastEpoch >= this.totalIters ? 1 : 0;
    return this.baseLrs.map((lr) => lr * (this.factor + done * (1 - this.factor)));
  }
}

/** Options of {@link LinearLR}. */
export interface LinearLROptions extends SchedulerOptions {
  /** Factor at epoch 0 (default 1/3, in [0, 1]). */
  startFactor?: number;
  /** Factor reached at `totalIters` (default 1, in [0, 1]). */
  endFactor?: number;
  /** Epochs of the linear ramp (default 5). */
  totalIters?: number;
}

/** Ramps the rate's factor linearly from `startFactor` to `endFactor`, as `lr_scheduler.LinearLR` (linear warmup). */
export class LinearLR extends LRScheduler {
  startFactor: number;
  endFactor: number;
  totalIters: number;
  constructor(optimizer: AnyOptimizer, options: LinearLROptions = {}) {
    checkSchedulerArgs('LinearLR', optimizer, options, ['startFactor', 'endFactor', 'totalIters']);
    super('LinearLR', optimizer, options.lastEpoch);
    this.startFactor = options.startFactor ?? 1 / 3;
    this.endFactor = options.endFactor ?? 1;
    this.totalIters = options.totalIters ?? 5;
    // A zero start factor would make the recursive form divide by zero, as in PyTorch.
    checkUnitInterval('LinearLR', 'startFactor', this.startFactor, true);
    checkUnitInterval('LinearLR', 'endFactor', this.endFactor, true);
    checkPositiveInt('LinearLR', 'totalIters', this.totalIters);
    this.initialStep();
  }

  protected computeLr(): number[] {
    const { startFactor: s, endFactor: e, totalIters: T, lastEpoch: t } = this;
    if (t === 0) return this.groupLrs().map((lr) => lr * s);
    if (t > T) return this.groupLrs();
    const ratio = 1 + (e - s) / (T * s + (t - 1) * (e - s));
    return this.groupLrs().map((lr) => lr * ratio);
  }

  protected override closedFormLr(): number[] {
    const { startFactor: s, endFactor: e, totalIters: T } = this;
    return this.baseLrs.map((lr) => lr * (s + ((e - s) * Math.min(T, this.lastEpoch)) / T));
  }
}

/** Options of {@link noamLambda}. */
export interface NoamOptions {
  /** Model width d (the rate scales with d^−0.5). */
  dModel: number;
  /** Steps of linear warmup w. */
  warmupSteps: number;
  /** Overall multiplier (default 1). */
  factor?: number;
}

/**
 * The Transformer ("Noam") rate at step s ≥ 1: `factor · d^−0.5 · min(s^−0.5, s · w^−1.5)` — a
 * linear warmup over w steps, then decay as the inverse square root of the step.
 */
export function noamRate(step: number, options: NoamOptions): number {
  const { dModel, warmupSteps, factor = 1 } = options;
  checkPositiveInt('noamRate', 'dModel', dModel);
  checkPositiveInt('noamRate', 'warmupSteps', warmupSteps);
  const s = Math.max(step, 1);
  return factor * dModel ** -0.5 * Math.min(s ** -0.5, s * warmupSteps ** -1.5);
}

/**
 * A `LambdaLR` multiplier following {@link noamRate}; epoch 0 counts as step 1 (as in the
 * Annotated Transformer) so the first step does not have a zero rate. Build the optimizer with
 * `lr: 1` so the multiplier is the rate.
 *
 * @example
 * const opt = new Adam(params, { lr: 1, betas: [0.9, 0.98], eps: 1e-9 });
 * const sched = new LambdaLR(opt, noamLambda({ dModel: 512, warmupSteps: 4000 }));
 * // call sched.step() after every optimizer step
 */
export function noamLambda(options: NoamOptions): (epoch: number) => number {
  noamRate(1, options);
  return (epoch) => noamRate(epoch, options);
}
