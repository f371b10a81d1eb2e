// The dataset module the browser tests' DataLoader workers import, bundled to worker-dataset.js.
import { MNIST, type WorkerContext } from '../../index.js';

/** MNIST read inside the worker from `args[0]`, a URL of a directory with IDX files. */
export function makeMnist({ args }: WorkerContext) {
  return MNIST.load({ root: args[0] as string, train: args[1] as boolean });
}

/** Samples telling where they were built; `args[1]` makes that index throw. */
export function makeProbe({ workerId, seed, args }: WorkerContext) {
  const [n, failAt] = args as [number, number | undefined];
  return {
    length: n,
    get(i: number) {
      if (i === failAt) throw new RangeError(`sample ${i} is broken`);
      const inWorker =
        typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope === 'function';
      return { i, workerId, seed, inWorker };
    },
  };
}
