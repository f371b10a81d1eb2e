import { IndexError, type Tensor, TorchletError } from '@torchlet/tensor';
import { Module } from './module.js';

/**
 * Holds submodules in a map of its own rather than in properties, so any key (`'train'`, `'0'`)
 * is allowed and the order is the insertion order.
 */
abstract class ModuleContainer extends Module {
  protected readonly slots = new Map<string, Module>();

  protected override members(): [string, unknown][] {
    return [...super.members(), ...this.slots];
  }

  override registerModule(name: string, module: Module | null): void {
    if (name.includes('.') || name === '') {
      throw new TorchletError(`registerModule: name must be non-empty and contain no '.', got '${name}'`);
    }
    if (module === null) this.slots.delete(name);
    else this.slots.set(name, module);
  }

  /** Number of submodules. */
  get length(): number {
    return this.slots.size;
  }
}

/** A list container with integer keys `'0'`, `'1'`, …; shared by ModuleList and Sequential. */
abstract class IndexedContainer extends ModuleContainer {
  constructor(modules: Iterable<Module> = []) {
    super();
    this.extend(modules);
  }

  private index(op: string, i: number, size = this.slots.size): number {
    if (!Number.isInteger(i) || i < -size || i >= size) {
      throw new IndexError(`${this.className}.${op}: index ${i} is out of range for ${size} modules`);
    }
    return i < 0 ? i + size : i;
  }

  private list(): Module[] {
    return [...this.slots.values()];
  }

  private reset(modules: Module[]): void {
    this.slots.clear();
    modules.forEach((m, i) => {
      this.slots.set(String(i), m);
    });
  }

  /** The module at position `i` (negative counts from the end). */
  at(i: number): Module {
    return this.list()[this.index('at', i)]!;
  }

  /** Replaces the module at position `i`. */
  set(i: number, module: Module): void {
    const list = this.list();
    list[this.index('set', i)] = module;
    this.reset(list);
  }

  /** Appends a module; returns this. */
  append(module: Module): this {
    this.slots.set(String(this.slots.size), module);
    return this;
  }

  /** Appends several modules; returns this. */
  extend(modules: Iterable<Module>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  /** Inserts a module before position `i`. */
  insert(i: number, module: Module): void {
    const list = this.list();
    const at = i === list.length ? i : this.index('insert', i);
    list.splice(at, 0, module);
    this.reset(list);
  }

  /** Removes and returns the module at position `i` (the last by default). */
  pop(i = -1): Module {
    const list = this.list();
    const [m] = list.splice(this.index('pop', i), 1);
    this.reset(list);
    return m!;
  }

  [Symbol.iterator](): IterableIterator<Module> {
    return this.slots.values();
  }
}

/**
 * Holds submodules in a list, registered so their parameters are found; it has no `forward`.
 *
 * @example
 * this.blocks = new ModuleList([new Linear(4, 4), new Linear(4, 4)]);
 * for (const block of this.blocks) x = block.call(x);
 */
export class ModuleList extends IndexedContainer {
  /** A new ModuleList holding the modules from `start` to `end` (exclusive). */
  slice(start?: number, end?: number): ModuleList {
    return new ModuleList([...this].slice(start, end));
  }
}

/**
 * Runs its modules one after another, each on the previous one's output. Modules are named
 * `'0'`, `'1'`, … or, when given as an object, by its keys.
 *
 * @example
 * const model = new Sequential(new Linear(784, 128), new ReLU(), new Linear(128, 10));
 * model.call(x); // [N, 10]
 */
export class Sequential extends IndexedContainer {
  constructor(...modules: Module[] | [Record<string, Module>]) {
    const first = modules[0];
    const named = modules.length === 1 && first !== undefined && !(first instanceof Module);
    super(named ? [] : (modules as Module[]));
    if (named)
      for (const [name, m] of Object.entries(first as Record<string, Module>)) this.registerModule(name, m);
  }

  override forward(input: Tensor): Tensor {
    let x: unknown = input;
    for (const m of this.slots.values()) x = m.call(x);
    return x as Tensor;
  }

  /** A new Sequential holding the modules from `start` to `end` (exclusive), shared with this one. */
  slice(start?: number, end?: number): Sequential {
    return new Sequential(...[...this].slice(start, end));
  }
}

/**
 * Holds submodules by string key, in insertion order; it has no `forward`.
 *
 * @example
 * this.heads = new ModuleDict({ class: new Linear(64, 10), box: new Linear(64, 4) });
 * this.heads.get('class').call(features);
 */
export class ModuleDict extends ModuleContainer {
  constructor(modules: Record<string, Module> | Iterable<[string, Module]> = {}) {
    super();
    this.update(modules);
  }

  /** The module under `key`. */
  get(key: string): Module {
    const m = this.slots.get(key);
    if (!m)
      throw new IndexError(
        `ModuleDict.get: no module under key '${key}' (keys: ${[...this.slots.keys()].join(', ')})`,
      );
    return m;
  }

  /** Adds or replaces the module under `key`. */
  set(key: string, module: Module): void {
    this.registerModule(key, module);
  }

  has(key: string): boolean {
    return this.slots.has(key);
  }

  /** Removes and returns the module under `key`. */
  pop(key: string): Module {
    const m = this.get(key);
    this.slots.delete(key);
    return m;
  }

  /** Adds every entry of `modules`. */
  update(modules: Record<string, Module> | Iterable<[string, Module]>): void {
    const entries = Symbol.iterator in modules ? modules : Object.entries(modules);
    for (const [k, m] of entries as Iterable<[string, Module]>) this.registerModule(k, m);
  }

  keys(): string[] {
    return [...this.slots.keys()];
  }

  values(): Module[] {
    return [...this.slots.values()];
  }

  entries(): [string, Module][] {
    return [...this.slots];
  }

  [Symbol.iterator](): IterableIterator<string> {
    return this.slots.keys();
  }
}
