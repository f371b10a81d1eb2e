import { describe, expect, it } from 'vitest';
import {
  arange,
  cat,
  chunk,
  DTYPES,
  hstack,
  meshgrid,
  ones,
  split,
  stack,
  tensor,
  vstack,
  zeros,
} from '../index.js';

describe('cat and stack', () => {
  it('joins along negative dims, promotes dtypes and skips legacy empty tensors', () => {
    const a = arange(6, undefined, 1, { dtype: 'int32' }).reshape(2, 3);
    const b = ones([2, 1], { dtype: 'float64' });
    const c = cat([a, b, tensor([])], -1);
    expect(c.dtype).toBe('float64');
    expect(c.toArray()).toEqual([
      [0, 1, 2, 1],
      [3, 4, 5, 1],
    ]);
    expect(cat([a.T, a.T], 0).toArray()).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
  });

  it('works for every dtype', () => {
    for (const dtype of DTYPES) {
      expect(cat([zeros([1], { dtype }), ones([2], { dtype })]).dtype).toBe(dtype);
      expect(stack([ones([2], { dtype }), zeros([2], { dtype })], -1).shape).toEqual([2, 2]);
    }
  });

  it('explains mismatched shapes', () => {
    expect(() => cat([zeros([2, 3]), zeros([2, 4])])).toThrow(
      'cat: tensor 1 of shape [2,4] does not match [2,3] except in dim 0',
    );
    expect(() => stack([zeros([2]), zeros([3])])).toThrow(
      'stack: expects each tensor to be equal size, but got [2] at entry 0 and [3] at entry 1',
    );
    expect(() => cat([])).toThrow('cat: expected a non-empty list of tensors');
  });

  it('hstack and vstack follow NumPy', () => {
    expect(hstack([tensor([1, 2]), tensor([3])]).toArray()).toEqual([1, 2, 3]);
    expect(vstack([tensor([1, 2]), tensor([3, 4])]).shape).toEqual([2, 2]);
  });
});

describe('split, chunk, unbind', () => {
  const x = arange(10).reshape(5, 2);

  it('returns views of the requested sizes', () => {
    const parts = split(x, 2);
    expect(parts.map((p) => p.shape[0])).toEqual([2, 2, 1]);
    expect(parts[2]!.storage).toBe(x.storage);
    expect(x.split([1, 4]).map((p) => p.shape[0])).toEqual([1, 4]);
    expect(chunk(x, 3).map((p) => p.shape[0])).toEqual([2, 2, 1]);
    expect(chunk(x, 2, -1).map((p) => p.toArray())).toEqual([
      [[0], [2], [4], [6], [8]],
      [[1], [3], [5], [7], [9]],
    ]);
    expect(x.unbind(1).map((p) => p.toArray())).toEqual([
      [0, 2, 4, 6, 8],
      [1, 3, 5, 7, 9],
    ]);
  });

  it('explains sizes that do not add up', () => {
    expect(() => split(x, [2, 2])).toThrow(
      'split: sizes [2,2] must be non-negative and sum to the size 5 of dim 0 (got 4)',
    );
    expect(() => chunk(x, 0)).toThrow(/positive integer, got 0/);
  });
});

describe('meshgrid', () => {
  it('builds ij and xy grids', () => {
    const [i, j] = meshgrid([arange(2), arange(3)]);
    expect(i!.toArray()).toEqual([
      [0, 0, 0],
      [1, 1, 1],
    ]);
    expect(j!.shape).toEqual([2, 3]);
    const [xx] = meshgrid([arange(2), arange(3)], { indexing: 'xy' });
    expect(xx!.shape).toEqual([3, 2]);
    expect(xx!.toArray()).toEqual([
      [0, 1],
      [0, 1],
      [0, 1],
    ]);
  });
});
