import { describe, expect, it } from 'vitest';
import { manualSeed, rand, randn, scalarTensor, tensor, where } from '../index.js';

/** Bits of float32 values, so −0 and NaN payloads count as differences. */
const bits = (t: { dataSync(): ArrayLike<number> }) =>
  Array.from(new Int32Array(Float32Array.from(t.dataSync()).buffer));

describe('where on dense float32 (branchless kernel)', () => {
  it('equals the expression kernel on dense, scalar and special values', () => {
    manualSeed(3);
    const special = tensor([Number.NaN, -0, Number.POSITIVE_INFINITY, -1, 0, 2.5]);
    const cond = rand([6]).gt(0.5);
    const b = special;
    const c = randn([6]);
    // A transposed [n, 1] view is not flat, so it takes the expression kernel: the reference.
    const viaExpr = (t: typeof b) => t.reshape([1, 6]).T.reshape([6]);
    for (const [x, y] of [
      [b, c],
      [b, scalarTensor(0, 'float32')],
      [scalarTensor(-0, 'float32'), c],
    ] as const) {
      const fast = where(cond, x, y);
      const slow = where(
        viaExpr(cond.to('float32')).gt(0),
        x.numel() > 1 ? viaExpr(x) : x,
        y.numel() > 1 ? viaExpr(y) : y,
      );
      expect(bits(fast)).toEqual(bits(slow));
    }
  });

  it('selects per element on a large random mask', () => {
    manualSeed(4);
    const cond = rand([1000]).gt(0.5);
    const b = randn([1000]);
    const out = where(cond, b, scalarTensor(7, 'float32')).dataSync();
    const m = cond.dataSync();
    const bv = b.dataSync();
    for (let i = 0; i < 1000; i++) expect(out[i]).toBe(m[i] ? bv[i] : 7);
  });
});
