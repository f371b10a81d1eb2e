import * as T from '@torchlet/tensor';
import { Generator, randn, type Tensor, tensor } from '@torchlet/tensor';
import { describe, expect, it } from 'vitest';
import { gradcheck, gradgradcheck, runBackward } from '../index.js';

/**
 * Table-driven gradcheck (float64) of every differentiable elementwise, reduction and scan op,
 * each on contiguous and on transposed (non-contiguous) inputs, over shapes that broadcast.
 */

/** How an input's values are drawn: the op's domain, away from poles and kinks. */
type Domain = (x: Tensor) => Tensor;
const real: Domain = (x) => x;
const positive: Domain = (x) => x.abs().add(0.5);
const nonzero: Domain = (x) => x.sign().mul(x.abs().add(0.5));
const unit: Domain = (x) => x.tanh().mul(0.9);
const wide: Domain = (x) => x.mul(4);

interface Case {
  name: string;
  fn: (...xs: Tensor[]) => Tensor;
  shapes: number[][];
  domains?: Domain[];
  /** Also run gradgradcheck (second derivatives). */
  gg?: boolean;
}

const gen = new Generator(1234);

/** d f(x) / dx for a scalar-valued f. */
function gradOf(x: Tensor, f: (x: Tensor) => Tensor): Tensor {
  const y = f(x);
  const [g] = runBackward({
    outputs: [y],
    gradOutputs: [T.onesLike(y)],
    inputs: [x],
    retainGraph: false,
    createGraph: false,
  });
  return g!;
}

/** A float64 leaf of `shape` drawn from `domain`; `transposed` lays it out as a `.T` view. */
function leaf(shape: number[], domain: Domain, transposed: boolean): Tensor {
  if (transposed && shape.length >= 2) {
    const base = domain(randn([...shape].reverse(), { dtype: 'float64', generator: gen }));
    return base.T.requiresGrad_();
  }
  return domain(randn(shape, { dtype: 'float64', generator: gen })).requiresGrad_();
}

const U = [[2, 3]];
const unary = (name: string, fn: (x: Tensor) => Tensor, domain: Domain = real, gg = false): Case => ({
  name,
  fn,
  shapes: U,
  domains: [domain],
  gg,
});

const ELEMENTWISE: Case[] = [
  unary('neg', (x) => x.neg()),
  unary('abs', (x) => x.abs(), nonzero),
  unary('square', (x) => x.square()),
  unary('exp', (x) => x.exp(), real, true),
  unary('exp2', (x) => x.exp2()),
  unary('expm1', (x) => x.expm1()),
  unary('log', (x) => x.log(), positive, true),
  unary('log2', (x) => x.log2(), positive),
  unary('log10', (x) => x.log10(), positive),
  unary('log1p', (x) => x.log1p(), positive),
  unary('sqrt', (x) => x.sqrt(), positive),
  unary('rsqrt', (x) => x.rsqrt(), positive),
  unary('reciprocal', (x) => x.reciprocal(), nonzero),
  unary('sin', (x) => x.sin()),
  unary('cos', (x) => x.cos()),
  unary('tan', (x) => x.tan(), unit),
  unary('asin', (x) => x.asin(), unit),
  unary('acos', (x) => x.acos(), unit),
  unary('atan', (x) => x.atan()),
  unary('sinh', (x) => x.sinh()),
  unary('cosh', (x) => x.cosh()),
  unary('tanh', (x) => x.tanh(), real, true),
  unary('asinh', (x) => x.asinh()),
  unary(
    'acosh',
    (x) => x.acosh(),
    (x) => x.abs().add(1.5),
  ),
  unary('atanh', (x) => x.atanh(), unit),
  unary('erf', (x) => x.erf()),
  unary('erfc', (x) => x.erfc()),
  unary('erfinv', (x) => x.erfinv(), unit),
  unary('lgamma', (x) => x.lgamma(), positive, true),
  unary('digamma', (x) => x.digamma(), nonzero),
  unary('sigmoid', (x) => x.sigmoid(), real, true),
  unary('logSigmoid', (x) => x.logSigmoid()),
  unary('relu', (x) => x.relu(), nonzero),
  unary('leakyRelu', (x) => x.leakyRelu(0.2), nonzero),
  unary('elu', (x) => x.elu(0.7), nonzero),
  unary('celu', (x) => x.celu(1.3), nonzero),
  unary('selu', (x) => x.selu(), nonzero),
  unary('gelu', (x) => x.gelu(), real, true),
  unary('gelu tanh', (x) => x.gelu('tanh')),
  unary('silu', (x) => x.silu()),
  unary('mish', (x) => x.mish(), real, true),
  unary('softplus', (x) => x.softplus(2, 3), real, true),
  unary('softsign', (x) => x.softsign(), nonzero),
  unary('hardtanh', (x) => x.hardtanh(-0.5, 0.8)),
  unary('relu6', (x) => x.relu6(), wide),
  unary('hardsigmoid', (x) => x.hardsigmoid(), wide),
  unary('hardswish', (x) => x.hardswish(), wide),
  unary('threshold', (x) => x.threshold(0.1, -2)),
  unary('frac', (x) => x.frac()),
  unary('round/floor/ceil/trunc/sign', (x) =>
    x.round().add(x.floor()).add(x.ceil()).add(x.trunc()).add(x.sign()),
  ),
  unary('round(decimals)', (x) => x.round(1).add(x)),
  unary('clamp scalars', (x) => x.clamp(-0.5, 0.5)),
  unary('nanToNum', (x) => x.nanToNum()),
  unary('pow 3', (x) => x.pow(3), real, true),
  unary('pow -1.5', (x) => x.pow(-1.5), positive),
  unary('pow 0.5', (x) => x.pow(0.5), positive),
  unary('rpow', (x) => T.pow(2.5, x)),
  { name: 'add alpha', fn: (a, b) => a.add(b, 2), shapes: [[3, 4], [4]] },
  {
    name: 'sub',
    fn: (a, b) => a.sub(b, 0.5),
    shapes: [
      [2, 1, 3],
      [4, 1],
    ],
  },
  { name: 'mul', fn: (a, b) => a.mul(b), shapes: [[2, 3], []], gg: true },
  {
    name: 'div',
    fn: (a, b) => a.div(b),
    shapes: [
      [3, 1],
      [1, 4],
    ],
    domains: [real, nonzero],
    gg: true,
  },
  { name: 'pow', fn: (a, b) => a.pow(b), shapes: [[2, 3], [3]], domains: [positive, real], gg: true },
  {
    name: 'atan2',
    fn: (a, b) => T.atan2(a, b),
    shapes: [
      [2, 3],
      [2, 3],
    ],
  },
  { name: 'remainder', fn: (a, b) => a.remainder(b), shapes: [[2, 3], [3]], domains: [real, nonzero] },
  { name: 'fmod', fn: (a, b) => a.fmod(b), shapes: [[2, 3], [3]], domains: [real, nonzero] },
  {
    name: 'maximum',
    fn: (a, b) => a.maximum(b),
    shapes: [
      [2, 3],
      [2, 1],
    ],
  },
  { name: 'minimum', fn: (a, b) => a.minimum(b), shapes: [[3], [2, 3]] },
  {
    name: 'hypot',
    fn: (a, b) => a.hypot(b),
    shapes: [
      [2, 3],
      [2, 3],
    ],
  },
  { name: 'copysign', fn: (a, b) => a.copysign(b), shapes: [[2, 3], [3]], domains: [nonzero, nonzero] },
  { name: 'xlogy', fn: (a, b) => a.xlogy(b), shapes: [[2, 3], [3]], domains: [real, positive] },
  { name: 'logaddexp', fn: (a, b) => a.logaddexp(b), shapes: [[2, 3], [3]], gg: true },
  {
    name: 'logaddexp2',
    fn: (a, b) => a.logaddexp2(b),
    shapes: [
      [2, 3],
      [2, 1],
    ],
  },
  { name: 'where', fn: (a, b) => T.where(a.gt(b), a, b.mul(2)), shapes: [[2, 3], [3]], gg: true },
  { name: 'lerp', fn: (a, b, w) => a.lerp(b, w), shapes: [[2, 3], [3], [2, 1]] },
  { name: 'addcmul', fn: (x, a, b) => x.addcmul(a, b, 0.5), shapes: [[2, 3], [3], [2, 1]], gg: true },
  {
    name: 'addcdiv',
    fn: (x, a, b) => x.addcdiv(a, b, -2),
    shapes: [[2, 3], [2, 3], [3]],
    domains: [real, real, nonzero],
    gg: true,
  },
  { name: 'clamp tensors', fn: (x, lo, hi) => x.clamp(lo, hi.add(1)), shapes: [[2, 3], [3], [2, 1]] },
  { name: 'clamp with min > max', fn: (x, lo, hi) => x.clamp(lo.add(5), hi), shapes: [[2, 3], [3], [2, 1]] },
  { name: 'expand then mul', fn: (a, b) => a.expand(2, 3, 4).mul(b), shapes: [[3, 1], [4]] },
];

const R = [[2, 3, 4]];
const reduction = (name: string, fn: (x: Tensor) => Tensor, domain: Domain = real, gg = false): Case => ({
  name,
  fn,
  shapes: R,
  domains: [domain],
  gg,
});

const REDUCTIONS: Case[] = [
  reduction('sum all', (x) => x.sum(), real, true),
  reduction('sum [0,2] keepdim', (x) => x.sum([0, 2], true)),
  reduction('mean -1', (x) => x.mean(-1)),
  reduction('prod 1', (x) => x.prod(1), real, true),
  reduction('prod all', (x) => x.prod()),
  reduction('var 1', (x) => x.var(1), real, true),
  reduction('var [0,2] correction 0 keepdim', (x) => x.var([0, 2], { correction: 0, keepdim: true })),
  reduction('std -1 correction 2', (x) => x.std(-1, { correction: 2 }), real, true),
  reduction('varMean 0', (x) => {
    const [v, m] = x.varMean(0);
    return v.add(m.mul(3));
  }),
  reduction('stdMean all', (x) => {
    const [s, m] = x.stdMean(undefined, { unbiased: false });
    return s.add(m);
  }),
  reduction('amax [1,2]', (x) => x.amax([1, 2])),
  reduction('amin 0 keepdim', (x) => x.amin(0, true)),
  reduction('max dim values', (x) => x.max(1).values, real, true),
  reduction('min dim keepdim', (x) => x.min(-1, true).values),
  reduction('max all', (x) => x.max()),
  reduction('logsumexp 1', (x) => x.logsumexp(1), real, true),
  reduction('logsumexp all', (x) => x.logsumexp()),
  reduction('norm fro', (x) => T.norm(x), real, true),
  reduction('norm 1 dim', (x) => T.norm(x, 1, 1), nonzero),
  reduction('norm 3 keepdim', (x) => T.norm(x, 3, [0, 2], true), real, true),
  reduction('norm inf', (x) => T.norm(x, Number.POSITIVE_INFINITY, -1)),
  reduction('norm -inf', (x) => T.norm(x, Number.NEGATIVE_INFINITY, 0)),
  reduction('norm 0.5', (x) => T.norm(x, 0.5, 1), nonzero),
  reduction('nansum', (x) => x.nansum(1)),
  reduction('nanmean', (x) => x.nanmean([0, 1])),
  reduction('softmax 1', (x) => x.softmax(1), real, true),
  reduction('softmax -1', (x) => x.softmax(-1)),
  reduction('logSoftmax 0', (x) => x.logSoftmax(0), real, true),
  reduction('softmin 2', (x) => x.softmin(2)),
  reduction('cumsum 1', (x) => x.cumsum(1), real, true),
  reduction('cumsum reverse exclusive', (x) => x.cumsum(0, { reverse: true, exclusive: true })),
  reduction('cumprod 2', (x) => x.cumprod(2), real, true),
  reduction('cumprod reverse', (x) => x.cumprod(1, { reverse: true })),
  reduction('logcumsumexp 1', (x) => x.logcumsumexp(1), real, true),
  reduction('cummax 2', (x) => x.cummax(2).values),
  reduction('cummin 0', (x) => x.cummin(0).values),
  { name: 'var of an expanded input', fn: (x) => x.expand(3, 2, 4).var([0, 2]), shapes: [[2, 1]] },
  { name: 'softmax of an expanded input', fn: (x) => x.expand(2, 3, 4).softmax(0), shapes: [[3, 4]] },
  { name: 'cumprod of a broadcast product', fn: (a, b) => a.mul(b).cumprod(-1), shapes: [[2, 1], [3]] },
];

function runCases(cases: Case[]): void {
  for (const c of cases) {
    for (const transposed of [false, true]) {
      const layout = transposed ? 'transposed' : 'contiguous';
      it(`${c.name} (${layout})`, () => {
        const inputs = c.shapes.map((s, i) => leaf(s, c.domains?.[i] ?? real, transposed));
        expect(gradcheck(c.fn, inputs)).toBe(true);
        if (c.gg && !transposed) expect(gradgradcheck(c.fn, inputs)).toBe(true);
      });
    }
  }
}

describe('gradcheck: elementwise', () => runCases(ELEMENTWISE));
describe('gradcheck: reductions, softmax and scans', () => runCases(REDUCTIONS));

describe('gradients with zeros and ties', () => {
  const f64 = { dtype: 'float64' as const, requiresGrad: true };
  it('prod with one and with two zeros', () => {
    const x = tensor(
      [
        [2, 0, 3],
        [0, 4, 0],
      ],
      f64,
    );
    x.prod(1).sum().backward();
    expect(x.grad!.toArray()).toEqual([
      [0, 6, 0],
      [0, 0, 0],
    ]);
    expect(
      gradcheck(
        (a) => a.prod(1),
        [
          tensor(
            [
              [2, 0, 3],
              [0, 4, 0],
            ],
            f64,
          ),
        ],
      ),
    ).toBe(true);
    expect(gradgradcheck((a) => a.prod(1), [tensor([[2, 0, 3, 1.5]], f64)])).toBe(true);
  });

  it('cumprod with zeros', () => {
    const x = tensor([2, 0, 3, 0, 5], f64);
    expect(gradcheck((a) => a.cumprod(0), [x])).toBe(true);
    expect(gradcheck((a) => a.cumprod(0, { reverse: true }), [tensor([2, 0, 3, 4], f64)])).toBe(true);
    expect(gradgradcheck((a) => a.cumprod(0), [tensor([2, 0, 3], f64)])).toBe(true);
  });

  it('max along a dim sends the whole gradient to the first maximum', () => {
    const x = tensor(
      [
        [1, 3, 3],
        [5, 5, 0],
      ],
      f64,
    );
    x.max(1).values.sum().backward();
    expect(x.grad!.toArray()).toEqual([
      [0, 1, 0],
      [1, 0, 0],
    ]);
  });

  it('norm 2 has gradient 0 at the origin', () => {
    const x = tensor(
      [
        [0, 0],
        [3, 4],
      ],
      f64,
    );
    T.norm(x, 2, 1).sum().backward();
    expect(x.grad!.toArray()).toEqual([
      [0, 0],
      [0.6, 0.8],
    ]);
  });

  it('logsumexp of a row of −∞ gives −∞ and a finite gradient elsewhere', () => {
    const x = tensor(
      [
        [1, 2],
        [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY],
      ],
      f64,
    );
    const y = x.logsumexp(1);
    expect(y.toArray()).toEqual([2 + Math.log1p(Math.exp(-1)), Number.NEGATIVE_INFINITY]);
  });

  it('softmax and logSoftmax gradients agree with their compositions', () => {
    const x = randn([3, 5], { dtype: 'float64', generator: gen }).requiresGrad_();
    const v = randn([3, 5], { dtype: 'float64', generator: gen });
    const fused = gradOf(x, (a) => a.softmax(1).mul(v).sum());
    const composed = gradOf(x, (a) => a.exp().div(a.exp().sum(1, true)).mul(v).sum());
    expect(fused.sub(composed).abs().max().item()).toBeLessThan(1e-12);
  });
});
