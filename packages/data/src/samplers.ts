import { Generator, TorchletError } from '@torchlet/tensor';
import { drawSeed, generatorOr, permutation } from './random.js';

/** Yields dataset indices (or, for a batch sampler, arrays of them) once per pass; `length` counts them. */
export interface Sampler<T = number> extends Iterable<T> {
  readonly length: number;
}

/** A dataset or its length: what index samplers need to know about their data. */
export type DataSource = { readonly length: number } | number;

function sizeOf(source: DataSource): number {
  return typeof source === 'number' ? source : source.length;
}

function positiveInt(op: string, name: string, v: number): number {
  if (!Number.isInteger(v) || v <= 0)
    throw new TorchletError(`${op}: ${name} must be a positive integer, got ${v}`);
  return v;
}

/**
 * The generator for one pass: the user's own (which advances, so each pass differs), else a new
 * one seeded from the default generator, as PyTorch's samplers do, so `manualSeed` fixes every epoch.
 */
function passGenerator(g: Generator | undefined): Generator {
  return g ?? new Generator(drawSeed(generatorOr(undefined)));
}

/** Indices 0..n-1 in order. */
export class SequentialSampler implements Sampler<number> {
  private readonly n: number;
  constructor(dataSource: DataSource) {
    this.n = sizeOf(dataSource);
  }
  get length(): number {
    return this.n;
  }
  *[Symbol.iterator](): Iterator<number> {
    for (let i = 0; i < this.n; i++) yield i;
  }
}

/** Options of {@link RandomSampler}. */
export interface RandomSamplerOptions {
  /** Draw with replacement (default false: a permutation). */
  replacement?: boolean;
  /** Indices per pass (default: the dataset's length). */
  numSamples?: number;
  generator?: Generator;
}

/** Indices in a random order, a fresh one each pass (`torch.utils.data.RandomSampler`). */
export class RandomSampler implements Sampler<number> {
  private readonly n: number;
  private readonly replacement: boolean;
  private readonly count: number;
  private readonly generator: Generator | undefined;

  constructor(dataSource: DataSource, options: RandomSamplerOptions = {}) {
    this.n = sizeOf(dataSource);
    this.replacement = options.replacement ?? false;
    this.count = positiveInt('RandomSampler', 'numSamples', options.numSamples ?? Math.max(this.n, 1));
    this.generator = options.generator;
  }

  get length(): number {
    return this.n === 0 ? 0 : this.count;
  }

  *[Symbol.iterator](): Iterator<number> {
    if (this.n === 0) return;
    const g = passGenerator(this.generator);
    if (this.replacement) {
      for (let k = 0; k < this.count; k++) yield g.nextBelow(this.n);
      return;
    }
    // Without replacement and numSamples > n, PyTorch chains whole permutations.
    for (let left = this.count; left > 0; left -= this.n) {
      const perm = permutation(this.n, g);
      const take = Math.min(left, this.n);
      for (let k = 0; k < take; k++) yield perm[k]!;
    }
  }
}

/** The given indices in a random order, a fresh one each pass (`SubsetRandomSampler`). */
export class SubsetRandomSampler implements Sampler<number> {
  constructor(
    readonly indices: readonly number[],
    private readonly options: { generator?: Generator } = {},
  ) {}
  get length(): number {
    return this.indices.length;
  }
  *[Symbol.iterator](): Iterator<number> {
    const perm = permutation(this.indices.length, passGenerator(this.options.generator));
    for (const k of perm) yield this.indices[k]!;
  }
}

/**
 * Indices 0..n-1 drawn with probability proportional to `weights` (`WeightedRandomSampler`),
 * e.g. to balance classes. Without replacement it uses Efraimidis–Spirakis keys, which draws the
 * same distribution as removing each pick and renormalizing.
 */
export class WeightedRandomSampler implements Sampler<number> {
  private readonly cumulative: Float64Array;
  private readonly weights: Float64Array;

  constructor(
    weights: ArrayLike<number>,
    readonly numSamples: number,
    private readonly options: { replacement?: boolean; generator?: Generator } = {},
  ) {
    positiveInt('WeightedRandomSampler', 'numSamples', numSamples);
    this.weights = Float64Array.from(weights);
    this.cumulative = new Float64Array(this.weights.length);
    let total = 0;
    let positive = 0;
    this.weights.forEach((w, i) => {
      if (!(w >= 0) || !Number.isFinite(w)) {
        throw new TorchletError(
          `WeightedRandomSampler: weights must be finite and non-negative, got ${w} at ${i}`,
        );
      }
      if (w > 0) positive++;
      this.cumulative[i] = total += w;
    });
    if (total <= 0) throw new TorchletError('WeightedRandomSampler: at least one weight must be positive');
    if (!(options.replacement ?? true) && numSamples > positive) {
      throw new TorchletError(
        `WeightedRandomSampler: cannot draw ${numSamples} samples without replacement from ${positive} positive weights`,
      );
    }
  }

  get length(): number {
    return this.numSamples;
  }

  *[Symbol.iterator](): Iterator<number> {
    const g = passGenerator(this.options.generator);
    if (this.options.replacement ?? true) {
      const c = this.cumulative;
      const total = c[c.length - 1]!;
      for (let k = 0; k < this.numSamples; k++) {
        const u = g.nextFloat53() * total;
        let lo = 0;
        let hi = c.length - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (u < c[mid]!) hi = mid;
          else lo = mid + 1;
        }
        yield lo;
      }
      return;
    }
    const keys: { i: number; key: number }[] = [];
    this.weights.forEach((w, i) => {
      if (w > 0) keys.push({ i, key: Math.log(1 - g.nextFloat53()) / w });
    });
    keys.sort((a, b) => b.key - a.key);
    for (let k = 0; k < this.numSamples; k++) yield keys[k]!.i;
  }
}

/** Groups another sampler's indices into batches of `batchSize` (`torch.utils.data.BatchSampler`). */
export class BatchSampler implements Sampler<number[]> {
  constructor(
    readonly sampler: Iterable<number> & { readonly length?: number },
    readonly batchSize: number,
    readonly dropLast = false,
  ) {
    positiveInt('BatchSampler', 'batchSize', batchSize);
  }

  get length(): number {
    const n = this.sampler.length;
    if (n === undefined) throw new TorchletError('BatchSampler: the wrapped sampler has no length');
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  *[Symbol.iterator](): Iterator<number[]> {
    let batch: number[] = [];
    for (const i of this.sampler) {
      batch.push(i);
      if (batch.length === this.batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0 && !this.dropLast) yield batch;
  }
}
