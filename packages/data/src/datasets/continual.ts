import { type Generator, type Tensor, TorchletError } from '@torchlet/tensor';
import { checkIndex, Dataset, type MapDataset, Subset } from '../dataset.js';
import { generatorOr, permutation } from '../random.js';
import { wrapArray } from '../tensor-data.js';

/** A classification dataset of images: `[image, label]` samples, batches `[images, labels]`. */
type ImageDataset<Y> = MapDataset<[Tensor, Y]>;

/** Applies one fixed pixel permutation to every image of a base dataset (one PermutedMNIST task). */
export class PermutedDataset<Y = number> extends Dataset<[Tensor, Y]> {
  readonly getBatch?: (indices: readonly number[]) => [Tensor, Tensor];

  constructor(
    readonly base: ImageDataset<Y>,
    /** `out[p] = in[permutation[p]]` over each image's flattened pixels. */
    readonly permutation: Int32Array,
  ) {
    super();
    const inner = base.getBatch;
    if (inner) {
      this.getBatch = (indices) => {
        const [images, labels] = inner.call(base, indices) as [Tensor, Tensor];
        return [this.permuteRows(images, indices.length), labels];
      };
    }
  }

  get length(): number {
    return this.base.length;
  }

  get(index: number): [Tensor, Y] {
    checkIndex('PermutedDataset.get', index, this.length);
    const [image, label] = this.base.get(index);
    return [this.permuteRows(image, 1), label];
  }

  private permuteRows(x: Tensor, rows: number): Tensor {
    const src = x.dataSync();
    const size = this.permutation.length;
    if (src.length !== rows * size) {
      throw new TorchletError(
        `PermutedDataset: images have ${src.length / rows} pixels, the permutation ${size}`,
      );
    }
    const out = new (src.constructor as new (n: number) => typeof src)(src.length);
    const perm = this.permutation;
    for (let r = 0; r < rows; r++) {
      const o = r * size;
      for (let p = 0; p < size; p++) out[o + p] = src[o + perm[p]!]!;
    }
    return wrapArray(out, x.shape, x.dtype);
  }
}

/**
 * The Permuted MNIST task stream for continual learning: task t shows the base images with a fixed
 * random pixel permutation (seeded), the labels unchanged. Permutation is lazy, so tasks cost no
 * memory beyond the base dataset.
 *
 * @example const stream = new PermutedMNIST(new MNIST(), { numTasks: 5, generator: new Generator(0) });
 */
export class PermutedMNIST<Y = number> {
  readonly tasks: PermutedDataset<Y>[];

  constructor(
    base: ImageDataset<Y>,
    options: {
      numTasks: number;
      generator?: Generator /** Keep task 0 unpermuted (default false). */;
      firstIdentity?: boolean;
    },
  ) {
    if (!Number.isInteger(options.numTasks) || options.numTasks <= 0) {
      throw new TorchletError(`PermutedMNIST: numTasks must be a positive integer, got ${options.numTasks}`);
    }
    const pixels = base.get(0)[0].numel();
    const g = generatorOr(options.generator);
    this.tasks = Array.from({ length: options.numTasks }, (_, t) => {
      const perm =
        t === 0 && options.firstIdentity
          ? Int32Array.from({ length: pixels }, (_, i) => i)
          : permutation(pixels, g);
      return new PermutedDataset(base, perm);
    });
  }

  get numTasks(): number {
    return this.tasks.length;
  }
}

/**
 * The Split MNIST task stream: task t holds the samples whose label is in `classes[t]` (by default
 * the pairs 0/1, 2/3, …, 8/9). Labels are kept (class-incremental); map them per task with
 * `taskClasses` for a task-incremental setup.
 */
export class SplitMNIST<Y = number> {
  readonly tasks: Subset<[Tensor, Y]>[];
  readonly taskClasses: number[][];

  constructor(
    base: ImageDataset<Y> & { targets: Tensor },
    options: { classes?: number[][]; classesPerTask?: number } = {},
  ) {
    const labels = base.targets.dataSync();
    const numClasses = Math.max(...labels) + 1;
    const per = options.classesPerTask ?? 2;
    this.taskClasses =
      options.classes ??
      Array.from({ length: Math.ceil(numClasses / per) }, (_, t) =>
        Array.from({ length: Math.min(per, numClasses - t * per) }, (_, k) => t * per + k),
      );
    this.tasks = this.taskClasses.map((cls) => {
      const wanted = new Set(cls);
      const indices: number[] = [];
      for (let i = 0; i < labels.length; i++) if (wanted.has(labels[i]!)) indices.push(i);
      return new Subset(base, indices);
    });
  }

  get numTasks(): number {
    return this.tasks.length;
  }
}
