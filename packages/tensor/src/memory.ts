import type { Storage } from './backend.js';
import { Tensor } from './tensor.js';

/**
 * Device memory (gpu.js textures) is not reclaimed by the garbage collector promptly, so device
 * storages are tracked: `tidy(fn)` releases the ones `fn` allocated and did not return or `keep`,
 * and `memory()` counts the live ones for leak tests. CPU storages are never tracked.
 */
const scopes: Set<Storage>[] = [];

/** A tracked storage's footprint, kept apart from it so counts survive its collection. */
interface Footprint {
  device: string;
  size: number;
}
const live = new Map<string, { storages: number; elements: number }>();

function count(f: Footprint, sign: 1 | -1): void {
  const d = live.get(f.device) ?? { storages: 0, elements: 0 };
  d.storages += sign;
  d.elements += sign * f.size;
  live.set(f.device, d);
}

// A storage dropped without release is counted out when collected (its backend frees the memory).
const collected = new FinalizationRegistry<Footprint>((f) => count(f, -1));

/** Called by a backend whose memory needs explicit release, for every storage it creates. */
export function trackStorage(storage: Storage): void {
  const f = { device: storage.backend.name, size: storage.size };
  count(f, 1);
  collected.register(storage, f, storage);
  scopes.at(-1)?.add(storage);
}

/** Called when a tracked storage's memory has been released. */
export function untrackStorage(storage: Storage): void {
  if (collected.unregister(storage)) count({ device: storage.backend.name, size: storage.size }, -1);
  for (const scope of scopes) scope.delete(storage);
}

/** Live device storages and their element count, per device (CPU memory is not counted). */
export interface MemoryInfo {
  /** Storages not yet released (views share one). */
  storages: number;
  /** Elements held by them. */
  elements: number;
  /** The same two numbers per device name. */
  byDevice: Record<string, { storages: number; elements: number }>;
}

/**
 * How much device memory is live (tracked storages not yet released or collected): a leak test
 * compares this before and after a loop.
 */
export function memory(): MemoryInfo {
  const info: MemoryInfo = { storages: 0, elements: 0, byDevice: {} };
  for (const [device, d] of live) {
    info.storages += d.storages;
    info.elements += d.elements;
    info.byDevice[device] = { ...d };
  }
  return info;
}

/** Tensors found in `value`: itself, or inside arrays and plain objects (as a tidy result may hold). */
function collectStorages(value: unknown, out: Set<Storage>, seen = new Set<unknown>()): void {
  if (value instanceof Tensor) {
    out.add(value.storage);
    return;
  }
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  const items = Array.isArray(value)
    ? value
    : value instanceof Map
      ? [...value.values()]
      : Object.values(value);
  for (const item of items) collectStorages(item, out, seen);
}

/**
 * Runs `fn` and releases the device memory of every tensor it created, except the tensors it
 * returns (alone, or in arrays/objects) and those passed to {@link keep}; those move to the
 * enclosing scope. Scopes nest. A no-op for CPU tensors, which the garbage collector reclaims.
 * Do not use a released tensor afterwards: reading it throws.
 *
 * @example
 * const loss = tidy(() => model.call(x).sub(y).square().mean()); // intermediates released
 */
export function tidy<T>(fn: () => T): T {
  if (typeof fn !== 'function') throw new TypeError('tidy: expected a function');
  const scope = new Set<Storage>();
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } finally {
    scopes.pop();
  }
  if (result instanceof Promise) {
    throw new TypeError('tidy: the function returned a Promise; tidy scopes must be synchronous');
  }
  const kept = new Set<Storage>();
  collectStorages(result, kept);
  const parent = scopes.at(-1);
  for (const storage of scope) {
    if (kept.has(storage)) parent?.add(storage);
    else if (!storage.disposed) storage.release();
  }
  return result;
}

/** Keeps `tensor`'s memory out of every enclosing `tidy` scope (it lives until disposed or collected). */
export function keep<T extends Tensor>(tensor: T): T {
  for (const scope of scopes) scope.delete(tensor.storage);
  return tensor;
}
