import { Compose, MNIST, Normalize, RandomAffine, Subset, type Transform } from '@torchlet/data';
import type { Tensor } from '@torchlet/tensor';
import { MNIST_MEAN, MNIST_STD, type TrainConfig } from './config.js';

/** A split as the trainer uses it: the whole MNIST split or its first `limit` images. */
export type MnistSplit = MNIST | Subset<[Tensor, number]>;

/**
 * The train and test splits as the config asks: standardized inputs (except the tutorial's
 * from-scratch network, which reads pixels in [0, 1]), small random affine jitter with
 * `augment`, and the first `limit` images with `limit`.
 */
export function loadSplits(config: TrainConfig): { train: MnistSplit; test: MnistSplit } {
  const normalize = config.model === 'scratch' ? [] : [new Normalize([MNIST_MEAN], [MNIST_STD])];
  const augment = config.augment ? [new RandomAffine(10, { translate: [0.1, 0.1], scale: [0.9, 1.1] })] : [];
  const trainTransforms: Transform<Tensor, Tensor>[] = [...augment, ...normalize];
  const compose = (ts: Transform<Tensor, Tensor>[]) =>
    ts.length === 0 ? undefined : ts.length === 1 ? ts[0] : new Compose(ts);
  const root = config.dataDir;
  const train = new MNIST({ train: true, root, transform: compose(trainTransforms) });
  const test = new MNIST({ train: false, root, transform: compose(normalize) });
  const limit = (ds: MNIST, n: number | undefined) =>
    n === undefined || n >= ds.length
      ? ds
      : new Subset(
          ds,
          Array.from({ length: n }, (_, i) => i),
        );
  return { train: limit(train, config.limit), test: limit(test, config.limit) };
}
