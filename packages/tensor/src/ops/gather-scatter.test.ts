import { describe, expect, it } from 'vitest';
import {
  arange,
  argwhere,
  DTYPES,
  gather,
  indexAdd,
  indexSelect,
  maskedSelect,
  nonzero,
  oneHot,
  ones,
  scatter,
  scatterAdd,
  scatterReduce,
  tensor,
  zeros,
} from '../index.js';

const int = (v: number[] | number[][]) => tensor(v, { dtype: 'int32' });

describe('gather and scatter', () => {
  it('gather picks along a dim (torch docs example)', () => {
    const t = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(
      gather(
        t,
        1,
        int([
          [0, 0],
          [1, 0],
        ]),
      ).toArray(),
    ).toEqual([
      [1, 1],
      [4, 3],
    ]);
    expect(t.T.gather(-1, [[1], [0]]).toArray()).toEqual([[3], [2]]);
  });

  it('scatter, scatterAdd and scatterReduce for every dtype', () => {
    for (const dtype of DTYPES) {
      const x = zeros([3], { dtype });
      const src = ones([3], { dtype });
      expect(scatter(x, 0, [2, 0, 2], src).toArray()).toEqual(
        dtype === 'bool' ? [true, false, true] : [1, 0, 1],
      );
      expect(scatterAdd(x, 0, [2, 0, 2], src).toArray()).toEqual(
        dtype === 'bool' ? [true, false, true] : [1, 0, 2],
      );
    }
    const x = tensor([1, 2, 3, 4]);
    const src = tensor([5, 6, 7, 8]);
    expect(scatterReduce(x, 0, [0, 0, 2, 2], src, 'amax', { includeSelf: false }).toArray()).toEqual([
      6, 2, 8, 4,
    ]);
    expect(scatterReduce(x, 0, [0, 0, 2, 2], src, 'mean').toArray()).toEqual([4, 2, 6, 4]);
    expect(scatterReduce(x, 0, [0, 0, 2, 2], src, 'prod').toArray()).toEqual([30, 2, 168, 4]);
  });

  it('in-place forms write into the tensor', () => {
    const x = zeros([2, 3]);
    x.scatter_(1, [[2], [0]], 5);
    x.indexAdd_(0, [1], ones([1, 3]), 2);
    x.indexFill_(1, [1], -1);
    expect(x.toArray()).toEqual([
      [0, -1, 5],
      [7, -1, 2],
    ]);
    expect(x.version).toBe(3);
    x.scatterAdd_(0, [[0, 0, 0]], ones([1, 3]));
    expect(x.index(0).toArray()).toEqual([1, 0, 6]);
  });

  it('names the op, dim, index and size of an out-of-range index', () => {
    const x = zeros([2, 3]);
    expect(() => gather(x, 1, [[3]])).toThrow(
      'gather: index 3 is out of range for dim 1 with size 3 (expected 0..2)',
    );
    expect(() => indexSelect(x, 0, [-1])).toThrow(
      'indexSelect: index -1 is out of range for dim 0 with size 2',
    );
    expect(() => scatter(x, 0, [[2]], 1)).toThrow('scatter: index 2 is out of range for dim 0 with size 2');
    expect(() => gather(x, 0, [0])).toThrow('gather: index [1] must have as many dims as the input [2,3]');
    expect(() => gather(x, 0, tensor([[0.5]]))).toThrow(
      'gather: expected an int32 index tensor, got float32',
    );
    expect(() => indexAdd(x, 0, [0], ones([2, 3]))).toThrow(/source \[2,3\] must have the input's shape/);
  });
});

describe('selection', () => {
  it('indexSelect, maskedSelect, nonzero, argwhere', () => {
    const x = arange(6).reshape(2, 3);
    expect(indexSelect(x, -1, [2, 2, 0]).toArray()).toEqual([
      [2, 2, 0],
      [5, 5, 3],
    ]);
    expect(maskedSelect(x, tensor([true, false, true])).toArray()).toEqual([0, 2, 3, 5]);
    expect(nonzero(x.gt(3)).toArray()).toEqual([
      [1, 1],
      [1, 2],
    ]);
    expect(nonzero(x.gt(3), { asTuple: true }).map((t) => t.toArray())).toEqual([
      [1, 1],
      [1, 2],
    ]);
    expect(argwhere(tensor([0, 3, 0, 1])).toArray()).toEqual([[1], [3]]);
  });

  it('oneHot gives int32 like PyTorch gives int64', () => {
    const h = oneHot([0, 2, 1]);
    expect(h.dtype).toBe('int32');
    expect(h.toArray()).toEqual([
      [1, 0, 0],
      [0, 0, 1],
      [0, 1, 0],
    ]);
    expect(oneHot(int([[1]]), 4).shape).toEqual([1, 1, 4]);
    expect(() => oneHot([3], 3)).toThrow('oneHot: index 3 is out of range for dim 1 with size 3');
  });
});
