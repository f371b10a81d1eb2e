import { arange, Generator, manualSeed, type Tensor, tensor } from '@torchlet/tensor';
import { describe, expect, it } from 'vitest';
import {
  AsyncIterableDataset,
  BatchSampler,
  DataLoader,
  IterableDataset,
  SequentialSampler,
  TensorDataset,
} from './index.js';

const x = arange(10).reshape(10, 1);
const y = arange(10, undefined, 1, { dtype: 'int32' });
const ds = new TensorDataset(x, y);
const labelsOf = (batches: Tensor[][]) => batches.map((b) => b[1]!.toArray());

describe('DataLoader', () => {
  it('batches in order with a short last batch, or drops it', () => {
    const batches = [...new DataLoader(ds, { batchSize: 4 })];
    expect(labelsOf(batches)).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    expect(batches[0]![0]!.shape).toEqual([4, 1]);
    const dropped = new DataLoader(ds, { batchSize: 4, dropLast: true });
    expect(dropped.length).toBe(2);
    expect(labelsOf([...dropped])).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ]);
  });

  it('shuffles reproducibly, with a fresh order each epoch', () => {
    const loader = new DataLoader(ds, { batchSize: 10, shuffle: true, generator: new Generator(7) });
    const e1 = labelsOf([...loader])[0] as number[];
    const e2 = labelsOf([...loader])[0] as number[];
    expect([...e1].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(e2).not.toEqual(e1);
    const again = new DataLoader(ds, { batchSize: 10, shuffle: true, generator: new Generator(7) });
    expect(labelsOf([...again])[0]).toEqual(e1);
    manualSeed(1);
    const d1 = labelsOf([...new DataLoader(ds, { batchSize: 10, shuffle: true })]);
    manualSeed(1);
    expect(labelsOf([...new DataLoader(ds, { batchSize: 10, shuffle: true })])).toEqual(d1);
  });

  it('uses the generic collate path for plain datasets and a custom collateFn', () => {
    const plain = { length: 3, get: (i: number) => ({ v: tensor([i, -i]), label: i }) };
    const [b] = [...new DataLoader(plain, { batchSize: 3 })];
    expect(b!.v.shape).toEqual([3, 2]);
    expect(b!.label.dtype).toBe('int32');
    const sums = [...new DataLoader(ds, { batchSize: 5, collateFn: (s) => s.map(([, yi]) => yi!.item()) })];
    expect(sums).toEqual([
      [0, 1, 2, 3, 4],
      [5, 6, 7, 8, 9],
    ]);
  });

  it('takes a sampler or a batchSampler, and batchSize null yields samples', () => {
    const odd = {
      length: 5,
      *[Symbol.iterator]() {
        for (let i = 1; i < 10; i += 2) yield i;
      },
    };
    expect(labelsOf([...new DataLoader(ds, { batchSize: 2, sampler: odd })])).toEqual([[1, 3], [5, 7], [9]]);
    const bs = new BatchSampler(new SequentialSampler(3), 2);
    expect(labelsOf([...new DataLoader(ds, { batchSampler: bs })])).toEqual([[0, 1], [2]]);
    const singles = [...new DataLoader({ length: 2, get: (i: number) => i * 10 }, { batchSize: null })];
    expect(singles).toEqual([0, 10]);
    expect(() => new DataLoader(ds, { sampler: odd, shuffle: true })).toThrow(
      'mutually exclusive with shuffle',
    );
    expect(() => new DataLoader(ds, { batchSampler: bs, batchSize: 2 })).toThrow(
      'batchSampler option is mutually exclusive',
    );
  });

  it('iterates with for await, and batches an IterableDataset', async () => {
    const got: unknown[] = [];
    for await (const [, yb] of new DataLoader(ds, { batchSize: 6 })) got.push(yb.toArray());
    expect(got).toEqual([
      [0, 1, 2, 3, 4, 5],
      [6, 7, 8, 9],
    ]);
    class Count extends IterableDataset<number> {
      *[Symbol.iterator]() {
        for (let i = 0; i < 5; i++) yield i;
      }
    }
    expect([...new DataLoader(new Count(), { batchSize: 2 })].map((b) => b.toArray())).toEqual([
      [0, 1],
      [2, 3],
      [4],
    ]);
    class AsyncCount extends AsyncIterableDataset<number> {
      async *[Symbol.asyncIterator]() {
        for (let i = 0; i < 3; i++) yield i;
      }
    }
    const asyncBatches: unknown[] = [];
    for await (const b of new DataLoader(new AsyncCount(), { batchSize: 2, dropLast: true }))
      asyncBatches.push(b.toArray());
    expect(asyncBatches).toEqual([[0, 1]]);
    expect(() => new DataLoader(new Count(), { shuffle: true })).toThrow('an IterableDataset has no indices');
    expect(() => [...new DataLoader(new AsyncCount())]).toThrow('asynchronous only; iterate with for await');
  });

  it('validates its options', () => {
    expect(() => new DataLoader(ds, { batchSize: 0 })).toThrow(
      'batchSize must be a positive integer or null, got 0',
    );
    expect(() => new DataLoader(ds, { numWorkers: 2 })).toThrow('numWorkers 2 needs workerDataset');
    expect(() => new DataLoader(ds, { prefetchFactor: 0 })).toThrow(
      'prefetchFactor must be a positive integer, got 0',
    );
  });
});
