import { Generator } from '@torchlet/tensor';
import { describe, expect, it } from 'vitest';
import { DataLoader, WorkerError } from '../index.js';

const fixture = new URL('../test-utils/fixtures/worker-datasets.mjs', import.meta.url);
const squares = (n: number) => ({
  length: n,
  get: (i: number) => ({ x: Float32Array.of(i, i * i), y: i, worker: -1 }),
});

async function collect<B>(loader: AsyncIterable<B>): Promise<B[]> {
  const out: B[] = [];
  for await (const b of loader) out.push(b);
  return out;
}

describe('DataLoader workers', () => {
  it('returns batches in order, built in the workers, matching the in-process loader', async () => {
    const options = { batchSize: 3, shuffle: true };
    const spec = { module: fixture, export: 'makeSquares', args: [20] };
    const loader = new DataLoader(squares(20), {
      ...options,
      generator: new Generator(4),
      numWorkers: 2,
      workerDataset: spec,
    });
    const batches = await collect(loader);
    const inProcess = [...new DataLoader(squares(20), { ...options, generator: new Generator(4) })];
    expect(batches.map((b) => b.y.toArray())).toEqual(inProcess.map((b) => b.y.toArray()));
    expect(batches[1]!.x.shape).toEqual([3, 2]);
    // Batch k comes from worker k % 2.
    expect(batches.map((b) => (b.worker.toArray() as number[])[0])).toEqual([0, 1, 0, 1, 0, 1, 0]);
  });

  it('uses a worker dataset getBatch fast path and gives each worker its own seed', async () => {
    const batched = new DataLoader(
      { length: 5, get: (i: number) => [Float32Array.of(i), i] },
      { batchSize: 2, numWorkers: 2, workerDataset: { module: fixture, export: 'makeBatched', args: [5] } },
    );
    const batches = await collect(batched);
    expect(
      batches.map((b) => (b as unknown as [{ toArray(): unknown }, { dtype: string }])[0].toArray()),
    ).toEqual([[[0], [0.5]], [[1], [1.5]], [[2]]]);
    const seeds = new DataLoader(
      { length: 4, get: () => ({}) },
      {
        batchSize: null,
        numWorkers: 2,
        generator: new Generator(1),
        workerDataset: { module: fixture, export: 'makeSeeds' },
      },
    );
    const got = (await collect(seeds)) as { seed: number; workerId: number }[];
    expect(got[1]!.seed).toBe((got[0]!.seed + 1) >>> 0);
  });

  it('surfaces an error thrown in a worker with its stack', async () => {
    const loader = new DataLoader(squares(10), {
      batchSize: 2,
      numWorkers: 2,
      workerDataset: { module: fixture, export: 'makeSquares', args: [10, { failAt: 5 }] },
    });
    const err = await collect(loader).then(
      () => null,
      (e: unknown) => e as WorkerError,
    );
    expect(err).toBeInstanceOf(WorkerError);
    expect(err!.message).toBe('DataLoader worker 0 while loading batch 2: RangeError: sample 5 is broken');
    expect(err!.workerStack).toContain('worker-datasets.mjs');
  });

  it('reports a bad worker module and refuses synchronous iteration', async () => {
    const bad = new DataLoader(squares(4), {
      numWorkers: 1,
      workerDataset: { module: fixture, export: 'notAFunction' },
    });
    await expect(collect(bad)).rejects.toThrow("has no function export 'notAFunction'");
    const wrongLength = new DataLoader(squares(4), {
      numWorkers: 1,
      workerDataset: { module: fixture, export: 'makeSquares', args: [3] },
    });
    await expect(collect(wrongLength)).rejects.toThrow(
      "worker 0 built a dataset of length 3, but the DataLoader's dataset has length 4",
    );
    expect(() => [...bad]).toThrow('with numWorkers 1 batches arrive asynchronously; iterate with for await');
    const relative = new DataLoader(squares(4), { numWorkers: 1, workerDataset: { module: './x.js' } });
    await expect(collect(relative)).rejects.toThrow("workerDataset.module './x.js' is relative");
  });

  it('keeps persistent workers across epochs until close()', async () => {
    const loader = new DataLoader(squares(4), {
      batchSize: 2,
      numWorkers: 1,
      persistentWorkers: true,
      workerDataset: { module: fixture, export: 'makeSquares', args: [4] },
    });
    expect((await collect(loader)).length).toBe(2);
    expect((await collect(loader)).map((b) => b.y.toArray())).toEqual([
      [0, 1],
      [2, 3],
    ]);
    await loader.close();
  });
});
