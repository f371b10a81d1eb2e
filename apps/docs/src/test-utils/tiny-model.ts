import {
  buildModel,
  exportInfo,
  MNIST_MEAN as MEAN,
  type ModelName,
  MNIST_STD as STD,
  serializeExport,
} from '@torchlet/mnist/models';
import { data, manualSeed, nn, optim, tensor } from 'torchlet';

/** The first `n` images (grey levels in [0, 1]) and labels of an MNIST split. */
export function mnistImages(train: boolean, n: number): { images: Float32Array; labels: Int32Array } {
  const set = new data.MNIST({ train });
  return {
    images: (set.data.dataSync() as Float32Array).slice(0, n * 784),
    labels: (set.targets.dataSync() as Int32Array).slice(0, n),
  };
}

/**
 * Trains an MNIST model briefly (one epoch of Adam on the first `n` training images, like
 * `cli.js --limit n --epochs 1`) and returns it as the trainer exports it: safetensors bytes with
 * the trainer's `torchlet.model` metadata.
 */
export function tinyMnistExport(n = 2000, name: ModelName = 'mlp'): Uint8Array {
  manualSeed(0);
  const { images, labels } = mnistImages(true, n);
  const model = buildModel(name);
  const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
  const batch = 64;
  for (let i = 0; i < n; i += batch) {
    const m = Math.min(batch, n - i);
    const x = tensor(
      images.subarray(i * 784, (i + m) * 784).map((v) => (v - MEAN) / STD),
      { shape: [m, 1, 28, 28] },
    );
    const y = tensor(labels.subarray(i, i + m), { shape: [m], dtype: 'int32' });
    opt.zeroGrad();
    nn.F.crossEntropy(model.call(x), y).backward();
    opt.step();
  }
  return serializeExport(model, exportInfo(model, name, null));
}
