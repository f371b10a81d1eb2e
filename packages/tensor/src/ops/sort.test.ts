import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { argsort, DTYPES, searchsorted, sort, tensor, topk, unique } from '../index.js';

describe('sort, argsort, topk', () => {
  it('sorts stably with NaN last ascending, first descending (as PyTorch)', () => {
    const x = tensor([3, Number.NaN, 1, 3, Number.NaN]);
    expect(Array.from(sort(x).indices.dataSync())).toEqual([2, 0, 3, 1, 4]);
    expect(Array.from(sort(x, -1, { descending: true }).indices.dataSync())).toEqual([1, 4, 0, 3, 2]);
    expect(
      argsort(
        tensor([
          [2, 1],
          [0, 3],
        ]),
        0,
      ).toArray(),
    ).toEqual([
      [1, 0],
      [0, 1],
    ]);
  });

  it('matches a stable comparator sort on long rows with ties and NaN', () => {
    const value = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constant(Number.NaN));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 200 }), fc.boolean(), (vals, descending) => {
        const key = (v: number) => (Number.isNaN(v) ? Number.POSITIVE_INFINITY : descending ? -v : v);
        const nanRank = (v: number) => (Number.isNaN(v) ? (descending ? -1 : 1) : 0);
        const want = vals
          .map((_, i) => i)
          .sort((a, b) => nanRank(vals[a]!) - nanRank(vals[b]!) || key(vals[a]!) - key(vals[b]!) || a - b);
        const got = Array.from(argsort(tensor(vals, { dtype: 'float64' }), 0, { descending }).dataSync());
        expect(got).toEqual(want);
      }),
      { numRuns: 100 },
    );
  });

  it('works for every dtype and non-contiguous input', () => {
    for (const dtype of DTYPES) {
      const x = tensor(
        [
          [1, 0],
          [0, 1],
          [1, 1],
        ],
        { dtype },
      ).T;
      const { values, indices } = sort(x, 1, true);
      expect(values.dtype).toBe(dtype);
      expect(indices.toArray()).toEqual([
        [0, 2, 1],
        [1, 2, 0],
      ]);
    }
  });

  it('topk (a partial selection for small k) equals the head of the stable sort, ties and NaN included', () => {
    const value = fc.oneof(
      fc.integer({ min: -3, max: 3 }),
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0),
    );
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 120 }),
        fc.nat(),
        fc.boolean(),
        (vals, kSeed, largest) => {
          const x = tensor(vals, { dtype: 'float64' });
          const k = 1 + (kSeed % Math.min(vals.length, 16));
          const head = sort(x, -1, { descending: largest }).indices.narrow(0, 0, k);
          const got = topk(x, k, -1, { largest });
          expect(Array.from(got.indices.dataSync())).toEqual(Array.from(head.dataSync()));
        },
      ),
      { numRuns: 200 },
    );
    // Rows along a non-last dim of a transposed view.
    const m = tensor(
      Array.from({ length: 40 }, (_, i) => [(i * 7) % 5, i % 3]),
      { dtype: 'float32' },
    ).T;
    const full = sort(m, 1, true).indices.narrow(1, 0, 3);
    expect(topk(m, 3, 1).indices.toArray()).toEqual(full.toArray());
  });

  it('topk takes the k largest or smallest along a dim', () => {
    const x = tensor([
      [1, 5, 2],
      [7, 0, 3],
    ]);
    expect(topk(x, 2).values.toArray()).toEqual([
      [5, 2],
      [7, 3],
    ]);
    expect(topk(x, 1, 0, { largest: false }).indices.toArray()).toEqual([[0, 1, 0]]);
    expect(() => topk(x, 4)).toThrow('topk: k (4) is out of range for dim -1 with size 3');
  });

  it('unique and searchsorted', () => {
    const u = unique(tensor([3, 1, 3, 2]), { returnInverse: true, returnCounts: true });
    expect(u.values.toArray()).toEqual([1, 2, 3]);
    expect(u.inverse!.toArray()).toEqual([2, 0, 2, 1]);
    expect(u.counts!.toArray()).toEqual([1, 1, 2]);
    const seq = tensor([1, 3, 5, 7, 9]);
    expect(searchsorted(seq, tensor([3, 6, 9])).toArray()).toEqual([1, 3, 4]);
    expect(searchsorted(seq, tensor([3, 6, 9]), { right: true }).toArray()).toEqual([2, 3, 5]);
  });
});
