// The browser test page's code, bundled to page.js: scenarios the Node test runs with page.evaluate,
// each returning plain data (tensors as arrays, errors as name and message) for it to check.
import { Generator, type Tensor } from '@torchlet/tensor';
import { DataLoader, MNIST, readIdx, type WorkerError } from '../../index.js';

/** An error as plain data: what the tests compare. */
export interface ErrorReport {
  name: string;
  message: string;
  workerStack?: string;
}

async function errorOf(work: () => Promise<unknown>): Promise<ErrorReport | null> {
  try {
    await work();
    return null;
  } catch (e) {
    const err = e as WorkerError;
    return { name: err.name, message: err.message, workerStack: err.workerStack };
  }
}

/** Options of {@link loaderBatches}. */
export interface LoaderScenario {
  root: string;
  train?: boolean;
  batchSize: number;
  seed: number;
  numWorkers: number;
  /** Worker module URL (bundled worker-dataset.js) and export. */
  module?: string;
  export?: string;
  args?: unknown[];
  epochs?: number;
  persistentWorkers?: boolean;
}

const scenarios = {
  /** Reads IDX files by URL (raw or gzip) and returns their contents. */
  async readIdx(urls: string[]) {
    const out = [];
    for (const url of urls) {
      const { dtype, shape, data } = await readIdx(url);
      out.push({ dtype, shape, data: Array.from(data) });
    }
    return out;
  },

  /** The error reading one IDX URL raises. */
  readIdxError: (url: string) => errorOf(() => readIdx(url)),

  /** `MNIST.load({ root })` with a URL root: shapes, targets and a pixel checksum. */
  async loadMnist(root: string, train: boolean) {
    const ds = await MNIST.load({ root, train });
    return {
      length: ds.length,
      files: ds.files,
      shape: ds.data.shape,
      targets: Array.from(ds.targets.dataSync()),
      pixels: Array.from(ds.data.dataSync()),
    };
  },

  loadMnistError: (root: string | undefined) => errorOf(() => MNIST.load({ root, train: true })),

  /** Epochs of a DataLoader over MNIST loaded from `root`, in process or on Web Workers. */
  async loaderBatches(s: LoaderScenario) {
    const ds = await MNIST.load({ root: s.root, train: s.train ?? true });
    const loader = new DataLoader(ds, {
      batchSize: s.batchSize,
      shuffle: true,
      generator: new Generator(s.seed),
      numWorkers: s.numWorkers,
      persistentWorkers: s.persistentWorkers,
      workerDataset: s.module ? { module: s.module, export: s.export, args: s.args } : undefined,
    });
    const epochs = [];
    for (let e = 0; e < (s.epochs ?? 1); e++) {
      const batches = [];
      // MNIST.load() types the label as unknown (load takes no targetTransform): it is an int32 tensor.
      for await (const [x, y] of loader as AsyncIterable<[Tensor, Tensor]>) {
        batches.push({ shape: x.shape, x: Array.from(x.dataSync()), y: y.toArray() });
      }
      epochs.push(batches);
    }
    await loader.close();
    return epochs;
  },

  /** Samples of worker-dataset.js's `makeProbe` through workers (or the error the loader raises). */
  async probe(module: string, numWorkers: number, n: number, failAt?: number) {
    const loader = new DataLoader(
      { length: n, get: () => ({}) },
      {
        batchSize: 2,
        generator: new Generator(3),
        numWorkers,
        workerDataset: { module, export: 'makeProbe', args: [n, failAt] },
      },
    );
    const batches: Record<string, Tensor>[] = [];
    const error = await errorOf(async () => {
      for await (const b of loader) batches.push(b as Record<string, Tensor>);
    });
    return {
      error,
      batches: batches.map((b) => Object.fromEntries(Object.entries(b).map(([k, t]) => [k, t.toArray()]))),
    };
  },
};

/** The scenarios the page exposes as `globalThis.scenarios`. */
export type Scenarios = typeof scenarios;
(globalThis as { scenarios?: Scenarios }).scenarios = scenarios;
