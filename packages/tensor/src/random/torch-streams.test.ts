// Seeded streams equal torch 1.13's (scripts/fixtures/random_fixtures.py): rand exactly; randn
// exactly below 16 elements and to float32 rounding (≤ 2 ulp) above, where torch's vectorized
// log/sincos approximations round differently from Math's.
import { describe, expect, it } from 'vitest';
import { manualSeed, normal, rand, randn, type Tensor } from '../index.js';
import fixture from './fixtures/random.json' with { type: 'json' };

const f64 = { dtype: 'float64' } as const;
const CALLS: Record<string, (() => Tensor)[]> = {
  'randn 1 then 1 then 3 (the spare sample carries over)': [
    () => randn([1]),
    () => randn([1]),
    () => randn([3]),
  ],
  'rand then randn 20 then randn 5': [() => rand([3]), () => randn([20]), () => randn([5], f64)],
  'normal mean 3 std 0.5, 7 and 24': [() => normal([7], 3, 0.5), () => normal([24], 3, 0.5)],
  'rand float64 5': [() => rand([5], f64)],
  'randn [4, 5]': [() => randn([4, 5])],
};
for (const n of [1, 2, 3, 15, 16, 17, 31, 32, 40, 100]) {
  CALLS[`randn ${n} float32`] = [() => randn([n])];
  CALLS[`randn ${n} float64`] = [() => randn([n], f64)];
}

describe('random streams match torch', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const calls = CALLS[name];
    expect(calls, 'a TS call list for every fixture case').toBeDefined();
    manualSeed(c.seed);
    calls!.forEach((call, k) => {
      const t = call();
      const got = Array.from(t.dataSync());
      const want = c.values[k]!;
      expect(got.length).toBe(want.length);
      const ulp = t.dtype === 'float64' ? 2 ** -52 : 2 ** -23;
      got.forEach((v, i) => {
        expect(Math.abs(v - want[i]!)).toBeLessThanOrEqual(2 * ulp * Math.max(1, Math.abs(want[i]!)));
      });
    });
  });
});
