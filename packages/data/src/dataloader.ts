import { type Generator, TorchletError } from '@torchlet/tensor';
import { type Collated, defaultCollate } from './collate.js';
import { isMapDataset, type MapDataset } from './dataset.js';
import { drawSeed, generatorOr } from './random.js';
import { BatchSampler, RandomSampler, SequentialSampler } from './samplers.js';
import { type WorkerDatasetSpec, WorkerPool } from './worker/pool.js';

/** Options of {@link DataLoader}, as the keyword arguments of `torch.utils.data.DataLoader`. */
export interface DataLoaderOptions<T, B> {
  /** Samples per batch (default 1); `null` yields samples one by one, uncollated. */
  batchSize?: number | null;
  /** Reshuffle the indices every epoch (default false). */
  shuffle?: boolean;
  /** Where indices come from (excludes `shuffle`). */
  sampler?: Iterable<number> & { readonly length?: number };
  /** Where whole batches of indices come from (excludes batchSize, shuffle, sampler, dropLast). */
  batchSampler?: Iterable<readonly number[]> & { readonly length?: number };
  /** Drop the last batch when it is smaller than `batchSize` (default false). */
  dropLast?: boolean;
  /** Merges a list of samples into a batch (default {@link defaultCollate}). */
  collateFn?: (samples: T[]) => B;
  /** Drives shuffling and workers' seeds; default: the default generator (see `manualSeed`). */
  generator?: Generator;
  /** Worker threads (Node) or Web Workers (browser) loading batches in parallel (default 0: none). */
  numWorkers?: number;
  /** How each worker builds the dataset; required when `numWorkers > 0`. */
  workerDataset?: WorkerDatasetSpec;
  /** Batches requested ahead per worker (default 2). */
  prefetchFactor?: number;
  /** Keep workers between epochs (call `close()` when done); default false. */
  persistentWorkers?: boolean;
}

/** A map-style dataset, or a stream (IterableDataset, AsyncIterableDataset, any iterable). */
export type AnyDataset<T> = MapDataset<T> | Iterable<T> | AsyncIterable<T>;

/**
 * Iterates a dataset in batches, as `torch.utils.data.DataLoader`: seeded shuffling with a fresh
 * order each epoch, samplers, `dropLast`, default or custom collation, and optional workers.
 * A dataset with a `getBatch` fast path (TensorDataset, MNIST) is batched by one gather per tensor.
 *
 * @example
 * const loader = new DataLoader(new TensorDataset(x, y), { batchSize: 32, shuffle: true });
 * for (const [xb, yb] of loader) { ... }            // synchronous (numWorkers 0)
 * for await (const [xb, yb] of loader) { ... }      // also with numWorkers > 0
 */
export class DataLoader<T, B = Collated<T>> implements Iterable<B>, AsyncIterable<B> {
  readonly batchSize: number | null;
  readonly dropLast: boolean;
  readonly numWorkers: number;
  /** The batch sampler in use (null for an IterableDataset or with `batchSize: null`). */
  readonly batchSampler: (Iterable<readonly number[]> & { readonly length?: number }) | null;
  /** The index sampler in use (null for an IterableDataset or with a custom batchSampler). */
  readonly sampler: (Iterable<number> & { readonly length?: number }) | null;
  private readonly options: DataLoaderOptions<T, B>;
  private pool: Promise<WorkerPool> | null = null;

  constructor(
    readonly dataset: AnyDataset<T>,
    options: DataLoaderOptions<T, B> = {},
  ) {
    this.options = options;
    this.batchSize = options.batchSize === undefined ? 1 : options.batchSize;
    this.dropLast = options.dropLast ?? false;
    this.numWorkers = options.numWorkers ?? 0;
    if (!Number.isInteger(this.numWorkers) || this.numWorkers < 0) {
      throw new TorchletError(
        `DataLoader: numWorkers must be a non-negative integer, got ${this.numWorkers}`,
      );
    }
    const prefetch = options.prefetchFactor ?? 2;
    if (!Number.isInteger(prefetch) || prefetch < 1) {
      throw new TorchletError(`DataLoader: prefetchFactor must be a positive integer, got ${prefetch}`);
    }
    if (this.batchSize !== null && (!Number.isInteger(this.batchSize) || this.batchSize <= 0)) {
      throw new TorchletError(
        `DataLoader: batchSize must be a positive integer or null, got ${this.batchSize}`,
      );
    }
    if (options.batchSampler) {
      if (options.batchSize !== undefined || options.shuffle || options.sampler || options.dropLast) {
        throw new TorchletError(
          'DataLoader: batchSampler option is mutually exclusive with batchSize, shuffle, sampler and dropLast',
        );
      }
      this.batchSize = null;
    }
    if (options.sampler && options.shuffle) {
      throw new TorchletError('DataLoader: sampler option is mutually exclusive with shuffle');
    }
    if (!isMapDataset(dataset)) {
      if (options.sampler || options.batchSampler || options.shuffle) {
        throw new TorchletError(
          'DataLoader: an IterableDataset has no indices, so shuffle, sampler and batchSampler do not apply',
        );
      }
      if (this.numWorkers > 0)
        throw new TorchletError('DataLoader: numWorkers > 0 needs a map-style dataset');
      this.sampler = null;
      this.batchSampler = null;
      return;
    }
    if (this.numWorkers > 0 && !options.workerDataset) {
      throw new TorchletError(
        `DataLoader: numWorkers ${this.numWorkers} needs workerDataset: { module, export, args }, so each worker can build the dataset (functions and class instances cannot be sent to a thread)`,
      );
    }
    this.sampler =
      options.batchSampler === undefined
        ? (options.sampler ??
          (options.shuffle
            ? new RandomSampler(dataset, { generator: options.generator })
            : new SequentialSampler(dataset)))
        : null;
    this.batchSampler =
      options.batchSampler ??
      (this.batchSize === null ? null : new BatchSampler(this.sampler!, this.batchSize, this.dropLast));
  }

  /** Number of batches per epoch (samples with `batchSize: null`). Not defined for an IterableDataset. */
  get length(): number {
    const source = this.batchSampler ?? this.sampler;
    if (!source || source.length === undefined) {
      throw new TorchletError(
        'DataLoader: length is unknown for an IterableDataset or a sampler without length',
      );
    }
    return source.length;
  }

  *[Symbol.iterator](): IterableIterator<B> {
    if (this.numWorkers > 0) {
      throw new TorchletError(
        `DataLoader: with numWorkers ${this.numWorkers} batches arrive asynchronously; iterate with for await`,
      );
    }
    const dataset = this.dataset;
    if (!isMapDataset<T>(dataset)) {
      if (!(Symbol.iterator in dataset)) {
        throw new TorchletError('DataLoader: this dataset is asynchronous only; iterate with for await');
      }
      yield* this.batchStream(dataset[Symbol.iterator]());
      return;
    }
    this.epochSeed();
    if (this.batchSampler === null) {
      for (const i of this.sampler!) yield this.unbatched(dataset.get(i));
      return;
    }
    for (const indices of this.batchSampler) yield this.fetch(dataset, indices);
  }

  async *[Symbol.asyncIterator](): AsyncIterableIterator<B> {
    const dataset = this.dataset;
    if (!isMapDataset<T>(dataset) && Symbol.asyncIterator in dataset) {
      yield* this.asyncBatchStream(dataset[Symbol.asyncIterator]());
      return;
    }
    if (this.numWorkers === 0) {
      yield* this[Symbol.iterator]();
      return;
    }
    yield* this.workerBatches(dataset as MapDataset<T>);
  }

  /** Terminates persistent workers (a no-op otherwise). */
  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    if (pool) (await pool.catch(() => null))?.close();
  }

  /** A sample yielded without batching (`batchSize: null`): the collateFn still applies, as in PyTorch. */
  private unbatched(sample: T): B {
    return this.options.collateFn ? this.options.collateFn([sample]) : (sample as unknown as B);
  }

  private fetch(dataset: MapDataset<T>, indices: readonly number[]): B {
    if (!this.options.collateFn && dataset.getBatch) return dataset.getBatch(indices) as B;
    return this.collate(indices.map((i) => dataset.get(i)));
  }

  private collate(samples: T[]): B {
    return this.options.collateFn ? this.options.collateFn(samples) : (defaultCollate(samples) as B);
  }

  /** Groups a stream's items into batches: `push` returns the batches completed (none or one). */
  private batcher(): { push(item: T): B[]; flush(): B[] } {
    let batch: T[] = [];
    return {
      push: (item) => {
        if (this.batchSize === null) return [this.unbatched(item)];
        batch.push(item);
        if (batch.length < this.batchSize) return [];
        const full = batch;
        batch = [];
        return [this.collate(full)];
      },
      flush: () => (batch.length > 0 && !this.dropLast ? [this.collate(batch)] : []),
    };
  }

  private *batchStream(items: Iterator<T>): IterableIterator<B> {
    const b = this.batcher();
    for (let r = items.next(); !r.done; r = items.next()) yield* b.push(r.value);
    yield* b.flush();
  }

  private async *asyncBatchStream(items: AsyncIterator<T>): AsyncIterableIterator<B> {
    const b = this.batcher();
    for (let r = await items.next(); !r.done; r = await items.next()) yield* b.push(r.value);
    yield* b.flush();
  }

  /**
   * Draws the epoch's base seed for workers. It is drawn with or without workers, before the
   * sampler runs (as PyTorch does), so a seeded loader shuffles the same way whatever numWorkers is.
   */
  private epochSeed(): number {
    return drawSeed(generatorOr(this.options.generator));
  }

  private acquirePool(dataset: MapDataset<T>): Promise<WorkerPool> {
    const seed = this.epochSeed();
    if (this.pool) return this.pool;
    const pool = WorkerPool.start(this.options.workerDataset!, this.numWorkers, seed, dataset.length);
    if (this.options.persistentWorkers) this.pool = pool;
    return pool;
  }

  /**
   * Keeps `numWorkers * prefetchFactor` batches in flight, batch k on worker k % numWorkers, and
   * yields them in order; the first error (with the worker's stack) ends the epoch.
   */
  private async *workerBatches(dataset: MapDataset<T>): AsyncGenerator<B> {
    const pool = await this.acquirePool(dataset);
    pool.setRef(true);
    const single = this.batchSampler === null;
    const batches: Iterator<readonly number[]> = single
      ? mapIterator(this.sampler![Symbol.iterator](), (i) => [i])
      : this.batchSampler![Symbol.iterator]();
    const useGetBatch = !single && !this.options.collateFn;
    const inFlight: Promise<{ batched: boolean; value: unknown }>[] = [];
    let next = 0;
    const submit = (): void => {
      const r = batches.next();
      if (r.done) return;
      const p = pool.fetch(next++, r.value, useGetBatch);
      p.catch(() => {}); // awaited in order below; this only silences "unhandled" for later batches
      inFlight.push(p);
    };
    try {
      const window = this.numWorkers * (this.options.prefetchFactor ?? 2);
      for (let k = 0; k < window; k++) submit();
      while (inFlight.length > 0) {
        const { batched, value } = await inFlight.shift()!;
        submit();
        if (batched) yield value as B;
        else if (single) yield this.unbatched((value as T[])[0]!);
        else yield this.collate(value as T[]);
      }
    } catch (e) {
      if (this.pool) this.pool = null; // a failed pool is not reused next epoch
      throw e;
    } finally {
      if (this.pool) pool.setRef(false);
      else pool.close();
    }
  }
}

function* mapIterator<A, R>(it: Iterator<A>, f: (a: A) => R): IterableIterator<R> {
  for (let r = it.next(); !r.done; r = it.next()) yield f(r.value);
}
