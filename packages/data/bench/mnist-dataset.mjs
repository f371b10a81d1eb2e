// The MNIST dataset as the bench builds it, in the main thread and in each DataLoader worker.
import { Generator } from '@torchlet/tensor';
import { Compose, MNIST, Normalize, RandomCrop, RandomRotation } from '../dist/index.js';

/** MNIST train, normalized; with `augment`, also a padded random crop and a ±10° rotation per sample. */
export function makeMnist({ seed = 0, args: [{ augment = false } = {}] = [] } = {}) {
  const generator = new Generator(seed);
  const normalize = new Normalize(0.1307, 0.3081);
  const transform = augment
    ? new Compose([
        new RandomCrop(28, { padding: 2, generator }),
        new RandomRotation(10, { generator }),
        normalize,
      ])
    : normalize;
  return new MNIST({ train: true, transform });
}
