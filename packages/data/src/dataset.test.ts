import { arange, Generator, tensor } from '@torchlet/tensor';
import { describe, expect, it } from 'vitest';
import { ConcatDataset, randomSplit, Subset, TensorDataset } from './index.js';

const x = arange(12).reshape(6, 2);
const y = tensor([0, 1, 0, 1, 0, 1], { dtype: 'int32' });

describe('TensorDataset', () => {
  it('returns rows of every tensor', () => {
    const ds = new TensorDataset(x, y);
    expect(ds.length).toBe(6);
    const [xi, yi] = ds.get(2);
    expect(xi!.toArray()).toEqual([4, 5]);
    expect(yi!.shape).toEqual([]);
    expect(yi!.item()).toBe(0);
  });

  it('gathers a batch in one step, also from a non-contiguous view', () => {
    const ds = new TensorDataset(x.T.contiguous().T, y);
    const [xb, yb] = ds.getBatch([5, 0]);
    expect(xb!.toArray()).toEqual([
      [10, 11],
      [0, 1],
    ]);
    expect(yb!.dtype).toBe('int32');
    expect(yb!.toArray()).toEqual([1, 0]);
  });

  it('refuses tensors of different lengths and bad indices', () => {
    expect(() => new TensorDataset(x, arange(5))).toThrow(
      'TensorDataset: all tensors must have the same size in dim 0',
    );
    expect(() => new TensorDataset(x).get(6)).toThrow('index 6 is out of range for a dataset of length 6');
    expect(() => new TensorDataset(x).getBatch([7])).toThrow('index 7 is out of range for 6 rows');
  });
});

describe('Subset, ConcatDataset, randomSplit', () => {
  it('Subset maps indices and keeps the batch fast path', () => {
    const sub = new Subset(new TensorDataset(x, y), [4, 1]);
    expect(sub.length).toBe(2);
    expect(sub.get(1)[0]!.toArray()).toEqual([2, 3]);
    expect(sub.getBatch!([1, 0])[0]!.toArray()).toEqual([
      [2, 3],
      [8, 9],
    ]);
    expect(new Subset({ length: 3, get: (i: number) => i }, [0]).getBatch).toBeUndefined();
  });

  it('ConcatDataset finds the right part', () => {
    const a = { length: 2, get: (i: number) => `a${i}` };
    const b = { length: 3, get: (i: number) => `b${i}` };
    const c = new ConcatDataset([a, b]);
    expect(c.length).toBe(5);
    expect([0, 1, 2, 3, 4].map((i) => c.get(i))).toEqual(['a0', 'a1', 'b0', 'b1', 'b2']);
    expect(c.cumulativeSizes).toEqual([2, 5]);
  });

  it('randomSplit splits by counts or fractions, disjointly and reproducibly', () => {
    const ds = { length: 10, get: (i: number) => i };
    const [a, b] = randomSplit(ds, [0.7, 0.3], { generator: new Generator(1) });
    expect([a!.length, b!.length]).toEqual([7, 3]);
    expect([...a!.indices, ...b!.indices].sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const [a2] = randomSplit(ds, [7, 3], { generator: new Generator(1) });
    expect(a2!.indices).toEqual(a!.indices);
    const parts = randomSplit({ length: 5, get: (i: number) => i }, [0.5, 0.5]);
    expect(parts.map((p) => p.length)).toEqual([3, 2]);
    expect(() => randomSplit(ds, [4, 4])).toThrow('must be counts summing to 10 or fractions summing to 1');
  });
});
