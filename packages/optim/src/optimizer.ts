import { ownsGrad } from '@torchlet/autograd';
import { enableGrad, isFloating, keep, noGrad, Tensor, TorchletError, zerosLike } from '@torchlet/tensor';
import { checkKnownOptions } from './options.js';

/** The tensors in a parameter's state (entries, or entries of arrays, as LBFGS keeps). */
function stateTensors(state: object): Tensor[] {
  return Object.values(state).flatMap((v) =>
    v instanceof Tensor ? [v] : Array.isArray(v) ? v.filter((t): t is Tensor => t instanceof Tensor) : [],
  );
}

/**
 * Releases `t`'s device memory at once when `owned` (no one else can see it); CPU memory, and
 * device memory of tensors others may hold, is left to the garbage collector.
 */
function releaseIfOwned(t: Tensor, owned: boolean): void {
  if (owned && t.storage.backend.tracksMemory) t.dispose();
}

/** Options every optimizer has: the learning rate, which schedulers change through `paramGroups`. */
export interface BaseOptions {
  lr: number;
}

/** A parameter group as given by the user: its parameters plus options overriding the defaults. */
export type ParamGroupInput<O> = Partial<O> & { params: Iterable<Tensor> | Tensor };

/** What optimizers accept: parameters, or a list of param groups with per-group options. */
export type ParamsInput<O> = Iterable<Tensor> | Iterable<ParamGroupInput<O>>;

/**
 * A parameter group: its parameters and every option, filled from the defaults. Options are
 * plain mutable fields (`group.lr = 0.01`); schedulers also keep their bookkeeping here
 * (`initialLr`, and for one-cycle schedules `maxLr`, `minLr`, …), as PyTorch does.
 */
export type ParamGroup<O> = O & { params: Tensor[]; [extra: string]: unknown };

/** A value kept in per-parameter state: tensors, counters, and lists of them (L-BFGS history). */
export type StateValue = Tensor | number | boolean | null | StateValue[];

/** Per-parameter optimizer state (`{ step, expAvg, expAvgSq }` for Adam). */
export type ParamState = Record<string, StateValue>;

/**
 * An optimizer's state as saved in checkpoints, in PyTorch's layout: per-parameter state keyed by
 * the parameter's position across all groups, and the groups' options with `params` replaced by
 * those positions. Everything is JSON-serializable except the tensors in `state`.
 */
export interface OptimizerStateDict {
  state: Record<number, ParamState>;
  paramGroups: Array<Record<string, unknown> & { params: number[] }>;
}

/** A function that re-evaluates the model and returns the loss (needed by L-BFGS). */
export type Closure<L extends Tensor | number = Tensor | number> = () => L;

/** Options of `zeroGrad`. */
export interface ZeroGradOptions {
  /** Set `.grad` to null (default, as PyTorch 2) instead of to zeros. */
  setToNone?: boolean;
}

/** How an optimizer names, fills and checks its options. */
export interface OptimizerSpec<O> {
  /** Class name used in error messages. */
  readonly name: string;
  readonly defaults: O;
  /** Throws when a group's options are out of range; `where` says which group. */
  validate(options: O, where: string): void;
}

/**
 * Base of every optimizer, mirroring `torch.optim.Optimizer`: param groups with per-group options,
 * lazily created per-parameter state, `zeroGrad`, `step`, and state dicts for checkpoints.
 * Subclasses implement {@link Optimizer.initState} and {@link Optimizer.update} for one parameter;
 * updates run under `noGrad` and write parameters in place.
 */
export abstract class Optimizer<O extends BaseOptions = BaseOptions, S extends ParamState = ParamState> {
  /** Options used for groups that do not override them. */
  readonly defaults: O;
  /** The parameter groups; change `paramGroups[i].lr` to change the learning rate. */
  readonly paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state, created on a parameter's first update. */
  readonly state = new Map<Tensor, S>();
  /** How many times `step()` has run (schedulers use it to check the call order). */
  stepCount = 0;
  protected readonly spec: OptimizerSpec<O>;

  constructor(params: ParamsInput<O>, options: Partial<O>, spec: OptimizerSpec<O>) {
    this.spec = spec;
    checkKnownOptions(spec.name, options, Object.keys(spec.defaults));
    const defaults = { ...spec.defaults };
    for (const [k, v] of Object.entries(options))
      if (v !== undefined) (defaults as Record<string, unknown>)[k] = v;
    spec.validate(defaults, 'options');
    this.defaults = defaults;
    const items =
      params instanceof Tensor ? [params] : [...(params as Iterable<Tensor | ParamGroupInput<O>>)];
    if (items.length === 0) throw new TorchletError(`${spec.name}: got an empty parameter list`);
    const groups = items.every((x) => x instanceof Tensor)
      ? [{ params: items as Tensor[] } as unknown as ParamGroupInput<O>]
      : (items as ParamGroupInput<O>[]);
    for (const g of groups) this.addParamGroup(g);
  }

  /** Adds a group of parameters with its own options (for fine-tuning some layers differently). */
  addParamGroup(group: ParamGroupInput<O>): void {
    const name = this.spec.name;
    const where = `param group ${this.paramGroups.length}`;
    if (group === null || typeof group !== 'object' || !('params' in group)) {
      throw new TorchletError(`${name}: ${where} must be an object with a 'params' field`);
    }
    const { params: raw, ...options } = group;
    checkKnownOptions(`${name}: ${where}`, options, Object.keys(this.spec.defaults));
    const params = raw instanceof Tensor ? [raw] : [...raw];
    params.forEach((p, i) => {
      if (!(p instanceof Tensor)) throw new TorchletError(`${name}: ${where} param ${i} is not a Tensor`);
      if (!isFloating(p.dtype)) {
        throw new TorchletError(
          `${name}: can only optimize floating tensors, but ${where} param ${i} is ${p.dtype}`,
        );
      }
      if (!p.isLeaf)
        throw new TorchletError(`${name}: can't optimize a non-leaf tensor (${where} param ${i})`);
    });
    if (new Set(params).size !== params.length) {
      throw new TorchletError(`${name}: ${where} contains the same parameter more than once`);
    }
    this.paramGroups.forEach((other, j) => {
      if (other.params.some((p) => params.includes(p))) {
        throw new TorchletError(
          `${name}: some parameters appear in more than one parameter group (groups ${j} and ${this.paramGroups.length})`,
        );
      }
    });
    const filled = { ...structuredCloneOptions(this.defaults) } as Record<string, unknown>;
    for (const [k, v] of Object.entries(options)) if (v !== undefined) filled[k] = v;
    this.spec.validate(filled as unknown as O, where);
    filled.params = params;
    this.paramGroups.push(filled as ParamGroup<O>);
  }

  /** Clears the gradients of every parameter: to null by default, or to zeros. */
  zeroGrad(options: ZeroGradOptions = {}): void {
    const setToNone = options.setToNone ?? true;
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (p.grad === null) continue;
        const old = p.grad;
        // A fresh zero tensor rather than `grad.zero_()`: a gradient may be a view sharing storage
        // with other tensors (an expanded incoming gradient, a tensor the user passed to backward).
        p.grad = setToNone ? null : zerosLike(old);
        releaseIfOwned(old, ownsGrad(old));
      }
    }
  }

  /**
   * Keeps the new state tensors out of any tidy() scope the step runs in (they outlive it) and
   * releases the device memory of those `update` replaced: the optimizer made them, and no one
   * else holds them (state dicts are copies).
   */
  private retainState(before: readonly Tensor[], state: S, param: Tensor, grad: Tensor): void {
    const now = stateTensors(state);
    for (const t of now) keep(t);
    const live = new Set(now.map((t) => t.storage));
    for (const t of before) {
      const s = t.storage;
      if (!live.has(s) && s !== param.storage && s !== grad.storage) t.dispose();
    }
  }

  /**
   * Performs one optimization step on every parameter that has a gradient. `closure`, when given,
   * is run with grad enabled first (it should zero grads, compute the loss and call backward) and
   * its loss is returned.
   */
  step<L extends Tensor | number>(closure?: Closure<L>): L | undefined {
    const loss = closure ? enableGrad(closure) : undefined;
    noGrad(() => {
      for (const group of this.paramGroups) {
        for (const p of group.params) {
          const grad = p.grad;
          if (grad === null) continue;
          let st = this.state.get(p);
          if (st === undefined) this.state.set(p, (st = this.initState(p, group)));
          // Device memory bookkeeping; CPU state is left to the garbage collector.
          const before = p.storage.backend.tracksMemory ? stateTensors(st) : null;
          this.update(p, grad, st, group);
          if (before) this.retainState(before, st, p, grad);
        }
      }
    });
    this.stepCount++;
    return loss;
  }

  /** Creates the state of `param` before its first update. */
  protected abstract initState(param: Tensor, group: ParamGroup<O>): S;

  /** Updates `param` in place from `grad`, reading and replacing entries of `state`. */
  protected abstract update(param: Tensor, grad: Tensor, state: S, group: ParamGroup<O>): void;

  /**
   * A snapshot of the optimizer for checkpoints (tensors are copies, so later steps do not change
   * it). `loadStateDict` on an optimizer built over the same parameters resumes exactly.
   */
  stateDict(): OptimizerStateDict {
    const index = new Map<Tensor, number>();
    let next = 0;
    const paramGroups = this.paramGroups.map((g) => {
      const { params, ...options } = g;
      return {
        ...structuredCloneOptions(options),
        params: params.map((p) => {
          index.set(p, next);
          return next++;
        }),
      };
    });
    const state: Record<number, ParamState> = {};
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i !== undefined) state[i] = mapState(s, (t) => noGrad(() => t.clone())) as ParamState;
    }
    return { state, paramGroups };
  }

  /** Restores a snapshot from {@link Optimizer.stateDict}, casting state tensors to each parameter's dtype and device. */
  loadStateDict(stateDict: OptimizerStateDict): void {
    const name = this.spec.name;
    const saved = stateDict.paramGroups;
    if (!Array.isArray(saved) || saved.length !== this.paramGroups.length) {
      throw new TorchletError(
        `${name}.loadStateDict: the state dict has ${saved?.length ?? 'no'} parameter groups, the optimizer has ${this.paramGroups.length}`,
      );
    }
    const byIndex = new Map<number, Tensor>();
    saved.forEach((g, i) => {
      const own = this.paramGroups[i]!;
      if (g.params.length !== own.params.length) {
        throw new TorchletError(
          `${name}.loadStateDict: parameter group ${i} has ${g.params.length} parameters in the state dict but ${own.params.length} in the optimizer`,
        );
      }
      g.params.forEach((idx, j) => {
        byIndex.set(idx, own.params[j]!);
      });
    });
    this.state.clear();
    for (const [key, s] of Object.entries(stateDict.state)) {
      const p = byIndex.get(Number(key));
      if (p === undefined)
        throw new TorchletError(`${name}.loadStateDict: state for unknown parameter index ${key}`);
      this.state.set(p, mapState(s, (t) => castLike(t, p)) as S);
    }
    saved.forEach((g, i) => {
      const own = this.paramGroups[i]!;
      const { params: _ignored, ...options } = g;
      Object.assign(own, structuredCloneOptions(options));
    });
  }
}

/** Copies option values (arrays such as `betas` included) so groups and snapshots do not alias. */
function structuredCloneOptions<T extends object>(options: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) out[k] = Array.isArray(v) ? [...v] : v;
  return out as T;
}

function mapState(value: StateValue | ParamState, fn: (t: Tensor) => Tensor): StateValue | ParamState {
  if (value instanceof Tensor) return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapState(v, fn) as StateValue);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, StateValue> = {};
    for (const [k, v] of Object.entries(value)) out[k] = mapState(v, fn) as StateValue;
    return out;
  }
  return value;
}

/** A copy of `t` with `param`'s dtype and device (state saved on another device or in float64). */
function castLike(t: Tensor, param: Tensor): Tensor {
  return noGrad(() => {
    const moved = t.to(param.device).to(param.dtype);
    return moved === t ? t.clone() : moved;
  });
}
