import { TorchletError } from '@torchlet/tensor';
import { checkNonNegative, checkPositiveInt, invalidOption } from '../options.js';
import { type AnyOptimizer, checkSchedulerArgs, LRScheduler, type SchedulerOptions } from './lr-scheduler.js';

/** Options of {@link StepLR}. */
export interface StepLROptions extends SchedulerOptions {
  /** Epochs between decays. */
  stepSize: number;
  /** Multiplicative decay (default 0.1). */
  gamma?: number;
}

/**
 * Multiplies the rate by `gamma` every `stepSize` epochs, as `lr_scheduler.StepLR`.
 *
 * @example
 * const sched = new StepLR(opt, { stepSize: 20, gamma: 0.8 });
 * for (let epoch = 0; epoch < 200; epoch++) { train(); sched.step(); }
 */
export class StepLR extends LRScheduler {
  stepSize: number;
  gamma: number;
  constructor(optimizer: AnyOptimizer, options: StepLROptions) {
    checkSchedulerArgs('StepLR', optimizer, options, ['stepSize', 'gamma']);
    super('StepLR', optimizer, options.lastEpoch);
    checkPositiveInt('StepLR', 'stepSize', options.stepSize);
    this.stepSize = options.stepSize;
    this.gamma = options.gamma ?? 0.1;
    checkNonNegative('StepLR', 'gamma', this.gamma);
    this.initialStep();
  }

  protected computeLr(): number[] {
    const e = this.lastEpoch;
    if (e === 0 || e % this.stepSize !== 0) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((lr) => lr * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }
}

/** Options of {@link MultiStepLR}. */
export interface MultiStepLROptions extends SchedulerOptions {
  /** Epochs at which to decay (increasing; a repeated epoch decays once per repetition). */
  milestones: number[];
  /** Multiplicative decay (default 0.1). */
  gamma?: number;
}

/** Multiplies the rate by `gamma` at each milestone epoch, as `lr_scheduler.MultiStepLR`. */
export class MultiStepLR extends LRScheduler {
  milestones: number[];
  gamma: number;
  constructor(optimizer: AnyOptimizer, options: MultiStepLROptions) {
    checkSchedulerArgs('MultiStepLR', optimizer, options, ['milestones', 'gamma']);
    super('MultiStepLR', optimizer, options.lastEpoch);
    const ms = options.milestones;
    if (!Array.isArray(ms) || ms.some((m, i) => !Number.isInteger(m) || (i > 0 && m < ms[i - 1]!))) {
      invalidOption('MultiStepLR', 'milestones', ms, 'a non-decreasing list of integer epochs');
    }
    this.milestones = [...ms];
    this.gamma = options.gamma ?? 0.1;
    checkNonNegative('MultiStepLR', 'gamma', this.gamma);
    this.initialStep();
  }

  protected computeLr(): number[] {
    const hits = this.milestones.filter((m) => m === this.lastEpoch).length;
    if (hits === 0) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * this.gamma ** hits);
  }

  protected override closedFormLr(): number[] {
    const passed = this.milestones.filter((m) => m <= this.lastEpoch).length;
    return this.baseLrs.map((lr) => lr * this.gamma ** passed);
  }
}

/** Options of {@link ExponentialLR}. */
export interface ExponentialLROptions extends SchedulerOptions {
  /** Multiplicative decay per epoch. */
  gamma: number;
}

/** Multiplies the rate by `gamma` every epoch, as `lr_scheduler.ExponentialLR`. */
export class ExponentialLR extends LRScheduler {
  gamma: number;
  constructor(optimizer: AnyOptimizer, options: ExponentialLROptions) {
    checkSchedulerArgs('ExponentialLR', optimizer, options, ['gamma']);
    super('ExponentialLR', optimizer, options.lastEpoch);
    checkNonNegative('ExponentialLR', 'gamma', options.gamma);
    this.gamma = options.gamma;
    this.initialStep();
  }

  protected computeLr(): number[] {
    if (this.lastEpoch === 0) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((lr) => lr * this.gamma ** this.lastEpoch);
  }
}

/** Options of {@link PolynomialLR}. */
export interface PolynomialLROptions extends SchedulerOptions {
  /** Epochs over which the rate decays to zero (default 5). */
  totalIters?: number;
  /** Power of the polynomial (default 1: linear). */
  power?: number;
}

/** Decays the rate to zero over `totalIters` epochs as `(1 − t/T)^power`, as `lr_scheduler.PolynomialLR`. */
export class PolynomialLR extends LRScheduler {
  totalIters: number;
  power: number;
  constructor(optimizer: AnyOptimizer, options: PolynomialLROptions = {}) {
    checkSchedulerArgs('PolynomialLR', optimizer, options, ['totalIters', 'power']);
    super('PolynomialLR', optimizer, options.lastEpoch);
    this.totalIters = options.totalIters ?? 5;
    this.power = options.power ?? 1;
    checkPositiveInt('PolynomialLR', 'totalIters', this.totalIters);
    if (!Number.isFinite(this.power)) throw new TorchletError(`PolynomialLR: invalid power ${this.power}`);
    this.initialStep();
  }

  protected computeLr(): number[] {
    const e = this.lastEpoch;
    const T = this.totalIters;
    if (e === 0 || e > T) return this.groupLrs();
    const factor = ((1 - e / T) / (1 - (e - 1) / T)) ** this.power;
    return this.groupLrs().map((lr) => lr * factor);
  }

  protected override closedFormLr(): number[] {
    const T = this.totalIters;
    return this.baseLrs.map((lr) => lr * (1 - Math.min(T, this.lastEpoch) / T) ** this.power);
  }
}
