import { describe, expect, it } from 'vitest';
import { arange, type InterpolateOptions, interpolate, randn, tensor } from '../index.js';
import { expectClose, fixtures } from './test-utils/linalg-fixtures.js';

const { x4, x3, cases } = fixtures.interpolate;

function optionsOf(c: Record<string, unknown>): InterpolateOptions {
  return {
    mode: c.mode as InterpolateOptions['mode'],
    ...(c.size !== undefined ? { size: c.size as number[] } : { scaleFactor: c.scaleFactor as number[] }),
    ...(c.alignCorners !== undefined ? { alignCorners: c.alignCorners as boolean } : {}),
  };
}

describe('interpolate', () => {
  it('matches PyTorch in float64 for every mode, size and scale factor', () => {
    for (const c of cases) {
      const x = tensor(c.input === 'x4' ? x4 : x3, { dtype: 'float64' });
      expectClose(interpolate(x, optionsOf(c)), c.out64, 1e-12);
    }
  });

  it('matches PyTorch in float32', () => {
    for (const c of cases) {
      const x = tensor(c.input === 'x4' ? x4 : x3);
      const y = interpolate(x, optionsOf(c));
      expect(y.dtype).toBe('float32');
      expectClose(y, c.out32, 1e-6);
    }
  });

  it('doubles [[1, 2]] with nearest to [[1, 1, 2, 2]]', () => {
    const x = tensor([[[1, 2]]]);
    expect(interpolate(x, { scaleFactor: 2 }).toArray()).toEqual([[[1, 1, 2, 2]]]);
    expect(interpolate(x, { size: 3, mode: 'linear', alignCorners: true }).toArray()).toEqual([
      [[1, 1.5, 2]],
    ]);
  });

  it('reads non-contiguous input and keeps int32 in nearest mode', () => {
    const x = randn([1, 3, 4, 2]).permute(0, 1, 3, 2);
    expectClose(
      interpolate(x, { size: [3, 5], mode: 'bilinear' }),
      interpolate(x.contiguous(), { size: [3, 5], mode: 'bilinear' }).toArray(),
      0,
    );
    const i = arange(4, undefined, 1, { dtype: 'int32' }).reshape(1, 1, 4);
    const y = interpolate(i, { size: 2 });
    expect(y.dtype).toBe('int32');
    expect(y.toArray()).toEqual([[[0, 2]]]);
  });

  it('rejects bad arguments with the op name', () => {
    const x = randn([1, 1, 4]);
    expect(() => interpolate(x, { size: 3, mode: 'bilinear' })).toThrow(
      /3D input, but bilinear mode needs 4D/,
    );
    expect(() => interpolate(x, { size: 3, alignCorners: true })).toThrow(/alignCorners can only be set/);
    expect(() => interpolate(x, {})).toThrow(/exactly one of size or scaleFactor/);
    expect(() => interpolate(randn([4, 4]), { size: 3 })).toThrow(/expected 3-D/);
    expect(() => interpolate(x, { size: [2, 2] })).toThrow(/size must have 1 entries/);
  });
});
