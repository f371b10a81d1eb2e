import {
  digamma,
  erf,
  exp,
  isfinite,
  reluBackward,
  SELU_ALPHA,
  SELU_SCALE,
  softplus,
  type Tensor,
  trigamma,
  where,
  xlogy,
  zerosLike,
} from '@torchlet/tensor';
import { registerGradient } from '../registry.js';
import { sumTo } from '../sum-to.js';

/** Registers a rule for a unary op: `d(x, y, g, p0, p1)` returns the input gradient. */
function unaryRule(
  name: string,
  d: (x: Tensor, y: Tensor, g: Tensor, p0: number, p1: number) => Tensor,
): void {
  registerGradient(name, ([g], { inputs: [x], outputs: [y], attrs }) => [
    d(x!, y!, g!, (attrs.p0 as number) ?? 0, (attrs.p1 as number) ?? 0),
  ]);
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

unaryRule('neg', (_x, _y, g) => g.neg());
unaryRule('abs', (x, _y, g) => g.mul(x.sign()));
unaryRule('square', (x, _y, g) => g.mul(x).mul(2));
unaryRule('exp', (_x, y, g) => g.mul(y));
unaryRule('exp2', (_x, y, g) => g.mul(y).mul(Math.LN2));
unaryRule('expm1', (_x, y, g) => g.mul(y.add(1)));
unaryRule('log', (x, _y, g) => g.div(x));
unaryRule('log2', (x, _y, g) => g.div(x.mul(Math.LN2)));
unaryRule('log10', (x, _y, g) => g.div(x.mul(Math.LN10)));
unaryRule('log1p', (x, _y, g) => g.div(x.add(1)));
unaryRule('sqrt', (_x, y, g) => g.div(y.mul(2)));
unaryRule('rsqrt', (_x, y, g) => g.mul(y.pow(3)).mul(-0.5));
unaryRule('reciprocal', (_x, y, g) => g.mul(y.square()).neg());
unaryRule('sin', (x, _y, g) => g.mul(x.cos()));
unaryRule('cos', (x, _y, g) => g.mul(x.sin()).neg());
unaryRule('tan', (_x, y, g) => g.mul(y.square().add(1)));
unaryRule('asin', (x, _y, g) => g.mul(x.square().neg().add(1).rsqrt()));
unaryRule('acos', (x, _y, g) => g.mul(x.square().neg().add(1).rsqrt()).neg());
unaryRule('atan', (x, _y, g) => g.div(x.square().add(1)));
unaryRule('sinh', (x, _y, g) => g.mul(x.cosh()));
unaryRule('cosh', (x, _y, g) => g.mul(x.sinh()));
unaryRule('tanh', (_x, y, g) => g.mul(y.square().neg().add(1)));
unaryRule('asinh', (x, _y, g) => g.mul(x.square().add(1).rsqrt()));
unaryRule('acosh', (x, _y, g) => g.mul(x.square().sub(1).rsqrt()));
unaryRule('atanh', (x, _y, g) => g.div(x.square().neg().add(1)));
unaryRule('erf', (x, _y, g) => g.mul(exp(x.square().neg()).mul(2 / Math.sqrt(Math.PI))));
unaryRule('erfc', (x, _y, g) => g.mul(exp(x.square().neg()).mul(-2 / Math.sqrt(Math.PI))));
unaryRule('erfinv', (_x, y, g) => g.mul(exp(y.square()).mul(Math.sqrt(Math.PI) / 2)));
unaryRule('lgamma', (x, _y, g) => g.mul(digamma(x)));
unaryRule('digamma', (x, _y, g) => g.mul(trigamma(x)));
unaryRule('sigmoid', (_x, y, g) => g.mul(y.mul(y.neg().add(1))));
unaryRule('logSigmoid', (x, _y, g) => g.mul(x.neg().sigmoid()));
// Subgradients at the kinks follow PyTorch: relu'(0) = 0, abs'(0) = 0. Masks select rather than
// multiply, as PyTorch's backward kernels do: an infinite gradient outside stays 0, not NaN, and
// relu passes the gradient of a NaN input (its test is `result <= 0`).
unaryRule('relu', (_x, y, g) => reluBackward(g, y));
unaryRule('leakyRelu', (x, _y, g, slope) => g.mul(where(x.gt(0), 1, slope)));
unaryRule('elu', (x, y, g, alpha, scale) => where(x.gt(0), g, g.mul(y.add(alpha).mul(scale))));
unaryRule('selu', (x, y, g) => where(x.gt(0), g.mul(SELU_SCALE), g.mul(y.add(SELU_SCALE * SELU_ALPHA))));
// hardtanh/relu6/threshold pass the gradient strictly inside, as PyTorch's backward kernels.
unaryRule('hardtanh', (x, _y, g, lo, hi) => where(x.le(lo).logicalOr(x.ge(hi)), 0, g));
unaryRule('threshold', (x, _y, g, t) => where(x.le(t), 0, g));
unaryRule('hardsigmoid', (x, _y, g) => where(x.gt(-3).logicalAnd(x.lt(3)), g.div(6), 0));
unaryRule('hardswish', (x, _y, g) => where(x.lt(-3), 0, where(x.le(3), g.mul(x.div(3).add(0.5)), g)));
unaryRule('mish', (x, _y, g) => {
  const t = softplus(x).tanh();
  return g.mul(t.add(x.mul(x.sigmoid()).mul(t.square().neg().add(1))));
});
unaryRule('gelu', (x, _y, g) => {
  const cdf = erf(x.mul(Math.SQRT1_2)).add(1).mul(0.5);
  const pdf = exp(x.square().mul(-0.5)).mul(INV_SQRT_2PI);
  return g.mul(cdf.add(x.mul(pdf)));
});
unaryRule('geluTanh', (x, _y, g) => {
  const inner = x.add(x.pow(3).mul(0.044715)).mul(SQRT_2_OVER_PI);
  const t = inner.tanh();
  const dInner = x
    .square()
    .mul(3 * 0.044715)
    .add(1)
    .mul(SQRT_2_OVER_PI);
  return g.mul(
    t
      .add(1)
      .mul(0.5)
      .add(x.mul(0.5).mul(t.square().neg().add(1)).mul(dInner)),
  );
});
unaryRule('silu', (x, _y, g) => {
  const s = x.sigmoid();
  return g.mul(s.mul(x.mul(s.neg().add(1)).add(1)));
});
unaryRule('softplus', (x, _y, g, beta, threshold) => {
  const scaled = x.mul(beta);
  return where(scaled.gt(threshold), g, g.mul(scaled.sigmoid()));
});
unaryRule('powScalar', (x, _y, g, p) => (p === 0 ? zerosLike(g) : g.mul(x.pow(p - 1).mul(p))));
// 0 ** x: PyTorch takes the gradient as 0 where x ≥ 0 (instead of 0 · −∞).
unaryRule('rpowScalar', (x, y, g, base) =>
  base === 0 ? where(x.ge(0), 0, g.mul(y).mul(-Infinity)) : g.mul(y).mul(Math.log(base)),
);
// logit as PyTorch's backward: NaN outside [0, 1] without eps (p1 = 0); 0 outside [eps, 1 − eps] with it.
unaryRule('logit', (x, _y, g, eps, clamps) => {
  const d = g.div(x.mul(x.neg().add(1)));
  if (clamps === 1) return where(x.lt(eps).logicalOr(x.gt(1 - eps)), 0, d);
  return where(x.lt(0).logicalOr(x.gt(1)), Number.NaN, d);
});
// sinc'(x) = (cos(πx) − sinc(x)) / x, and 0 at x = 0 (PyTorch's masked_fill).
unaryRule('sinc', (x, y, g) => {
  const zero = x.eq(0);
  const safe = where(zero, 1, x);
  return where(zero, 0, g.mul(safe.mul(Math.PI).cos().sub(y)).div(safe));
});
unaryRule('clampScalar', (x, _y, g, lo, hi) => where(x.ge(lo).logicalAnd(x.le(hi)), g, 0));
unaryRule('nanToNum', (x, _y, g) => g.mul(isfinite(x)));
// Piecewise-constant functions have zero gradient almost everywhere.
for (const name of ['sign', 'floor', 'ceil', 'round', 'roundDecimals', 'trunc']) {
  unaryRule(name, (_x, _y, g) => zerosLike(g));
}
unaryRule('frac', (_x, _y, g) => g);
unaryRule('identity', (_x, _y, g) => g);

/** Registers a rule for a broadcasting binary op; results are summed back to each input's shape. */
function binaryRule(
  name: string,
  d: (a: Tensor, b: Tensor, y: Tensor, g: Tensor) => [Tensor | null, Tensor | null],
): void {
  registerGradient(name, ([g], { inputs: [a, b], outputs: [y] }) => {
    const [ga, gb] = d(a!, b!, y!, g!);
    return [ga && sumTo(ga, a!.shape), gb && sumTo(gb, b!.shape)];
  });
}

binaryRule('add', (_a, _b, _y, g) => [g, g]);
binaryRule('sub', (_a, _b, _y, g) => [g, g.neg()]);
binaryRule('mul', (a, b, _y, g) => [g.mul(b), g.mul(a)]);
binaryRule('div', (a, b, _y, g) => [g.div(b), g.mul(a).div(b.square()).neg()]);
binaryRule('pow', (a, b, y, g) => [
  // d/da a^b = b·a^(b−1), taken as 0 where b = 0 (PyTorch's convention at a = 0).
  where(b.eq(0), 0, g.mul(b).mul(a.pow(b.sub(1)))),
  // d/db a^b = a^b·ln a, taken as 0 where a = 0 and b ≥ 0.
  where(a.eq(0).logicalAnd(b.ge(0)), 0, g.mul(y).mul(a.log())),
]);
binaryRule('atan2', (a, b, _y, g) => {
  const denom = a.square().add(b.square());
  return [g.mul(b).div(denom), g.mul(a).div(denom).neg()];
});
binaryRule('remainder', (a, b, _y, g) => [g, g.mul(a.div(b).floor()).neg()]);
binaryRule('fmod', (a, b, _y, g) => [g, g.mul(a.div(b).trunc()).neg()]);
binaryRule('floorDivide', (_a, _b, _y, g) => [g.mul(0), g.mul(0)]);
binaryRule('divTrunc', (_a, _b, _y, g) => [g.mul(0), g.mul(0)]);
binaryRule('xlogy', (a, b, _y, g) => [g.mul(xlogy(a.ne(0), b)), g.mul(a).div(b)]);
binaryRule('logaddexp', (a, b, _y, g) => [g.mul(a.sub(b).sigmoid()), g.mul(b.sub(a).sigmoid())]);
binaryRule('logaddexp2', (a, b, _y, g) => [
  g.mul(a.sub(b).mul(Math.LN2).sigmoid()),
  g.mul(b.sub(a).mul(Math.LN2).sigmoid()),
]);
// d/da copysign(a, b) = ±1 (0 at a = 0, as PyTorch); the sign source gets no gradient.
binaryRule('copysign', (a, _b, y, g) => [g.mul(where(a.eq(0), 0, y.div(where(a.eq(0), 1, a)))), g.mul(0)]);
binaryRule('hypot', (a, b, y, g) => [g.mul(a).div(y), g.mul(b).div(y)]);
// Linear in the gradient with a fixed mask; the mask (relu's result) gets no gradient, as in PyTorch.
binaryRule('reluBackward', (_g, result, _y, h) => [reluBackward(h, result), null]);
// Ties share the gradient equally, as PyTorch does for maximum/minimum.
function extremumRule(name: string, wins: (a: Tensor, b: Tensor) => Tensor): void {
  binaryRule(name, (a, b, _y, g) => {
    const tie = a.eq(b);
    const share = where(tie, 0.5, 1);
    const aw = wins(a, b).logicalOr(tie);
    const bw = wins(b, a).logicalOr(tie);
    return [g.mul(aw).mul(share), g.mul(bw).mul(share)];
  });
}
extremumRule('maximum', (a, b) => a.gt(b));
extremumRule('minimum', (a, b) => a.lt(b));

registerGradient('where', ([g], { inputs: [c, a, b] }) => [
  null,
  sumTo(where(c!, g!, 0), a!.shape),
  sumTo(where(c!, 0, g!), b!.shape),
]);
// y = min(max(x, lo), hi): x gets the gradient where lo ≤ x ≤ hi (none at NaN), each bound where
// it is the result; when lo > hi the result is hi, so hi gets it everywhere.
registerGradient('clamp', ([g], { inputs: [x, lo, hi] }) => {
  const hiWins = x!.maximum(lo!).gt(hi!);
  const inside = x!.ge(lo!).logicalAnd(x!.le(hi!));
  return [
    sumTo(g!.mul(inside), x!.shape),
    sumTo(g!.mul(x!.lt(lo!).logicalAnd(hiWins.logicalNot())), lo!.shape),
    sumTo(g!.mul(hiWins), hi!.shape),
  ];
});
registerGradient('addcmul', ([g], { inputs: [x, t1, t2], attrs }) => {
  const gv = g!.mul(attrs.p0 as number);
  return [sumTo(g!, x!.shape), sumTo(gv.mul(t2!), t1!.shape), sumTo(gv.mul(t1!), t2!.shape)];
});
registerGradient('addcdiv', ([g], { inputs: [x, t1, t2], attrs }) => {
  const gv = g!.mul(attrs.p0 as number).div(t2!);
  return [sumTo(g!, x!.shape), sumTo(gv, t1!.shape), sumTo(gv.mul(t1!).div(t2!).neg(), t2!.shape)];
});
registerGradient('lerp', ([g], { inputs: [a, b, w] }) => [
  sumTo(g!.mul(w!.neg().add(1)), a!.shape),
  sumTo(g!.mul(w!), b!.shape),
  sumTo(g!.mul(b!.sub(a!)), w!.shape),
]);
