import { type Generator, IndexError, type Tensor, TorchletError } from '@torchlet/tensor';
import type { Collated } from './collate.js';
import { generatorOr, permutation } from './random.js';
import { checkSameLength, gatherRows, type Rows, rowAt, rowsOf } from './tensor-data.js';

/**
 * A map-style dataset: a length and random access by index, as `torch.utils.data.Dataset`. Any
 * object of this shape works with {@link DataLoader}; extending {@link Dataset} is optional.
 */
export interface MapDataset<T> {
  readonly length: number;
  get(index: number): T;
  /**
   * Optional fast path: the already collated batch for `indices` (what the default collate would
   * make of `indices.map(get)`), built with one gather per tensor instead of stacking samples.
   * DataLoader uses it when no custom `collateFn` is given.
   */
  getBatch?(indices: readonly number[]): Collated<T>;
}

/** Base class of map-style datasets: implement `length` and `get`. */
export abstract class Dataset<T> implements MapDataset<T> {
  abstract get length(): number;
  abstract get(index: number): T;
}

/**
 * A dataset read as a stream (`torch.utils.data.IterableDataset`): implement `[Symbol.iterator]`.
 * DataLoader groups its items into batches in order. Any `Iterable` works the same way.
 */
export abstract class IterableDataset<T> implements Iterable<T> {
  abstract [Symbol.iterator](): Iterator<T>;
}

/** A stream whose items arrive asynchronously (files, network): implement `[Symbol.asyncIterator]`; use `for await`. */
export abstract class AsyncIterableDataset<T> implements AsyncIterable<T> {
  abstract [Symbol.asyncIterator](): AsyncIterator<T>;
}

/** Whether `x` is a map-style dataset (has `length` and `get`). */
export function isMapDataset<T>(x: unknown): x is MapDataset<T> {
  return typeof x === 'object' && x !== null && typeof (x as MapDataset<T>).get === 'function';
}

/** Throws an IndexError unless `index` is an integer in [0, length). */
export function checkIndex(op: string, index: number, length: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= length) {
    throw new IndexError(`${op}: index ${index} is out of range for a dataset of length ${length}`);
  }
}

/**
 * Samples are rows of the given tensors (all with the same size in dim 0), as
 * `torch.utils.data.TensorDataset`. Batches are gathered straight from the tensors' storage.
 *
 * @example
 * const ds = new TensorDataset(x, y); // x [100,2], y [100]
 * const [xi, yi] = ds.get(0);          // [2] and []
 */
export class TensorDataset extends Dataset<Tensor[]> {
  readonly tensors: Tensor[];
  private readonly rows: Rows[];
  private readonly n: number;

  constructor(...tensors: Tensor[]) {
    super();
    if (tensors.length === 0) throw new TorchletError('TensorDataset: expected at least one tensor');
    this.n = checkSameLength('TensorDataset', tensors);
    this.tensors = tensors;
    this.rows = tensors.map((t) => rowsOf(t, 'TensorDataset'));
  }

  get length(): number {
    return this.n;
  }

  get(index: number): Tensor[] {
    checkIndex('TensorDataset.get', index, this.n);
    return this.rows.map((r) => rowAt(r, index, 'TensorDataset.get'));
  }

  getBatch(indices: readonly number[]): Tensor[] {
    return this.rows.map((r) => gatherRows(r, indices, 'TensorDataset.getBatch'));
  }
}

/** The samples of `dataset` at `indices`, in that order (`torch.utils.data.Subset`). */
export class Subset<T> extends Dataset<T> {
  /** Set only when the wrapped dataset has the batch fast path. */
  readonly getBatch?: (indices: readonly number[]) => Collated<T>;

  constructor(
    readonly dataset: MapDataset<T>,
    readonly indices: readonly number[],
  ) {
    super();
    for (const i of indices) checkIndex('Subset', i, dataset.length);
    const inner = dataset.getBatch;
    if (inner)
      this.getBatch = (idx) =>
        inner.call(
          dataset,
          idx.map((i) => this.indices[i]!),
        );
  }

  get length(): number {
    return this.indices.length;
  }

  get(index: number): T {
    checkIndex('Subset.get', index, this.indices.length);
    return this.dataset.get(this.indices[index]!);
  }
}

/** Several datasets one after the other (`torch.utils.data.ConcatDataset`). */
export class ConcatDataset<T> extends Dataset<T> {
  /** Running totals of the datasets' lengths. */
  readonly cumulativeSizes: number[];

  constructor(readonly datasets: readonly MapDataset<T>[]) {
    super();
    if (datasets.length === 0) throw new TorchletError('ConcatDataset: expected at least one dataset');
    let total = 0;
    this.cumulativeSizes = datasets.map((d) => (total += d.length));
  }

  get length(): number {
    return this.cumulativeSizes[this.cumulativeSizes.length - 1]!;
  }

  get(index: number): T {
    checkIndex('ConcatDataset.get', index, this.length);
    let lo = 0;
    let hi = this.cumulativeSizes.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (index < this.cumulativeSizes[mid]!) hi = mid;
      else lo = mid + 1;
    }
    const start = lo === 0 ? 0 : this.cumulativeSizes[lo - 1]!;
    return this.datasets[lo]!.get(index - start);
  }
}

/**
 * Splits `dataset` into non-overlapping random subsets of the given lengths, as
 * `torch.utils.data.random_split`. Lengths are counts summing to the dataset's length, or fractions
 * summing to 1 (floored, the remainder handed out one by one from the first).
 *
 * @example const [train, val] = randomSplit(ds, [0.8, 0.2], { generator: new Generator(42) });
 */
export function randomSplit<T>(
  dataset: MapDataset<T>,
  lengths: readonly number[],
  options: { generator?: Generator } = {},
): Subset<T>[] {
  const n = dataset.length;
  const sum = lengths.reduce((a, b) => a + b, 0);
  let counts = [...lengths];
  if (Math.abs(sum - 1) < 1e-9 && lengths.every((f) => f >= 0 && f <= 1) && sum !== n) {
    counts = lengths.map((f) => Math.floor(n * f));
    let rest = n - counts.reduce((a, b) => a + b, 0);
    for (let i = 0; rest > 0; i = (i + 1) % counts.length, rest--) counts[i]!++;
  }
  if (counts.some((c) => !Number.isInteger(c) || c < 0) || counts.reduce((a, b) => a + b, 0) !== n) {
    throw new TorchletError(
      `randomSplit: lengths [${lengths.join(', ')}] must be counts summing to ${n} or fractions summing to 1`,
    );
  }
  const perm = permutation(n, generatorOr(options.generator));
  let start = 0;
  return counts.map((c) => {
    const idx = Array.from(perm.subarray(start, (start += c)));
    return new Subset(dataset, idx);
  });
}
