import { TorchletError } from '@torchlet/tensor';
import { invalidOption } from '../options.js';
import {
  type AnyOptimizer,
  checkSchedulerArgs,
  type LRScheduler,
  restoreFields,
  type SchedulerStateDict,
  schedulerFields,
} from './lr-scheduler.js';

function checkSameOptimizer(name: string, optimizer: AnyOptimizer, schedulers: readonly LRScheduler[]): void {
  if (!Array.isArray(schedulers) || schedulers.length === 0) {
    throw new TorchletError(`${name}: expected a non-empty list of schedulers`);
  }
  schedulers.forEach((s, i) => {
    if (s.optimizer !== optimizer) {
      throw new TorchletError(
        `${name}: all schedulers must belong to the same optimizer, but scheduler ${i} was built for a different one`,
      );
    }
  });
}

function saveWithChildren(self: object, children: readonly LRScheduler[]): SchedulerStateDict {
  return { ...schedulerFields(self, ['schedulers']), schedulers: children.map((s) => s.stateDict()) };
}

function loadWithChildren(
  name: string,
  self: object,
  children: readonly LRScheduler[],
  state: SchedulerStateDict,
): void {
  restoreFields(name, self, state, ['schedulers']);
  const saved = state.schedulers as SchedulerStateDict[] | undefined;
  if (!Array.isArray(saved) || saved.length !== children.length) {
    throw new TorchletError(`${name}.loadStateDict: expected states of ${children.length} schedulers`);
  }
  children.forEach((s, i) => {
    s.loadStateDict(saved[i]!);
  });
}

/** Options of {@link SequentialLR}. */
export interface SequentialLROptions {
  /** The schedulers, each used from its milestone on. */
  schedulers: LRScheduler[];
  /** Epochs at which to switch to the next scheduler (one fewer than schedulers). */
  milestones: number[];
  lastEpoch?: number;
}

/**
 * Runs schedulers one after another, switching at the milestones, as `lr_scheduler.SequentialLR`
 * (e.g. a linear warmup, then cosine decay).
 *
 * @example
 * const warmup = new LinearLR(opt, { startFactor: 0.1, totalIters: 5 });
 * const decay = new CosineAnnealingLR(opt, { tMax: 95 });
 * const sched = new SequentialLR(opt, { schedulers: [warmup, decay], milestones: [5] });
 */
export class SequentialLR {
  readonly optimizer: AnyOptimizer;
  readonly schedulers: LRScheduler[];
  milestones: number[];
  lastEpoch: number;
  private lastLr: number[];
  private readonly name = 'SequentialLR';

  constructor(optimizer: AnyOptimizer, options: SequentialLROptions) {
    checkSchedulerArgs('SequentialLR', optimizer, options, ['schedulers', 'milestones']);
    checkSameOptimizer('SequentialLR', optimizer, options.schedulers);
    const { schedulers, milestones } = options;
    if (!Array.isArray(milestones) || milestones.length !== schedulers.length - 1) {
      invalidOption(
        'SequentialLR',
        'milestones',
        milestones,
        `${schedulers.length - 1} epochs, one fewer than the schedulers`,
      );
    }
    this.optimizer = optimizer;
    this.schedulers = [...schedulers];
    this.milestones = [...milestones];
    this.lastEpoch = (options.lastEpoch ?? -1) + 1;
    // Undo the initial steps the schedulers took when built; only the first one starts now.
    for (const g of optimizer.paramGroups) g.lr = g.initialLr as number;
    for (const s of this.schedulers) s.lastEpoch--;
    const first = this.schedulers[0]!;
    first.initialStep();
    this.lastLr = first.getLastLr();
  }

  /** Advances one epoch, switching schedulers at milestones. */
  step(): void {
    this.lastEpoch++;
    const idx = this.milestones.filter((m) => m <= this.lastEpoch).length;
    const scheduler = this.schedulers[idx]!;
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) scheduler.step(0);
    else scheduler.step();
    this.lastLr = scheduler.getLastLr();
  }

  /** The rates set by the last `step()`. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** State of this scheduler and of each child, for checkpoints. */
  stateDict(): SchedulerStateDict {
    return saveWithChildren(this, this.schedulers);
  }

  /** Restores a state from {@link SequentialLR.stateDict}. */
  loadStateDict(state: SchedulerStateDict): void {
    loadWithChildren(this.name, this, this.schedulers, state);
  }
}

/**
 * Steps several schedulers together every epoch, so their factors multiply, as
 * `lr_scheduler.ChainedScheduler`.
 */
export class ChainedScheduler {
  readonly optimizer: AnyOptimizer;
  readonly schedulers: LRScheduler[];
  private lastLr: number[];
  private readonly name = 'ChainedScheduler';

  constructor(schedulers: LRScheduler[]) {
    if (!Array.isArray(schedulers) || schedulers.length === 0) {
      throw new TorchletError('ChainedScheduler: expected a non-empty list of schedulers');
    }
    checkSameOptimizer('ChainedScheduler', schedulers[0]!.optimizer, schedulers);
    this.optimizer = schedulers[0]!.optimizer;
    this.schedulers = [...schedulers];
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** Steps every scheduler once. */
  step(): void {
    for (const s of this.schedulers) s.step();
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The rates after the last `step()`. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** State of each child scheduler, for checkpoints. */
  stateDict(): SchedulerStateDict {
    return saveWithChildren(this, this.schedulers);
  }

  /** Restores a state from {@link ChainedScheduler.stateDict}. */
  loadStateDict(state: SchedulerStateDict): void {
    loadWithChildren(this.name, this, this.schedulers, state);
  }
}
