import { readFileSync } from 'node:fs';
import * as T from '@torchlet/tensor';
import { Generator, linspace, randn, type Tensor, tensor } from '@torchlet/tensor';
import { describe, expect, it } from 'vitest';
import { gradcheck, gradgradcheck } from '../index.js';

/**
 * Gradients of logit, sinc, scatterReduce 'prod', renorm, cdist, quantile and median against
 * PyTorch 1.13 (fixture from scripts/fixtures/special_grads.py), plus float64 gradchecks of the
 * new ops over non-contiguous inputs, broadcasting and negative dims.
 */
interface Enc {
  s: number[];
  v: (number | string)[];
}
interface Case {
  name: string;
  inputs: Enc[];
  out: Enc;
  grads: Enc[];
}
const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/special-grads.json', import.meta.url), 'utf8'),
) as { cases: Case[] };

const decode = (v: number | string) =>
  v === 'nan' ? Number.NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : (v as number);
const decodeT = (e: Enc) => tensor(e.v.map(decode), { dtype: 'float64' }).reshape(e.s);
const idx = tensor(
  [
    [0, 1, 2, 0],
    [0, 1, 1, 2],
  ],
  { dtype: 'int32' },
);

const OPS: Record<string, (...x: Tensor[]) => Tensor> = {
  logit: (x) => T.logit(x!),
  logit_eps: (x) => x!.logit(0.1),
  sinc: (x) => T.sinc(x!),
  scatter_prod: (x, s) => T.scatterReduce(x!, 0, idx, s!, 'prod'),
  scatter_prod_noself: (x, s) => T.scatterReduce(x!, 0, idx, s!, 'prod', { includeSelf: false }),
  renorm: (x) => T.renorm(x!, 2, 0, 1.5),
  cdist: (a, b) => T.cdist(a!, b!),
  quantile: (x) => T.quantile(x!, tensor([0.1, 0.5, 0.8], { dtype: 'float64' }), { dim: 1 }),
  median: (x) => T.median(x!, 1).values,
};

function close(got: Tensor, want: Enc, what: string): void {
  expect(got.shape, what).toEqual(want.s);
  const g = Array.from(got.dataSync());
  want.v.map(decode).forEach((e, i) => {
    const ok = Number.isNaN(e)
      ? Number.isNaN(g[i]!)
      : g[i] === e || Math.abs(g[i]! - e) <= 1e-10 * (1 + Math.abs(e));
    expect(ok, `${what}[${i}]: got ${g[i]}, PyTorch ${e}`).toBe(true);
  });
}

describe('gradients match PyTorch', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const xs = c.inputs.map((e) => decodeT(e).requiresGrad_());
      const y = OPS[c.name]!(...xs);
      close(y, c.out, `${c.name} value`);
      const w = linspace(0.5, 1.5, y.numel(), { dtype: 'float64' }).reshape(y.shape);
      y.mul(w).sum().backward();
      xs.forEach((x, i) => {
        close(x.grad!, c.grads[i]!, `${c.name} grad ${i}`);
      });
    });
  }
});

const gen = new Generator(11);
const f64 = { dtype: 'float64' as const, generator: gen };
/** A float64 leaf of `shape` as a transposed (non-contiguous) view. */
function transposedLeaf(shape: number[]): Tensor {
  const rev = [...shape].reverse();
  return randn(rev, f64)
    .permute(rev.map((_, i) => rev.length - 1 - i))
    .detach()
    .requiresGrad_();
}
const leaf = (shape: number[]) => randn(shape, f64).requiresGrad_();

describe('gradcheck of the new ops (float64)', () => {
  it('logit with and without eps, sinc', () => {
    const inside = T.rand([3, 4], f64).mul(0.8).add(0.1).requiresGrad_();
    expect(gradcheck((x) => T.logit(x), [inside])).toBe(true);
    expect(gradgradcheck((x) => T.logit(x), [inside])).toBe(true);
    // Away from the clamp edges 0.2 and 0.8, where the derivative jumps.
    const spread = tensor([0.05, 0.1, 0.3, 0.5, 0.7, 0.9, 0.95], { dtype: 'float64' }).requiresGrad_();
    expect(gradcheck((x) => T.logit(x, 0.2), [spread])).toBe(true);
    expect(gradcheck((x) => T.sinc(x), [transposedLeaf([3, 2])])).toBe(true);
    expect(gradgradcheck((x) => T.sinc(x), [leaf([4])])).toBe(true);
  });

  it('addmm family, inner, tensordot, kron', () => {
    const f = (i: Tensor, a: Tensor, b: Tensor) => T.addmm(i, a, b, { beta: 0.5, alpha: 2 });
    expect(gradcheck(f, [leaf([4]), leaf([3, 5]), transposedLeaf([5, 4])])).toBe(true);
    expect(
      gradcheck((i, m, v) => T.addmv(i, m, v, { beta: -1 }), [leaf([1]), transposedLeaf([4, 3]), leaf([3])]),
    ).toBe(true);
    expect(gradcheck((i, a, b) => T.addbmm(i, a, b), [leaf([3, 4]), leaf([2, 3, 5]), leaf([2, 5, 4])])).toBe(
      true,
    );
    expect(
      gradcheck((i, a, b) => T.baddbmm(i, a, b), [leaf([2, 1, 4]), leaf([2, 3, 5]), leaf([2, 5, 4])]),
    ).toBe(true);
    expect(gradcheck((a, b) => T.inner(a, b), [leaf([2, 3]), transposedLeaf([4, 3])])).toBe(true);
    const lists = [
      [-1, 0],
      [0, 2],
    ] as const;
    expect(gradcheck((a, b) => T.tensordot(a, b, lists), [leaf([2, 3, 4]), transposedLeaf([4, 5, 2])])).toBe(
      true,
    );
    expect(gradcheck((a, b) => T.kron(a, b), [transposedLeaf([2, 3]), leaf([2, 1, 2])])).toBe(true);
  });

  it('rot90, repeatInterleave, diff, median, nanmedian, mode, quantile', () => {
    const x = transposedLeaf([3, 4]);
    expect(gradcheck((t) => T.rot90(t, 1, [1, -2]), [x])).toBe(true);
    expect(gradcheck((t) => T.repeatInterleave(t, tensor([2, 0, 1, 3], { dtype: 'int32' }), -1), [x])).toBe(
      true,
    );
    expect(gradcheck((t) => T.diff(t, 2, -1, { prepend: t.narrow(1, 0, 1) }), [x])).toBe(true);
    expect(gradcheck((t) => T.median(t, -1).values, [x])).toBe(true);
    expect(gradcheck((t) => T.nanmedian(t, 0).values, [x])).toBe(true);
    const q = tensor([0.2, 0.5, 1], { dtype: 'float64' });
    expect(gradcheck((t) => T.quantile(t, q, { dim: -1, keepdim: true }), [x])).toBe(true);
    expect(gradcheck((t) => T.quantile(t, 0.3, { interpolation: 'midpoint' }), [x])).toBe(true);
    // mode jumps under any perturbation of a repeated value, so only its routing is checked.
    const ties = tensor([1, 2, 2, 1, 3], { dtype: 'float64' }).requiresGrad_();
    T.mode(ties).values.backward();
    expect(ties.grad!.toArray()).toEqual([0, 0, 0, 1, 0]);
  });

  it('cdist, renorm', () => {
    expect(gradcheck((a, b) => T.cdist(a, b), [transposedLeaf([2, 3, 4]), leaf([1, 5, 4])])).toBe(true);
    expect(gradcheck((a, b) => T.cdist(a, b, 1), [leaf([3, 2]), leaf([4, 2])])).toBe(true);
    const big = randn([3, 4], f64).mul(2).requiresGrad_();
    expect(gradcheck((t) => T.renorm(t, 2, -1, 1.5), [big])).toBe(true);
    expect(gradgradcheck((t) => T.renorm(t, 2, 0, 1.5), [big])).toBe(true);
  });
});
