import type { DType, TypedArray } from './dtype.js';
import { TorchletError } from './errors.js';
import { trackStorage, untrackStorage } from './memory.js';
import { Tensor } from './tensor.js';

/**
 * A place tensors live and compute: the CPU (typed arrays) or a device such as a gpu.js context.
 * A backend owns its storages; kernels registered under its name compute on them.
 */
export interface Backend {
  readonly name: string;
  /** Wraps values copied from a CPU typed array into this backend's storage. */
  upload(values: TypedArray, dtype: DType): Storage;
  /** Allocates zero-filled storage for `size` elements. */
  alloc(dtype: DType, size: number): Storage;
  /** Copies a storage's elements to a CPU typed array (synchronously). */
  download(storage: Storage): TypedArray;
  /** Releases device memory; a no-op where memory is garbage-collected. */
  release(storage: Storage): void;
  /**
   * Replaces a storage's elements with `values` (all of them), for in-place writes that run on
   * the CPU. Needed only by backends whose handles are not CPU typed arrays.
   */
  overwrite?(storage: Storage, values: TypedArray): void;
  /** True when storages need explicit release (device memory): `tidy` and `memory()` track them. */
  readonly tracksMemory?: boolean;
}

/**
 * Flat memory shared by a tensor and all its views. `version` counts in-place writes, so autograd
 * can refuse a backward pass that would read a tensor modified after it was saved.
 */
export class Storage {
  version = 0;
  disposed = false;
  constructor(
    readonly backend: Backend,
    readonly dtype: DType,
    readonly size: number,
    /** Backend-specific handle: a TypedArray on the CPU. */
    readonly data: unknown,
  ) {
    if (backend.tracksMemory) trackStorage(this);
  }

  /** Frees the backend memory; every view of this storage becomes unusable. Idempotent. */
  release(): void {
    if (this.disposed) return;
    this.backend.release(this);
    this.disposed = true;
    if (this.backend.tracksMemory) untrackStorage(this);
  }
}

/** Attributes of one op call (dims, flags, …), passed to kernels and kept for gradient rules. */
export type Attrs = Record<string, unknown>;

/** A kernel computes an op's outputs from its inputs on one backend. */
export type Kernel = (inputs: readonly Tensor[], attrs: Attrs) => Tensor | Tensor[];

const backends = new Map<string, Backend>();
const kernels = new Map<string, Map<string, Kernel>>();

/** Makes a backend available by name (`'cpu'`, `'gpu'`). */
export function registerBackend(backend: Backend): void {
  backends.set(backend.name, backend);
  if (!kernels.has(backend.name)) kernels.set(backend.name, new Map());
}

/** The registered backend called `name`; throws listing the known ones otherwise. */
export function getBackend(name: string): Backend {
  const b = backends.get(name);
  if (!b) {
    throw new TorchletError(`device '${name}' is not registered (known: ${[...backends.keys()].join(', ')})`);
  }
  return b;
}

/** Registers `kernel` as the implementation of `name` on backend `backendName`. */
export function registerKernel(backendName: string, name: string, kernel: Kernel): void {
  let table = kernels.get(backendName);
  if (!table) kernels.set(backendName, (table = new Map()));
  table.set(name, kernel);
}

/** Whether backend `backendName` has its own kernel `name` (no CPU fallback needed). */
export function hasKernel(backendName: string, name: string): boolean {
  return kernels.get(backendName)?.has(name) ?? false;
}

/**
 * Runs kernel `name` on the backend of `inputs`. A backend without that kernel falls back to the
 * CPU kernel explicitly ({@link runOnCpu}).
 */
export function runKernel(name: string, inputs: readonly Tensor[], attrs: Attrs = {}): Tensor | Tensor[] {
  const device = inputs.length > 0 ? inputs[0]!.device : ((attrs.device as string | undefined) ?? 'cpu');
  for (const t of inputs) {
    if (t.device !== device) {
      throw new TorchletError(
        `${name}: expected all tensors on one device, got '${device}' and '${t.device}'`,
      );
    }
  }
  const kernel = kernels.get(device)?.get(name);
  if (kernel) return kernel(inputs, attrs);
  return runOnCpu(name, inputs, attrs);
}

/**
 * Runs the CPU kernel `name` for tensors on another device: inputs are copied to the CPU and the
 * outputs copied back; an in-place target (`attrs.into`) is written on a CPU copy of its storage,
 * which then replaces the device's. Device backends call this for cases their kernels skip.
 */
export function runOnCpu(name: string, inputs: readonly Tensor[], attrs: Attrs = {}): Tensor | Tensor[] {
  const device = inputs[0]?.device ?? (attrs.device as string | undefined) ?? 'cpu';
  const cpuKernel = kernels.get('cpu')?.get(name);
  if (!cpuKernel) throw new TorchletError(`${name}: no kernel registered for device '${device}' or 'cpu'`);
  if (device !== 'cpu') for (const listener of fallbackListeners) listener(name, device);
  const into = attrs.into as Tensor | undefined;
  const cpuInto = into && onCpu(into);
  const out = cpuKernel(inputs.map(onCpu), {
    ...attrs,
    device: 'cpu',
    ...(cpuInto ? { into: cpuInto } : {}),
  });
  if (device === 'cpu') return out;
  if (into && cpuInto) {
    const backend = into.storage.backend;
    if (!backend.overwrite)
      throw new TorchletError(`${name}: device '${device}' cannot take in-place results`);
    backend.overwrite(into.storage, cpuInto.storage.data as TypedArray);
    return into;
  }
  const toDevice = (t: Tensor) => fromCpu(t, device);
  return Array.isArray(out) ? out.map(toDevice) : toDevice(out);
}

/** The same view over a CPU copy of `t`'s whole storage (no autograd record: kernels are below it). */
function onCpu(t: Tensor): Tensor {
  if (t.device === 'cpu') return t;
  const storage = getBackend('cpu').upload(t.storage.backend.download(t.storage), t.dtype);
  return new Tensor(storage, t.shape, t.strides, t.offset);
}

/** A dense copy of the CPU tensor `t` on `device`. */
function fromCpu(t: Tensor, device: string): Tensor {
  return new Tensor(getBackend(device).upload(t.dataSync(), t.dtype), [...t.shape]);
}

const fallbackListeners = new Set<(kernel: string, device: string) => void>();

/**
 * Calls `listener(kernel, device)` whenever a device op runs on the CPU instead (to find the ops
 * a model still copies back and forth). Returns a function that removes the listener.
 */
export function onCpuFallback(listener: (kernel: string, device: string) => void): () => void {
  fallbackListeners.add(listener);
  return () => fallbackListeners.delete(listener);
}

/** `runKernel` for kernels with one output. */
export function run1(name: string, inputs: readonly Tensor[], attrs: Attrs = {}): Tensor {
  return runKernel(name, inputs, attrs) as Tensor;
}
