import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DType } from '../index.js';
import * as T from '../index.js';
import { type Tensor, tensor } from '../index.js';
import { decode, type Encoded } from './test-utils/fixture-values.js';

/**
 * isclose/allclose, logit, sinc, the addmm family, tensordot, kron, rot90, repeatInterleave, diff,
 * median, quantile, mode, aminmax, histc, bincount, bucketize, cdist, renorm and topk against
 * PyTorch 1.13; the fixture is written by scripts/fixtures/special_ops.py. Inputs marked `T` are
 * stored transposed and used as transposed views, so the ops see non-contiguous operands.
 */
interface EncTensor {
  t: DType;
  s: number[];
  v: Encoded[];
  T?: boolean;
}
interface Case {
  name: string;
  inputs: EncTensor[];
  outs: EncTensor[];
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/special-ops.json', import.meta.url), 'utf8')) as {
  cases: Case[];
};

function input(e: EncTensor): Tensor {
  const t = T.fromTypedArray(T.castArray(Float64Array.from(e.v.map(decode)), e.t), e.s, e.t);
  return e.T ? t.transpose(-1, -2) : t;
}

type Op = (...xs: Tensor[]) => Tensor | boolean | readonly Tensor[];
const qs = () => tensor([0, 0.25, 0.5, 0.9, 1], { dtype: 'float64' });

const OPS: Record<string, Op> = {
  isclose_int: (x, y) => T.isclose(x!, y!, { rtol: 0.1, atol: 1 }),
  isclose_int_exact: (x, y) => x!.isclose(y!, { rtol: 0, atol: 0 }),
  isclose_bool: (x, y) => T.isclose(x!, y!),
  logit_int: (x) => T.logit(x!),
  sinc: (x) => T.sinc(x!),
  sinc_int: (x) => x!.sinc(),
  deg2rad: (x) => T.deg2rad(x!),
  deg2rad_int: (x) => x!.deg2rad(),
  rad2deg: (x) => T.rad2deg(x!),
  float_power: (a, b) => T.floatPower(a!, b!),
  addmm: (i, a, b) => T.addmm(i!, a!, b!, { beta: 0.5, alpha: 2 }),
  addmm_beta0: (i, a, b) => i!.addmm(a!, b!, { beta: 0 }),
  addmv: (i, m, v) => T.addmv(i!, m!, v!, { beta: 2, alpha: -1 }),
  addbmm: (i, a, b) => T.addbmm(i!, a!, b!, { alpha: 0.5 }),
  baddbmm: (i, a, b) => i!.baddbmm(a!, b!, { beta: -1 }),
  inner: (a, b) => T.inner(a!, b!),
  inner_1d: (a, b) => a!.inner(b!),
  tensordot_2: (a, b) => T.tensordot(a!, b!, 2),
  tensordot_lists: (a, b) =>
    a!.tensordot(b!, [
      [-1, 0],
      [0, 2],
    ]),
  tensordot_0: (a, b) => T.tensordot(a!, b!, 0),
  kron: (a, b) => T.kron(a!, b!),
  kron_1d: (a, b) => a!.kron(b!),
  rot90_default: (x) => T.rot90(x!),
  repeat_interleave_scalar: (x) => T.repeatInterleave(x!, 2, -1),
  repeat_interleave_tensor: (x) => x!.repeatInterleave(tensor([1, 0, 3], { dtype: 'int32' }), 0),
  repeat_interleave_flat: (x) => T.repeatInterleave(x!, 2),
  diff: (x) => T.diff(x!, 2, 0),
  diff_prepend: (x, p, a) => x!.diff(1, -1, { prepend: p!, append: a! }),
  diff_bool: (x) => T.diff(x!),
  median_dim: (x) => T.median(x!, -1),
  median_dim0_keepdim: (x) => x!.median(0, true),
  median_all: (x) => T.median(x!),
  median_all_nonan: (x) => x!.median(),
  nanmedian_dim: (x) => T.nanmedian(x!, 1),
  nanmedian_all: (x) => x!.nanmedian(),
  quantile_scalar_all: (x) => T.quantile(x!, 0.3),
  quantile_nan: (x) => x!.quantile(0.5, { dim: 1 }),
  nanquantile: (x) => T.nanquantile(x!, qs().to('float32'), { dim: 1 }),
  mode: (x) => T.mode(x!, 1),
  mode_dim0: (x) => x!.mode(0, true),
  aminmax: (x) => T.aminmax(x!, { dim: -1 }),
  aminmax_all: (x) => x!.aminmax(),
  histc: (x) => T.histc(x!, 4, 0, 3),
  histc_auto: (x) => x!.histc(5),
  bincount: (x) => T.bincount(x!),
  bincount_weights: (x, w) => x!.bincount(w, 6),
  bucketize: (x, b) => T.bucketize(x!, b!),
  bucketize_right: (x, b) => T.bucketize(x!, b!, { right: true }),
  cdist: (a, b) => T.cdist(a!, b!),
  cdist_p1_batched: (a, b) => a!.cdist(b!, 1),
  cdist_inf: (a, b) => T.cdist(a!, b!, Number.POSITIVE_INFINITY),
  renorm: (x) => T.renorm(x!, 2, 0, 1.5),
  renorm_p1_dim: (x) => x!.renorm(1, -1, 2),
  topk_5: (x) => T.topk(x!, 5, -1),
  topk_7_smallest: (x) => x!.topk(7, -1, { largest: false }),
  topk_dim0: (x) => T.topk(x!, 2, 0),
};
for (const dt of ['float32', 'float64']) {
  OPS[`isclose_default_${dt}`] = (x, y) => T.isclose(x!, y!);
  OPS[`isclose_tols_${dt}`] = (x, y) => x!.isclose(y!, { rtol: 1e-3, atol: 1e-2, equalNan: true });
  OPS[`allclose_${dt}`] = (x, y) => T.allclose(x!, y!);
  OPS[`allclose_nan_${dt}`] = (x, y) => x!.narrow(1, 2, 2).allclose(y!.narrow(1, 2, 2), { equalNan: true });
  OPS[`logit_${dt}`] = (x) => T.logit(x!);
  OPS[`logit_eps_${dt}`] = (x) => x!.logit(0.1);
}
for (const k of [1, 2, 3, -1, 4]) OPS[`rot90_${k}`] = (x) => x!.rot90(k, [1, -1]);
for (const interpolation of ['linear', 'lower', 'higher', 'midpoint', 'nearest'] as const) {
  OPS[`quantile_${interpolation}`] = (x) => T.quantile(x!, qs(), { dim: -1, keepdim: true, interpolation });
}

function expectMatches(name: string, got: Tensor, want: EncTensor): void {
  expect(got.shape, `${name} shape`).toEqual(want.s);
  expect(got.dtype, `${name} dtype`).toBe(want.t);
  const g = Array.from(got.dataSync());
  const w = want.v.map(decode);
  const tol = want.t === 'float32' ? 1e-5 : want.t === 'float64' ? 1e-12 : 0;
  g.forEach((v, i) => {
    const e = w[i]!;
    const ok = Number.isNaN(e) ? Number.isNaN(v) : v === e || Math.abs(v - e) <= tol * (1 + Math.abs(e));
    expect(ok, `${name}[${i}]: got ${v}, PyTorch ${e}`).toBe(true);
  });
}

describe('special ops match PyTorch', () => {
  it('covers every fixture case', () => {
    expect(fixture.cases.filter((c) => !OPS[c.name]).map((c) => c.name)).toEqual([]);
  });
  for (const c of fixture.cases) {
    it(c.name, () => {
      const result = OPS[c.name]!(...c.inputs.map(input));
      const outs =
        typeof result === 'boolean' ? [tensor(result)] : result instanceof T.Tensor ? [result] : result;
      expect(outs.length).toBe(c.outs.length);
      outs.forEach((o, i) => {
        expectMatches(`${c.name} out ${i}`, o, c.outs[i]!);
      });
    });
  }
});

describe('multi-output ops destructure like named tuples', () => {
  it('linalg.eigh/qr/svd/slogdet, aminmax', () => {
    const A = tensor(
      [
        [2, 1],
        [1, 3],
      ],
      { dtype: 'float64' },
    );
    const [L, Q] = T.linalg.eigh(A);
    const e = T.linalg.eigh(A);
    expect(L.toArray()).toEqual(e.eigenvalues.toArray());
    expect(Q.toArray()).toEqual(e.eigenvectors.toArray());
    const [q, r] = T.linalg.qr(A);
    expect(q.matmul(r).sub(A).abs().max().item()).toBeLessThan(1e-12);
    expect(T.linalg.qr(A).R.toArray()).toEqual(r.toArray());
    const [U, S, Vh] = T.linalg.svd(A);
    expect(U.mul(S).matmul(Vh).sub(A).abs().max().item()).toBeLessThan(1e-12);
    expect(Object.values(T.linalg.svd(A))).toHaveLength(3);
    const [sign, logabsdet] = A.slogdet();
    expect(sign.item()).toBe(1);
    expect(logabsdet.item()).toBeCloseTo(Math.log(5), 12);
    expect(A.slogdet().logabsdet.item()).toBeCloseTo(Math.log(5), 12);
    const [lo, hi] = T.aminmax(A);
    expect([lo.item(), hi.item(), A.aminmax().max.item()]).toEqual([1, 3, 3]);
  });

  it('refuses negative tolerances and bad arguments with the op name', () => {
    expect(() => T.isclose(tensor([1]), tensor([1]), { rtol: -1 })).toThrow(/^isclose: rtol/);
    expect(() => T.addmm(tensor([1, 2, 3]), T.ones([2, 2]), T.ones([2, 2]))).toThrow(/^addmm:/);
    expect(() => T.tensordot(T.ones([2, 3]), T.ones([2, 3]), 1)).toThrow(/^tensordot: contracted dims/);
    expect(() => T.bincount(tensor([1, -1], { dtype: 'int32' }))).toThrow(/^bincount: .*non-negative/);
    expect(() => T.quantile(T.ones([3]), 1.5)).toThrow(/^quantile: q values/);
  });
});
