import { TorchletError } from '@torchlet/tensor';
import { isNode, nodeModuleSync } from '../node.js';
import { baseUrl, resolveUrl } from '../readers/files.js';
import { NODE_WORKER_SOURCE, WEB_WORKER_SOURCE } from './bootstrap.js';
import { decode } from './codec.js';

/**
 * How a worker builds its copy of the dataset: functions and class instances cannot be sent to a
 * thread, so each worker imports `module` and calls its export `export` (default `'default'`) with a
 * {@link WorkerContext}; it returns (or resolves to) a map-style dataset.
 *
 * @example { module: new URL('./mnist-augmented.js', import.meta.url), export: 'makeDataset', args: [{ train: true }] }
 */
export interface WorkerDatasetSpec {
  /**
   * Node: an absolute file path, a `file:` URL or a bare package specifier. Browser: the URL of a
   * self-contained (bundled) ES module; a relative URL resolves against the page, as `new Worker(url)`.
   */
  module: string | URL;
  export?: string;
  /** Passed to the factory as `context.args` (structured-cloneable values only). */
  args?: unknown[];
}

/** What a worker's dataset factory is called with. */
export interface WorkerContext {
  workerId: number;
  numWorkers: number;
  /** A per-worker seed (the loader's base seed + workerId); seed random transforms with it. */
  seed: number;
  args: unknown[];
}

/** An error thrown inside a DataLoader worker, with the worker's own stack. */
export class WorkerError extends TorchletError {
  override name = 'WorkerError';
  constructor(
    message: string,
    /** The stack trace as the worker reported it. */
    readonly workerStack: string,
  ) {
    super(message);
    this.stack = `${this.name}: ${message}\n--- worker stack ---\n${workerStack}`;
  }
}

interface RemoteError {
  name: string;
  message: string;
  stack: string;
}

type Message =
  | { type: 'ready'; length: number }
  | { type: 'result'; id: number; batched: boolean; value: unknown }
  | { type: 'error'; id: number | null; error: RemoteError };

/** What the main thread needs of a Node worker thread or a Web Worker. */
interface WorkerPort {
  post(msg: unknown): void;
  terminate(): void;
  setRef(ref: boolean): void;
}

interface Waiter {
  resolve(v: { batched: boolean; value: unknown }): void;
  reject(e: Error): void;
}

function moduleUrl(spec: WorkerDatasetSpec): string {
  const m = spec.module instanceof URL ? spec.module.href : spec.module;
  // A Web Worker runs from a blob: URL, against which nothing relative resolves, so resolve here.
  if (!isNode) return resolveUrl(m);
  if (m.startsWith('./') || m.startsWith('../')) {
    throw new TorchletError(
      `DataLoader: workerDataset.module '${m}' is relative; workers need an absolute path or URL, e.g. new URL('${m}', import.meta.url)`,
    );
  }
  if (m.startsWith('/') || /^[A-Za-z]:[\\/]/.test(m)) {
    return nodeModuleSync('node:url', 'DataLoader').pathToFileURL(m).href;
  }
  return m;
}

/** One worker: its message plumbing and the requests waiting on it. */
class LoaderWorker {
  private readonly port: WorkerPort;
  private readonly waiting = new Map<number, Waiter>();
  private ready: Waiter | null = null;
  private failure: Error | null = null;

  constructor(readonly id: number) {
    const onMessage = (m: Message) => this.receive(m);
    const onCrash = (e: unknown) => this.fail(this.error(errorOf(e)));
    this.port = isNode
      ? nodePort(onMessage, onCrash, (code) => this.exited(code))
      : webPort(onMessage, onCrash);
  }

  start(spec: WorkerDatasetSpec, context: WorkerContext): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.ready = { resolve: (v) => resolve(v.value as number), reject };
      const init = { type: 'init', spec: { ...spec, module: moduleUrl(spec) }, context, baseUrl: baseUrl() };
      this.port.post(init);
    });
  }

  fetch(
    id: number,
    indices: readonly number[],
    batch: boolean,
  ): Promise<{ batched: boolean; value: unknown }> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.port.post({ type: 'fetch', id, indices, batch });
    });
  }

  setRef(ref: boolean): void {
    this.port.setRef(ref);
  }

  terminate(): void {
    this.failure ??= new TorchletError('DataLoader: the worker pool was closed');
    this.port.terminate();
  }

  private receive(m: Message): void {
    if (m.type === 'ready') {
      this.ready?.resolve({ batched: false, value: m.length });
      this.ready = null;
    } else if (m.type === 'result') {
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      w?.resolve({ batched: m.batched, value: decode(m.value) });
    } else if (m.id === null) {
      this.ready?.reject(this.error(m.error, 'while creating its dataset'));
      this.ready = null;
    } else {
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      w?.reject(this.error(m.error, `while loading batch ${m.id}`));
    }
  }

  private error(e: RemoteError, when = ''): WorkerError {
    return new WorkerError(
      `DataLoader worker ${this.id}${when ? ` ${when}` : ''}: ${e.name}: ${e.message}`,
      e.stack,
    );
  }

  private exited(code: number): void {
    if (this.failure === null && code !== 0) {
      this.fail(new TorchletError(`DataLoader worker ${this.id} exited unexpectedly with code ${code}`));
    }
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.ready?.reject(e);
    this.ready = null;
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
  }
}

function errorOf(e: unknown): RemoteError {
  const err = e as Partial<RemoteError> | undefined;
  return { name: err?.name ?? 'Error', message: err?.message ?? String(e), stack: err?.stack ?? '' };
}

function nodePort(
  onMessage: (m: Message) => void,
  onCrash: (e: unknown) => void,
  onExit: (code: number) => void,
): WorkerPort {
  const { Worker } = nodeModuleSync('node:worker_threads', 'DataLoader');
  const w = new Worker(NODE_WORKER_SOURCE, { eval: true });
  w.on('message', onMessage);
  w.on('error', onCrash);
  w.on('exit', onExit);
  return {
    post: (msg) => w.postMessage(msg),
    terminate: () => void w.terminate(),
    setRef: (ref) => (ref ? w.ref() : w.unref()),
  };
}

function webPort(onMessage: (m: Message) => void, onCrash: (e: unknown) => void): WorkerPort {
  const url = URL.createObjectURL(new Blob([WEB_WORKER_SOURCE], { type: 'text/javascript' }));
  const w = new Worker(url, { type: 'module' });
  w.onmessage = (e: MessageEvent<Message>) => onMessage(e.data);
  w.onerror = (e: ErrorEvent) => onCrash(e.error ?? new Error(e.message));
  return {
    post: (msg) => w.postMessage(msg),
    terminate: () => {
      w.terminate();
      URL.revokeObjectURL(url);
    },
    setRef: () => {},
  };
}

/** A set of workers, each holding a copy of the dataset built from a {@link WorkerDatasetSpec}. */
export class WorkerPool {
  private constructor(private readonly workers: LoaderWorker[]) {}

  /** Starts `numWorkers` workers and waits until each has built its dataset. */
  static async start(
    spec: WorkerDatasetSpec,
    numWorkers: number,
    baseSeed: number,
    expectedLength: number,
  ): Promise<WorkerPool> {
    const workers = Array.from({ length: numWorkers }, (_, id) => new LoaderWorker(id));
    const pool = new WorkerPool(workers);
    try {
      const lengths = await Promise.all(
        workers.map((w) =>
          w.start(spec, { workerId: w.id, numWorkers, seed: (baseSeed + w.id) >>> 0, args: spec.args ?? [] }),
        ),
      );
      const bad = lengths.findIndex((n) => n !== expectedLength);
      if (bad >= 0) {
        throw new TorchletError(
          `DataLoader: worker ${bad} built a dataset of length ${lengths[bad]}, but the DataLoader's dataset has length ${expectedLength}`,
        );
      }
    } catch (e) {
      pool.close();
      throw e;
    }
    return pool;
  }

  /** Requests batch `id` from worker `id % numWorkers`, so batches can be reassembled in order. */
  fetch(
    id: number,
    indices: readonly number[],
    batch: boolean,
  ): Promise<{ batched: boolean; value: unknown }> {
    return this.workers[id % this.workers.length]!.fetch(id, indices, batch);
  }

  /** Lets the process exit while idle workers are kept (persistent workers between epochs). */
  setRef(ref: boolean): void {
    for (const w of this.workers) w.setRef(ref);
  }

  close(): void {
    for (const w of this.workers) w.terminate();
  }
}
