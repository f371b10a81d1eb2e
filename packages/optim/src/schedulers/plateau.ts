import { Tensor } from '@torchlet/tensor';
import { checkChoice, checkNonNegative, invalidOption } from '../options.js';
import {
  type AnyOptimizer,
  checkSchedulerArgs,
  perGroup,
  restoreFields,
  type SchedulerStateDict,
  schedulerFields,
} from './lr-scheduler.js';

/** Options of {@link ReduceLROnPlateau}. */
export interface ReduceLROnPlateauOptions {
  /** `'min'` (default): the metric should decrease (a loss); `'max'`: increase (an accuracy). */
  mode?: 'min' | 'max';
  /** Factor applied to the rate on a plateau (default 0.1, must be < 1). */
  factor?: number;
  /** Epochs without improvement tolerated before reducing (default 10). */
  patience?: number;
  /** Minimum change that counts as an improvement (default 1e-4). */
  threshold?: number;
  /** `'rel'` (default): relative to the best value; `'abs'`: absolute. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting again (default 0). */
  cooldown?: number;
  /** Lower bound of the rate (one value or one per group, default 0). */
  minLr?: number | number[];
  /** Reductions smaller than this are skipped (default 1e-8). */
  eps?: number;
}

/**
 * Reduces the rate by `factor` when a metric stops improving for `patience` epochs, as
 * `lr_scheduler.ReduceLROnPlateau`. Call `step(metric)` after each validation.
 *
 * @example
 * const sched = new ReduceLROnPlateau(opt, { mode: 'min', patience: 2 });
 * sched.step(valLoss);
 */
export class ReduceLROnPlateau {
  readonly optimizer: AnyOptimizer;
  mode: 'min' | 'max';
  factor: number;
  patience: number;
  threshold: number;
  thresholdMode: 'rel' | 'abs';
  cooldown: number;
  minLrs: number[];
  eps: number;
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  lastEpoch = 0;
  private lastLr: number[];
  protected readonly name = 'ReduceLROnPlateau';

  constructor(optimizer: AnyOptimizer, options: ReduceLROnPlateauOptions = {}) {
    const name = 'ReduceLROnPlateau';
    checkSchedulerArgs(name, optimizer, options, [
      'mode',
      'factor',
      'patience',
      'threshold',
      'thresholdMode',
      'cooldown',
      'minLr',
      'eps',
    ]);
    this.optimizer = optimizer;
    this.mode = options.mode ?? 'min';
    this.factor = options.factor ?? 0.1;
    this.patience = options.patience ?? 10;
    this.threshold = options.threshold ?? 1e-4;
    this.thresholdMode = options.thresholdMode ?? 'rel';
    this.cooldown = options.cooldown ?? 0;
    this.minLrs = perGroup(name, 'minLr', optimizer, options.minLr ?? 0);
    this.eps = options.eps ?? 1e-8;
    checkChoice(name, 'mode', this.mode, ['min', 'max']);
    checkChoice(name, 'thresholdMode', this.thresholdMode, ['rel', 'abs']);
    if (!(this.factor >= 0 && this.factor < 1)) invalidOption(name, 'factor', this.factor, '0 <= factor < 1');
    for (const k of ['patience', 'threshold', 'cooldown', 'eps'] as const) checkNonNegative(name, k, this[k]);
    this.best = this.mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  private isBetter(a: number): boolean {
    const { best, threshold } = this;
    if (this.mode === 'min')
      return this.thresholdMode === 'rel' ? a < best * (1 - threshold) : a < best - threshold;
    return this.thresholdMode === 'rel' ? a > best * (threshold + 1) : a > best + threshold;
  }

  /** Records one epoch's `metric` (a number or a one-element tensor) and reduces the rate on a plateau. */
  step(metric: number | Tensor): void {
    const current = metric instanceof Tensor ? metric.item() : metric;
    this.lastEpoch++;
    if (this.isBetter(current)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs++;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.optimizer.paramGroups.forEach((g, i) => {
        const newLr = Math.max(g.lr * this.factor, this.minLrs[i]!);
        if (g.lr - newLr > this.eps) g.lr = newLr;
      });
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The rates after the last `step()`, one per param group. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** The scheduler's state for checkpoints (JSON-serializable; ±Infinity in `best` before the first step). */
  stateDict(): SchedulerStateDict {
    return schedulerFields(this);
  }

  /** Restores a state from {@link ReduceLROnPlateau.stateDict}. */
  loadStateDict(state: SchedulerStateDict): void {
    restoreFields(this.name, this, state);
  }
}
