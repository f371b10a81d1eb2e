import { describe, expect, it } from 'vitest';
import { arange, DTYPES, indexPut, slice, tensor, zeros } from '../index.js';

const x = () => arange(24, undefined, 1, { dtype: 'int32' }).reshape(2, 3, 4);

describe('index: basic indices give views', () => {
  it('reads numbers, string slices, slice objects, ellipsis and new axes', () => {
    const t = x();
    expect(t.index(1, -1).toArray()).toEqual([20, 21, 22, 23]);
    expect(t.index(0, ':', '1:3').toArray()).toEqual([
      [1, 2],
      [5, 6],
      [9, 10],
    ]);
    expect(t.index('0, :, 1:3').toArray()).toEqual(t.index(0, ':', '1:3').toArray());
    expect(t.index('...', slice(null, null, 3)).shape).toEqual([2, 3, 2]);
    expect(t.index({ start: 1 }, '-1').toArray()).toEqual([[20, 21, 22, 23]]);
    expect(t.index(null, 0, 'None').shape).toEqual([1, 1, 3, 4]);
    expect(t.get('..., -1').toArray()).toEqual([
      [3, 7, 11],
      [15, 19, 23],
    ]);
    expect(t.index(1, 2, 3).ndim).toBe(0);
    expect(t.index(0).storage).toBe(t.storage);
  });

  it('clamps slice bounds like Python and allows empty results', () => {
    expect(x().index('-10:10', '5:').shape).toEqual([2, 0, 4]);
  });

  it('refuses negative steps, too many indices and out-of-range numbers', () => {
    expect(() => x().index('::-1')).toThrow(/step must be a positive integer, got -1 at dim 0.*flip/);
    expect(() => x().index(0, 0, 0, 0)).toThrow('index: too many indices for a tensor of 3 dims (got 4)');
    expect(() => x().index(':', 3)).toThrow(
      'index: index 3 is out of range for dim 1 with size 3 (expected -3..2)',
    );
    expect(() => x().index('...', '...')).toThrow(/single ellipsis/);
    expect(() => x().index('a:b')).toThrow(/cannot parse/);
  });
});

describe('index: advanced indices give copies', () => {
  it('broadcasts several index arrays and places their dims like PyTorch', () => {
    const t = x();
    expect(t.index([1, 0]).shape).toEqual([2, 3, 4]);
    expect(t.index(':', [0, 2], [1, 3]).toArray()).toEqual([
      [1, 11],
      [13, 23],
    ]);
    // Separated by a slice: the broadcast dims come first (PyTorch: x[[0,1], :, [1,2]]).
    expect(t.index([0, 1], ':', [1, 2]).toArray()).toEqual([
      [1, 5, 9],
      [14, 18, 22],
    ]);
    expect(t.index([[0], [1]], ':', [1, 2]).shape).toEqual([2, 2, 3]);
    // Numbers are selects first, as in PyTorch (NumPy would give [2, 3]).
    expect(t.index(0, ':', [1, 2]).shape).toEqual([3, 2]);
    expect(t.index(':', tensor([-1], { dtype: 'int32' })).toArray()).toEqual(t.index(':', '-1:').toArray());
  });

  it('selects with bool masks over one or several dims', () => {
    const t = x();
    expect(t.index(t.gt(20)).toArray()).toEqual([21, 22, 23]);
    expect(t.index(':', [true, false, true]).shape).toEqual([2, 2, 4]);
    expect(t.index(tensor(true)).shape).toEqual([1, 2, 3, 4]);
    expect(() => t.index(tensor([true, false]), tensor([true]))).toThrow(
      'index: mask of shape [1] does not match the indexed dims [3] starting at dim 1',
    );
  });

  it('names the dim, index and size of an out-of-range index', () => {
    expect(() => x().index(':', [0, 3])).toThrow('index: index 3 is out of range for dim 1 with size 3');
    expect(() => x().index(tensor([0.5]))).toThrow(
      'index: tensors used as indices must be int32 or bool, got float32',
    );
  });
});

describe('writing through an index', () => {
  it('set writes views in place and bumps the version', () => {
    const t = zeros([2, 3]);
    t.set([0, ':'], 1);
    t.set(['...', -1], tensor([7, 8]));
    expect(t.toArray()).toEqual([
      [1, 1, 7],
      [0, 0, 8],
    ]);
    expect(t.version).toBe(2);
  });

  it('set with advanced indices and masks, and indexPut_ accumulating duplicates', () => {
    const t = zeros([3, 3]);
    t.set(
      [
        [0, 2],
        [1, 1],
      ],
      5,
    );
    t.set(t.eq(0), -1);
    expect(t.toArray()).toEqual([
      [-1, 5, -1],
      [-1, -1, -1],
      [-1, 5, -1],
    ]);
    const u = zeros([3]);
    u.indexPut_([tensor([0, 0, 2], { dtype: 'int32' })], tensor([1, 2, 3]), true);
    expect(u.toArray()).toEqual([3, 0, 3]);
  });

  it('indexPut is out of place and works for every dtype', () => {
    for (const dtype of DTYPES) {
      const t = zeros([2, 2], { dtype });
      const out = indexPut(t, [[1], [0]], 1);
      expect(out.toArray()).toEqual(
        dtype === 'bool'
          ? [
              [false, false],
              [true, false],
            ]
          : [
              [0, 0],
              [1, 0],
            ],
      );
      expect(t.sum().item()).toBe(0);
    }
  });

  it('refuses values that do not fit', () => {
    expect(() => zeros([2, 3]).set([0], tensor([1, 2]))).toThrow(
      'indexPut_: shapes [3] and [2] cannot be broadcast together (dim -1: 3 vs 2)',
    );
    expect(() => zeros([2, 3], { dtype: 'int32' }).set([0], 1.5)).toThrow(DTypeErrorLike);
  });
});

const DTypeErrorLike = /float32 cannot be written into a int32 tensor/;
