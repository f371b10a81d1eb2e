import '@torchlet/autograd';
import {
  DTYPES,
  type DType,
  fmtShape,
  isFloating,
  noGrad,
  shapesEqual,
  Tensor,
  TorchletError,
  zerosLike,
} from '@torchlet/tensor';
import { Parameter } from './parameter.js';

/** Parameters and persistent buffers by dotted name (`layer1.weight`), as `stateDict()` returns them. */
export type StateDict = Record<string, Tensor>;

/** Called before `forward` by {@link Module.call}; returning an array replaces the inputs. */
export type ForwardPreHook = (module: Module, inputs: unknown[]) => unknown[] | undefined;

/** Called after `forward` by {@link Module.call}; returning a value other than undefined replaces the output. */
export type ForwardHook = (module: Module, inputs: unknown[], output: unknown) => unknown;

/** Returned by hook registration; `remove()` unregisters the hook. */
export interface RemovableHandle {
  remove(): void;
}

/** What `loadStateDict` found besides the keys it loaded. */
export interface LoadResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

// Internal state lives under symbols so that the own-property scan that finds parameters,
// buffers and submodules never sees it.
const BUFFERS = Symbol('buffers');
const PRE_HOOKS = Symbol('forwardPreHooks');
const HOOKS = Symbol('forwardHooks');

function checkName(op: string, name: string): void {
  if (name === '' || name.includes('.')) {
    throw new TorchletError(`${op}: name must be non-empty and contain no '.', got '${name}'`);
  }
}

function addHook<T>(list: T[], hook: T): RemovableHandle {
  list.push(hook);
  return {
    remove: () => {
      const i = list.indexOf(hook);
      if (i >= 0) list.splice(i, 1);
    },
  };
}

/** Indents every line but the first, as PyTorch's `_addindent`. */
function indentTail(text: string, spaces: number): string {
  return text.split('\n').join(`\n${' '.repeat(spaces)}`);
}

/**
 * Base class of every layer and model. Parameters ({@link Parameter}) and submodules are
 * registered by assigning them to properties, in assignment order; buffers (running statistics
 * and other state that is not learned) by {@link Module.registerBuffer}.
 *
 * Call a module with `module.call(x)`: it runs the forward pre-hooks, `forward` and the forward
 * hooks, and its argument and result types are those of the subclass's `forward`.
 *
 * @example
 * class Net extends Module {
 *   layer1 = new Linear(3, 3);
 *   out = new Linear(3, 2);
 *   override forward(x: Tensor): Tensor {
 *     return this.out.call(this.layer1.call(x).sigmoid());
 *   }
 * }
 * const net = new Net();
 * net.call(randn([10, 3])).shape; // [10, 2]
 * net.namedParameters().map(([name]) => name); // ['layer1.weight', 'layer1.bias', 'out.weight', 'out.bias']
 */
export class Module {
  /** Whether the module is in training mode (dropout active, batch norm on batch statistics). */
  training = true;
  private readonly [BUFFERS] = new Map<string, { persistent: boolean; stateName: string }>();
  private readonly [PRE_HOOKS]: ForwardPreHook[] = [];
  private readonly [HOOKS]: ForwardHook[] = [];

  /** The computation; subclasses override it with their own signature. */
  // biome-ignore lint/suspicious/noExplicitAny: subclasses narrow the signature.
  forward(..._args: any[]): any {
    throw new TorchletError(`${this.className}: forward() is not implemented`);
  }

  /**
   * Runs the module: forward pre-hooks, `forward`, then forward hooks. Typed after the
   * subclass's `forward`, so `linear.call(x)` is a `Tensor` and a wrong argument is a type error.
   */
  call<M extends Module>(this: M, ...args: Parameters<M['forward']>): ReturnType<M['forward']> {
    const pre = this[PRE_HOOKS];
    const post = this[HOOKS];
    if (pre.length === 0 && post.length === 0) return this.forward(...args);
    let inputs: unknown[] = args;
    for (const hook of [...pre]) inputs = hook(this, inputs) ?? inputs;
    let out = this.forward(...inputs);
    for (const hook of [...post]) {
      const replaced = hook(this, inputs, out);
      if (replaced !== undefined) out = replaced;
    }
    return out;
  }

  /** The class name, as shown by `toString()` and `summary()`. */
  get className(): string {
    return this.constructor.name;
  }

  // Registration --------------------------------------------------------------------------------

  /** Own properties in assignment order; parameters, buffers and children are found among them. */
  protected members(): [string, unknown][] {
    return Object.entries(this);
  }

  /** Registers a parameter under `name` (same as assigning it); `null` leaves the slot empty. */
  registerParameter(name: string, param: Parameter | null): void {
    checkName('registerParameter', name);
    (this as Record<string, unknown>)[name] = param;
  }

  /**
   * Registers a tensor that is state but not a parameter (e.g. batch norm's `runningMean`).
   * Persistent buffers are saved by `stateDict()`, under `stateName` when given (built-in layers
   * use PyTorch's names, `running_mean`, so checkpoints travel unchanged); later assignments to
   * the property update the buffer.
   */
  registerBuffer(
    name: string,
    tensor: Tensor | null,
    options: { persistent?: boolean; stateName?: string } = {},
  ): void {
    checkName('registerBuffer', name);
    if (tensor !== null && !(tensor instanceof Tensor)) {
      throw new TorchletError(`registerBuffer: '${name}' must be a Tensor or null`);
    }
    this[BUFFERS].set(name, { persistent: options.persistent ?? true, stateName: options.stateName ?? name });
    (this as Record<string, unknown>)[name] = tensor;
  }

  /** Registers a submodule under `name` (same as assigning it; for names computed at run time). */
  registerModule(name: string, module: Module | null): void {
    checkName('registerModule', name);
    (this as Record<string, unknown>)[name] = module;
  }

  /** Replaces the value of a registered member (used by `to()`). */
  protected setMember(name: string, value: unknown): void {
    (this as Record<string, unknown>)[name] = value;
  }

  // Traversal -----------------------------------------------------------------------------------

  /** Immediate submodules with their names. */
  namedChildren(): [string, Module][] {
    return this.members().filter((e): e is [string, Module] => e[1] instanceof Module);
  }

  /** Immediate submodules. */
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and all below it, each once, with dotted names (`''` for this one). */
  namedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    const visit = (m: Module, name: string): void => {
      if (seen.has(m)) return;
      seen.add(m);
      out.push([name, m]);
      for (const [child, sub] of m.namedChildren()) visit(sub, name ? `${name}.${child}` : child);
    };
    visit(this, prefix);
    return out;
  }

  /** This module and all below it. */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** Parameters registered directly on this module. */
  private localParameters(): [string, Parameter][] {
    return this.members().filter((e): e is [string, Parameter] => e[1] instanceof Parameter);
  }

  /** Buffers registered directly on this module (non-null ones). */
  private localBuffers(persistentOnly = false): [string, Tensor][] {
    const info = this[BUFFERS];
    return this.members().filter(
      (e): e is [string, Tensor] =>
        info.has(e[0]) && e[1] instanceof Tensor && (!persistentOnly || info.get(e[0])!.persistent),
    );
  }

  private namedTensors<T>(
    local: (m: Module) => [string, T][],
    prefix: string,
    recurse: boolean,
  ): [string, T][] {
    const out: [string, T][] = [];
    const seen = new Set<T>();
    const mods: [string, Module][] = recurse ? this.namedModules(prefix) : [[prefix, this]];
    for (const [modName, m] of mods) {
      for (const [name, t] of local(m)) {
        if (seen.has(t)) continue;
        seen.add(t);
        out.push([modName ? `${modName}.${name}` : name, t]);
      }
    }
    return out;
  }

  /** Parameters with dotted names (`layer1.weight`), each once; `recurse: false` for this module's own. */
  namedParameters(options: { prefix?: string; recurse?: boolean } = {}): [string, Parameter][] {
    return this.namedTensors((m) => m.localParameters(), options.prefix ?? '', options.recurse ?? true);
  }

  /** All parameters, each once, in registration order (what an optimizer takes). */
  parameters(options: { recurse?: boolean } = {}): Parameter[] {
    return this.namedParameters(options).map(([, p]) => p);
  }

  /** Buffers with dotted names, each once. */
  namedBuffers(options: { prefix?: string; recurse?: boolean } = {}): [string, Tensor][] {
    return this.namedTensors((m) => m.localBuffers(), options.prefix ?? '', options.recurse ?? true);
  }

  /** All buffers. */
  buffers(options: { recurse?: boolean } = {}): Tensor[] {
    return this.namedBuffers(options).map(([, b]) => b);
  }

  /** The submodule at a dotted path (`'features.0'`). */
  getSubmodule(target: string): Module {
    if (target === '') return this;
    let m: Module = this;
    for (const part of target.split('.')) {
      const next = m.namedChildren().find(([n]) => n === part)?.[1];
      if (!next)
        throw new TorchletError(`getSubmodule: ${m.className} has no submodule '${part}' (in '${target}')`);
      m = next;
    }
    return m;
  }

  // Modes and gradients -------------------------------------------------------------------------

  /** Sets training mode on this module and every submodule; returns this. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode: `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  /** Clears the gradients of all parameters (to null, or to zeros with `setToNone: false`). */
  zeroGrad(setToNone = true): void {
    for (const p of this.parameters()) {
      if (setToNone) p.grad = null;
      else if (p.grad) p.grad = zerosLike(p.grad);
    }
  }

  /** Calls `fn` on every submodule (children first) and then on this module; returns this. */
  apply(fn: (module: Module) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  /** Sets `requiresGrad` on every parameter (freeze with `false`); returns this. */
  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad_(requiresGrad);
    return this;
  }

  /**
   * Converts floating parameters and buffers to `dtype`, or moves all of them to a device, in place
   * (each parameter is replaced by a converted one, so build optimizers after calling this).
   */
  to(target: DType | string): this {
    const isDtype = (DTYPES as readonly string[]).includes(target);
    const convert = (t: Tensor): Tensor | null => {
      if (isDtype) return isFloating(t.dtype) && t.dtype !== target ? t.detach().to(target) : null;
      return t.device !== target ? t.detach().to(target) : null;
    };
    noGrad(() => {
      for (const m of this.modules()) {
        for (const [name, p] of m.localParameters()) {
          const data = convert(p);
          if (!data) continue;
          const np = new Parameter(data, p.requiresGrad);
          if (p.grad) np.grad = convert(p.grad) ?? p.grad;
          m.setMember(name, np);
        }
        for (const [name, b] of m.localBuffers()) {
          const data = convert(b);
          if (data) m.setMember(name, data);
        }
      }
    });
    return this;
  }

  /** `to('float32')`. */
  float(): this {
    return this.to('float32');
  }

  /** `to('float64')`. */
  double(): this {
    return this.to('float64');
  }

  // Hooks ---------------------------------------------------------------------------------------

  /** Registers `hook(module, inputs)`, run by `call()` before `forward`. */
  registerForwardPreHook(hook: ForwardPreHook): RemovableHandle {
    return addHook(this[PRE_HOOKS], hook);
  }

  /** Registers `hook(module, inputs, output)`, run by `call()` after `forward`. */
  registerForwardHook(hook: ForwardHook): RemovableHandle {
    return addHook(this[HOOKS], hook);
  }

  // State ---------------------------------------------------------------------------------------

  /**
   * Parameters and persistent buffers by dotted name, detached (`keepVars: true` keeps the
   * parameters themselves). A module reachable under two names appears under both, as in PyTorch.
   */
  stateDict(options: { prefix?: string; keepVars?: boolean } = {}): StateDict {
    const out: StateDict = {};
    const keep = options.keepVars ?? false;
    this.visitState(options.prefix ?? '', (key, t) => {
      out[key] = keep ? t : t.detach();
    });
    return out;
  }

  private visitState(prefix: string, fn: (key: string, t: Tensor) => void): void {
    for (const [name, p] of this.localParameters()) fn(prefix + name, p);
    for (const [name, b] of this.localBuffers(true)) fn(prefix + this[BUFFERS].get(name)!.stateName, b);
    for (const [name, child] of this.namedChildren()) child.visitState(`${prefix}${name}.`, fn);
  }

  /**
   * Copies `stateDict` into this module's parameters and buffers. Every problem is reported by
   * name before anything is copied: shape and dtype mismatches always, and with `strict` (the
   * default) missing and unexpected keys. Returns the missing and unexpected keys.
   */
  loadStateDict(stateDict: StateDict, options: { strict?: boolean } = {}): LoadResult {
    const strict = options.strict ?? true;
    const targets: [string, Tensor][] = [];
    this.visitState('', (key, t) => {
      targets.push([key, t]);
    });
    const expected = new Set(targets.map(([k]) => k));
    const missingKeys: string[] = [];
    const unexpectedKeys = Object.keys(stateDict).filter((k) => !expected.has(k));
    const errors: string[] = [];
    const copies: [Tensor, Tensor][] = [];
    for (const [key, target] of targets) {
      const value = stateDict[key];
      if (value === undefined) {
        missingKeys.push(key);
      } else if (!(value instanceof Tensor)) {
        errors.push(`value for ${key} is not a Tensor`);
      } else if (!shapesEqual(value.shape, target.shape)) {
        errors.push(
          `size mismatch for ${key}: copying a param with shape ${fmtShape(value.shape)} from checkpoint, the shape in current model is ${fmtShape(target.shape)}`,
        );
      } else if (isFloating(value.dtype) && !isFloating(target.dtype)) {
        errors.push(`dtype mismatch for ${key}: cannot copy ${value.dtype} into ${target.dtype}`);
      } else {
        copies.push([target, value]);
      }
    }
    if (strict) {
      if (unexpectedKeys.length > 0)
        errors.unshift(`Unexpected key(s) in state_dict: ${quoteList(unexpectedKeys)}.`);
      if (missingKeys.length > 0) errors.unshift(`Missing key(s) in state_dict: ${quoteList(missingKeys)}.`);
    }
    if (errors.length > 0) {
      throw new TorchletError(
        `loadStateDict: error(s) in loading state dict for ${this.className}:\n\t${errors.join('\n\t')}`,
      );
    }
    noGrad(() => {
      for (const [target, value] of copies) target.copy_(value);
    });
    return { missingKeys, unexpectedKeys };
  }

  // Text ----------------------------------------------------------------------------------------

  /** The settings shown inside the parentheses of `toString()` (`inFeatures=3, outFeatures=2, bias=true`). */
  extraRepr(): string {
    return '';
  }

  /** A tree of the module and its children in the layout of PyTorch's repr. */
  toString(): string {
    const extra = this.extraRepr();
    const extraLines = extra ? extra.split('\n') : [];
    const childLines = this.namedChildren().map(([name, m]) => `(${name}): ${indentTail(m.toString(), 2)}`);
    const lines = [...extraLines, ...childLines];
    let body = '';
    if (lines.length === 1 && childLines.length === 0) body = extraLines[0]!;
    else if (lines.length > 0) body = `\n  ${lines.join('\n  ')}\n`;
    return `${this.className}(${body})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

function quoteList(keys: string[]): string {
  return keys.map((k) => `"${k}"`).join(', ');
}
