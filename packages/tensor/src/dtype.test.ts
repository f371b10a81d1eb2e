import { describe, expect, it } from 'vitest';
import { allocArray } from './dtype.js';
import { randn, tensor } from './index.js';

describe('allocArray', () => {
  it('returns zeroed, disjoint, aligned arrays of every size', () => {
    const arrays = [3, 17, 100, 640, 1024, 5000].flatMap((n) =>
      (['float32', 'float64', 'int32', 'bool'] as const).map((d) => allocArray(d, n)),
    );
    for (const a of arrays) {
      expect(a.every((v) => v === 0)).toBe(true);
      expect(a.byteOffset % 8).toBe(0);
      a.fill(1);
    }
    for (const a of arrays) expect(a.every((v) => v === 1)).toBe(true);
  });

  it('gives every op result its own memory', () => {
    const x = randn([16, 10]);
    const y = x.add(1);
    const z = x.add(2);
    z.fill_(0);
    expect(y.sub(x).sum().item()).toBeCloseTo(160, 4);
    expect(tensor([1, 2]).mul(3).toArray()).toEqual([3, 6]);
  });
});
