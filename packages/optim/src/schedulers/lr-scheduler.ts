import { TorchletError } from '@torchlet/tensor';
import { Optimizer, type ParamGroup } from '../optimizer.js';
import { checkKnownOptions } from '../options.js';

/** Any optimizer, whatever its options. */
// biome-ignore lint/suspicious/noExplicitAny: schedulers work with every optimizer's option type.
export type AnyOptimizer = Optimizer<any, any>;

/** A scheduler's state: every field except the optimizer and functions, JSON-serializable. */
export type SchedulerStateDict = Record<string, unknown>;

/** Options every epoch-based scheduler accepts. */
export interface SchedulerOptions {
  /**
   * Index of the last epoch when resuming (default -1: start from scratch). When not -1, every
   * param group must already have `initialLr` (as after loading an optimizer state dict).
   */
  lastEpoch?: number;
}

/** Checks that `optimizer` is an optimizer and that `options` has only `known` keys. */
export function checkSchedulerArgs(
  name: string,
  optimizer: unknown,
  options: object,
  known: readonly string[],
): void {
  if (!(optimizer instanceof Optimizer)) {
    const got =
      optimizer === null
        ? 'null'
        : typeof optimizer === 'object'
          ? optimizer.constructor.name
          : typeof optimizer;
    throw new TorchletError(`${name}: expected an Optimizer, got ${got}`);
  }
  checkKnownOptions(name, options, [...known, 'lastEpoch']);
}

/** A per-group value given once for all groups or as a list with one entry per group. */
export function perGroup(
  name: string,
  option: string,
  optimizer: AnyOptimizer,
  value: number | readonly number[],
): number[] {
  const n = optimizer.paramGroups.length;
  if (typeof value === 'number') return new Array<number>(n).fill(value);
  if (value.length !== n)
    throw new TorchletError(`${name}: expected ${n} values for ${option}, got ${value.length}`);
  return [...value];
}

/** Copies a state value deeply enough that later steps do not change a saved dict. */
function cloneValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(cloneValue);
  if (v instanceof Map) return new Map(v);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = cloneValue(x);
    return out;
  }
  return v;
}

/** Functions (such as `LambdaLR`'s lambdas) are code, not state, and are not saved. */
function isCode(v: unknown): boolean {
  return typeof v === 'function' || (Array.isArray(v) && v.some((x) => typeof x === 'function'));
}

/**
 * Snapshot of a scheduler's own fields for checkpoints, as PyTorch's `state_dict`: everything but
 * the optimizer, functions and nested schedulers (which composite schedulers save themselves).
 */
export function schedulerFields(self: object, skip: readonly string[] = []): SchedulerStateDict {
  const out: SchedulerStateDict = {};
  for (const [k, v] of Object.entries(self)) {
    if (k === 'optimizer' || skip.includes(k) || isCode(v)) continue;
    out[k] = cloneValue(v);
  }
  return out;
}

/** Restores fields saved by {@link schedulerFields}, refusing keys the scheduler does not have. */
export function restoreFields(
  name: string,
  self: object,
  state: SchedulerStateDict,
  skip: readonly string[] = [],
): void {
  if ('name' in state && state.name !== name) {
    throw new TorchletError(`${name}.loadStateDict: the state dict belongs to a ${String(state.name)}`);
  }
  for (const [k, v] of Object.entries(state)) {
    if (skip.includes(k)) continue;
    if (!(k in self))
      throw new TorchletError(
        `${name}.loadStateDict: unknown field '${k}' (a state dict of another scheduler?)`,
      );
    (self as Record<string, unknown>)[k] = cloneValue(v);
  }
}

/**
 * Base of epoch-based learning-rate schedulers, as `torch.optim.lr_scheduler.LRScheduler`:
 * `step()` advances `lastEpoch` and writes the new rates into the optimizer's param groups.
 * Rates follow PyTorch's recursive ("chainable") form, so schedulers compose and numbers match.
 * Subclasses set their fields, then call {@link LRScheduler.initialStep} at the end of their constructor.
 */
export abstract class LRScheduler {
  readonly optimizer: AnyOptimizer;
  /** The rates the schedule starts from (each group's `initialLr`). */
  baseLrs: number[];
  /** Index of the last epoch stepped (0 after construction). */
  lastEpoch: number;
  protected lastLr: number[] = [];
  protected stepCount = 0;
  protected readonly name: string;

  constructor(name: string, optimizer: AnyOptimizer, lastEpoch = -1) {
    this.name = name;
    this.optimizer = optimizer;
    const groups = optimizer.paramGroups as ParamGroup<{ lr: number }>[];
    groups.forEach((g, i) => {
      if (lastEpoch === -1) g.initialLr ??= g.lr;
      else if (typeof g.initialLr !== 'number') {
        throw new TorchletError(
          `${name}: param group ${i} has no 'initialLr'; resuming with lastEpoch ${lastEpoch} needs the optimizer's state restored first`,
        );
      }
    });
    this.baseLrs = groups.map((g) => g.initialLr as number);
    this.lastEpoch = lastEpoch;
  }

  /**
   * The first step, taken at construction as PyTorch does (sets the epoch-0 rates). Public so
   * that `SequentialLR` can restart a child scheduler; not needed otherwise.
   */
  initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /** The next rates, computed from the current ones (PyTorch's `get_lr`). */
  protected abstract computeLr(): number[];

  /** The rates at `lastEpoch` from the base rates, used by `step(epoch)` where a schedule has one. */
  protected closedFormLr(): number[] | null {
    return null;
  }

  /** Advances one epoch, or jumps to `epoch` (PyTorch's deprecated form, used by SequentialLR). */
  step(epoch?: number): void {
    this.checkOptimizer();
    this.stepCount++;
    let values: number[];
    if (epoch === undefined) {
      this.lastEpoch++;
      values = this.computeLr();
    } else {
      this.lastEpoch = epoch;
      values = this.closedFormLr() ?? this.computeLr();
    }
    this.setLrs(values);
  }

  /** Writes `values` into the param groups and remembers them for `getLastLr()`. */
  protected setLrs(values: readonly number[]): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = values[i]!;
    });
    this.lastLr = this.groupLrs();
  }

  /** The rates set by the last `step()`, one per param group. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** The scheduler's state for checkpoints (JSON-serializable). */
  stateDict(): SchedulerStateDict {
    return schedulerFields(this);
  }

  /** Restores a state from {@link LRScheduler.stateDict}. */
  loadStateDict(state: SchedulerStateDict): void {
    restoreFields(this.name, this, state);
  }

  /** The current rate of each group. */
  protected groupLrs(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** Refuses to step when the optimizer's groups no longer match the ones this scheduler was built for. */
  protected checkOptimizer(): void {
    const n = this.optimizer.paramGroups.length;
    if (n !== this.baseLrs.length) {
      throw new TorchletError(
        `${this.name}: the optimizer has ${n} param groups but the scheduler was built for ${this.baseLrs.length}; create the scheduler after adding param groups`,
      );
    }
  }
}
