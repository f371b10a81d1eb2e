/**
 * Scalar functions JavaScript's `Math` lacks, available by name inside elementwise expressions
 * (see `ops/expressions.ts`). Kept exact to float64 precision where PyTorch is.
 */

/**
 * Error function. For |x| < 3 the series erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (2n+1)!!,
 * whose terms are all positive (no cancellation); beyond, 1 − erfc(x).
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return x;
  const ax = Math.abs(x);
  if (ax >= 3) return Math.sign(x) * (1 - erfcTail(ax));
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-x2) * sum;
}

/** Complementary error function 1 − erf(x), accurate in the tail. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x < 2) return 1 - erf(x);
  return erfcTail(x);
}

/** erfc(x) for x ≥ 2 by its continued fraction e^(−x²)/√π · 1/(x + ½/(x + 1/(x + 3⁄2/(x + …)))). */
function erfcTail(x: number): number {
  if (x > 27) return 0;
  let f = x;
  for (let n = 120; n >= 1; n--) f = x + n / 2 / f;
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

/** Inverse error function (Giles' approximation refined by two Newton steps). */
export function erfinv(y: number): number {
  if (Number.isNaN(y) || y < -1 || y > 1) return Number.NaN;
  if (y === 1) return Number.POSITIVE_INFINITY;
  if (y === -1) return Number.NEGATIVE_INFINITY;
  let w = -Math.log((1 - y) * (1 + y));
  let x: number;
  if (w < 5) {
    w -= 2.5;
    let p = 2.81022636e-8;
    for (const c of [
      3.43273939e-7, -3.5233877e-6, -4.39150654e-6, 0.00021858087, -0.00125372503, -0.00417768164,
      0.246640727, 1.50140941,
    ])
      p = c + p * w;
    x = p * y;
  } else {
    w = Math.sqrt(w) - 3;
    let p = -0.000200214257;
    for (const c of [
      0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613, 0.00943887047, 1.00167406,
      2.83297682,
    ])
      p = c + p * w;
    x = p * y;
  }
  for (let i = 0; i < 2; i++) x -= (erf(x) - y) / ((2 / Math.sqrt(Math.PI)) * Math.exp(-x * x));
  return x;
}

/** Rounds half to even, as `torch.round` does. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** ln Γ(x) by the Lanczos approximation (g = 7, n = 9), used by `lgamma` and Poisson losses. */
export function lgamma(x: number): number {
  if (x === Number.POSITIVE_INFINITY || x === Number.NEGATIVE_INFINITY) return Number.POSITIVE_INFINITY;
  if (x <= 0 && Number.isInteger(x)) return Number.POSITIVE_INFINITY;
  if (x === 1 || x === 2) return 0;
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  x -= 1;
  let a = c[0]!;
  const t = x + g + 0.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** ψ(x), the derivative of ln Γ (gradient of `lgamma`). */
export function digamma(x: number): number {
  let result = 0;
  // PyTorch (since 1.8): ψ(±0) = ∓∞, NaN at the negative integers.
  if (x === 0) return Object.is(x, -0) ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  if (x < 0 && Math.floor(x) === x) return Number.NaN;
  if (x < 0) return digamma(1 - x) - Math.PI / Math.tan(Math.PI * x);
  // Recur up to x ≥ 12, where the asymptotic series below is accurate to ~1e-16.
  while (x < 12) {
    result -= 1 / x;
    x += 1;
  }
  const f = 1 / (x * x);
  const tail =
    f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f * (1 / 132 - (f * 691) / 32760)))));
  return result + Math.log(x) - 0.5 / x - tail;
}

/** ψ'(x), the trigamma function (gradient of `digamma`): recurrence up to x ≥ 12, then its asymptotic series. */
export function trigamma(x: number): number {
  if (x <= 0 && Math.floor(x) === x) return Number.POSITIVE_INFINITY;
  if (x < 0) {
    const s = Math.sin(Math.PI * x);
    return (Math.PI * Math.PI) / (s * s) - trigamma(1 - x);
  }
  let result = 0;
  while (x < 12) {
    result += 1 / (x * x);
    x += 1;
  }
  const f = 1 / (x * x);
  const tail = (f / x) * (1 / 6 - f * (1 / 30 - f * (1 / 42 - f * (1 / 30 - (f * 5) / 66))));
  return result + 1 / x + f / 2 + tail;
}

/** Python-style modulus: the result takes the sign of the divisor (`torch.remainder`). */
export function remainder(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

/** log(x / (1 − x)), x clamped to [eps, 1 − eps] first when `clamps` is 1, as `torch.logit`. */
export function logit(a: number, eps: number, clamps: number): number {
  const x = clamps === 1 ? (a < eps ? eps : a > 1 - eps ? 1 - eps : a) : a;
  return Math.log(x / (1 - x));
}

/** PyTorch's scalar clamp, min(max(a, lo), hi) with C++'s std::min/std::max: NaN bounds are ignored. */
export function clampScalar(a: number, lo: number, hi: number): number {
  const m = a < lo ? lo : a;
  return hi < m ? hi : m;
}

/** C's pow for floats: JavaScript's Math.pow gives NaN for 1^NaN, 1^±∞ and (−1)^±∞, where C gives 1. */
export function powf(a: number, b: number): number {
  if (a === 1 || (a === -1 && (b === Number.POSITIVE_INFINITY || b === Number.NEGATIVE_INFINITY))) return 1;
  return Math.pow(a, b);
}

/** `a ** p` for a scalar exponent, with PyTorch's special cases: p = ±0.5 use (r)sqrt, so (−∞)^0.5 is NaN. */
export function powScalar(a: number, p: number): number {
  if (p === 0.5) return Math.sqrt(a);
  if (p === -0.5) return 1 / Math.sqrt(a);
  return powf(a, p);
}

/**
 * Integer power with int32 wrap-around, by repeated squaring (Math.pow loses exactness past 2^53).
 * Negative exponents give 1/a truncated: 0, except for bases 1 and −1.
 */
export function ipow(a: number, b: number): number {
  if (b < 0) {
    if (a === 1) return 1;
    if (a === -1) return b % 2 === 0 ? 1 : -1;
    return 0;
  }
  let result = 1;
  let base = a | 0;
  for (let e = b; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) result = Math.imul(result, base);
    base = Math.imul(base, base);
  }
  return result;
}

/**
 * Floor division of floats as PyTorch computes it (via fmod, so `1 // 0.1` is 9 like Python, not
 * the 10 that Math.floor(1 / 0.1) gives).
 */
export function floorDivide(a: number, b: number): number {
  if (b === 0) return a / b;
  const mod = a % b;
  let div = (a - mod) / b;
  if (mod !== 0 && b < 0 !== mod < 0) div -= 1;
  if (div === 0) return copysign(0, a / b);
  let floordiv = Math.floor(div);
  if (div - floordiv > 0.5) floordiv += 1;
  return floordiv;
}

/** Elementwise maximum: NaN if either is NaN, else C++'s std::max (the first argument on ties). */
export function maximum(a: number, b: number): number {
  if (a !== a || b !== b) return Number.NaN;
  return a < b ? b : a;
}

/** Elementwise minimum: NaN if either is NaN, else C++'s std::min (the first argument on ties). */
export function minimum(a: number, b: number): number {
  if (a !== a || b !== b) return Number.NaN;
  return b < a ? b : a;
}

/** |a| with the sign bit of b (including −0). */
export function copysign(a: number, b: number): number {
  const negative = b < 0 || Object.is(b, -0);
  const m = Math.abs(a);
  return negative ? -m : m;
}

/** log(exp(a) + exp(b)) without overflow; equal infinities return themselves. */
export function logaddexp(a: number, b: number): number {
  if (a === b && (a === Number.POSITIVE_INFINITY || a === Number.NEGATIVE_INFINITY)) return a;
  const m = maximum(a, b);
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}

/** log2(2^a + 2^b) without overflow. */
export function logaddexp2(a: number, b: number): number {
  if (a === b && (a === Number.POSITIVE_INFINITY || a === Number.NEGATIVE_INFINITY)) return a;
  const m = maximum(a, b);
  return m + Math.log1p(Math.pow(2, -Math.abs(a - b))) / Math.LN2;
}
