import { describe, expect, it } from 'vitest';
import {
  arange,
  DTYPES,
  diag,
  diagEmbed,
  ones,
  pad,
  repeat,
  roll,
  tensor,
  tile,
  tril,
  triu,
} from '../index.js';

describe('copying ops', () => {
  it('repeat and tile', () => {
    expect(repeat(tensor([1, 2]), 2, 2).toArray()).toEqual([
      [1, 2, 1, 2],
      [1, 2, 1, 2],
    ]);
    expect(tile(arange(4).reshape(2, 2), [2]).shape).toEqual([2, 4]);
    expect(() => repeat(ones([2, 2]), 2)).toThrow(
      'repeat: number of repeat dims (1) cannot be smaller than the number of tensor dims (2)',
    );
  });

  it('flip and roll copy, for every dtype and non-contiguous input', () => {
    for (const dtype of DTYPES) {
      const x = arange(6, undefined, 1, { dtype: 'int32' }).to(dtype).reshape(2, 3).T;
      const f = x.flip([0, -1]);
      expect(f.storage).not.toBe(x.storage);
      const rows = x.toArray() as unknown[][];
      expect(f.toArray()).toEqual([...rows].reverse().map((r) => [...r].reverse()));
    }
    const x = arange(6).reshape(2, 3);
    expect(x.flip(-1).toArray()).toEqual([
      [2, 1, 0],
      [5, 4, 3],
    ]);
    expect(roll(x, 1, -1).toArray()).toEqual([
      [2, 0, 1],
      [5, 3, 4],
    ]);
    expect(roll(x, -1).toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 0],
    ]);
  });

  it('pad in all modes, last dim first', () => {
    const x = arange(3).reshape(1, 3);
    expect(pad(x, [2, 1], { mode: 'reflect' }).toArray()).toEqual([[2, 1, 0, 1, 2, 1]]);
    expect(pad(x, [2, 1], { mode: 'replicate' }).toArray()).toEqual([[0, 0, 0, 1, 2, 2]]);
    expect(pad(x, [2, 1], { mode: 'circular' }).toArray()).toEqual([[1, 2, 0, 1, 2, 0]]);
    expect(pad(x, [1, -1, 1, 0], { value: 9 }).toArray()).toEqual([
      [9, 9, 9],
      [9, 0, 1],
    ]);
    expect(pad(tensor([true]), [1, 0]).toArray()).toEqual([false, true]);
    expect(() => pad(x, [3, 0], { mode: 'reflect' })).toThrow(
      'pad: reflect padding (3, 0) of dim 1 must be at most size - 1 of that dim (3)',
    );
    expect(() => pad(x, [1])).toThrow(/even length/);
  });

  it('tril, triu, diag and diagEmbed', () => {
    const m = arange(9, undefined, 1, { dtype: 'int32' }).reshape(3, 3);
    expect(tril(m, -1).toArray()).toEqual([
      [0, 0, 0],
      [3, 0, 0],
      [6, 7, 0],
    ]);
    expect(triu(m, 1).dtype).toBe('int32');
    expect(triu(ones([2, 2], { dtype: 'bool' })).toArray()).toEqual([
      [true, true],
      [false, true],
    ]);
    expect(diag(tensor([1, 2]), 1).toArray()).toEqual([
      [0, 1, 0],
      [0, 0, 2],
      [0, 0, 0],
    ]);
    expect(diag(m, -1).toArray()).toEqual([3, 7]);
    expect(diagEmbed(tensor([[1, 2]])).toArray()).toEqual([
      [
        [1, 0],
        [0, 2],
      ],
    ]);
    expect(() => tril(tensor([1]))).toThrow('tril: expected a tensor with at least 2 dims, got shape [1]');
  });
});
