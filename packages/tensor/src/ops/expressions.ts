import type { DType } from '../dtype.js';

/**
 * The elementwise ops every backend implements, each as one JavaScript expression over operands
 * `a`, `b`, `c` and scalar parameters `p0`, `p1`. The CPU backend compiles these into loops; a
 * gpu.js backend can compile the same text into shaders.
 *
 * `out` says what dtype the result takes from the (promoted) input dtype:
 * - `same`: the input dtype (`neg`, `abs`, `add`, …);
 * - `float`: floating, integer inputs become float32 (`exp`, `div`, …);
 * - `bool`: always bool (comparisons, `isnan`, …).
 * `int` optionally gives a different expression for int32/bool inputs.
 * `domain` restricts the (promoted) input dtypes as PyTorch does: `float` refuses int32 and bool
 * (`gelu`, `hypot`), `nonbool` refuses bool (`neg`, `floor`, `remainder`).
 */
export interface ExprDef {
  readonly expr: string;
  readonly out: 'same' | 'float' | 'bool';
  readonly int?: string;
  readonly domain?: 'float' | 'nonbool';
}

const same = (expr: string, int?: string, domain?: ExprDef['domain']): ExprDef => ({
  expr,
  out: 'same',
  ...(int ? { int } : {}),
  ...(domain ? { domain } : {}),
});
const float = (expr: string, domain?: ExprDef['domain']): ExprDef => ({
  expr,
  out: 'float',
  ...(domain ? { domain } : {}),
});
const bool = (expr: string): ExprDef => ({ expr, out: 'bool' });
/** Defined on floating inputs only (PyTorch has no integer kernel). */
const floatOnly = (expr: string): ExprDef => float(expr, 'float');
/** Same-dtype result, refused for bool. */
const numeric = (expr: string, int?: string): ExprDef => same(expr, int, 'nonbool');

/** SELU's constants (Klambauer et al.), as in PyTorch. */
export const SELU_ALPHA = 1.6732632423543772;
/** SELU's output scale λ. */
export const SELU_SCALE = 1.0507009873554805;

/** Unary ops over `a` (and parameters `p0`, `p1`). */
export const UNARY = {
  /** Copies (and casts, when the output dtype differs). */
  identity: same('a'),
  neg: numeric('-a'),
  abs: numeric('Math.abs(a)'),
  // sign(NaN) and sign(-0) are +0 in PyTorch.
  sign: same('a > 0 ? 1 : a < 0 ? -1 : 0'),
  square: same('a * a', 'Math.imul(a, a)'),
  exp: float('Math.exp(a)'),
  exp2: float('Math.pow(2, a)'),
  expm1: float('Math.expm1(a)'),
  log: float('Math.log(a)'),
  log2: float('Math.log2(a)'),
  log10: float('Math.log10(a)'),
  log1p: float('Math.log1p(a)'),
  sqrt: float('Math.sqrt(a)'),
  rsqrt: float('1 / Math.sqrt(a)'),
  reciprocal: float('1 / a'),
  sin: float('Math.sin(a)'),
  cos: float('Math.cos(a)'),
  tan: float('Math.tan(a)'),
  asin: float('Math.asin(a)'),
  acos: float('Math.acos(a)'),
  atan: float('Math.atan(a)'),
  sinh: float('Math.sinh(a)'),
  cosh: float('Math.cosh(a)'),
  tanh: float('Math.tanh(a)'),
  asinh: float('Math.asinh(a)'),
  acosh: float('Math.acosh(a)'),
  atanh: float('Math.atanh(a)'),
  erf: float('erf(a)'),
  erfc: float('erfc(a)'),
  erfinv: float('erfinv(a)'),
  lgamma: float('lgamma(a)'),
  digamma: float('digamma(a)'),
  trigamma: float('trigamma(a)'),
  sigmoid: float('a >= 0 ? 1 / (1 + Math.exp(-a)) : Math.exp(a) / (1 + Math.exp(a))'),
  logSigmoid: floatOnly('a >= 0 ? 0 - Math.log1p(Math.exp(-a)) : a - Math.log1p(Math.exp(a))'),
  // relu(-0) is -0 and relu(NaN) NaN, as PyTorch's clamp_min(x, 0).
  relu: numeric('a < 0 ? 0 : a'),
  floor: numeric('Math.floor(a)'),
  ceil: numeric('Math.ceil(a)'),
  round: numeric('roundHalfEven(a)'),
  /** Rounds to p0 decimals: PyTorch multiplies by 10^p0, or divides by 10^-p0 when p0 < 0. */
  roundDecimals: numeric('p0 > 0 ? roundHalfEven(a * p1) / p1 : roundHalfEven(a / p1) * p1'),
  trunc: numeric('Math.trunc(a)'),
  frac: floatOnly('a - Math.trunc(a)'),
  logicalNot: bool('a === 0'),
  isnan: bool('a !== a'),
  isinf: bool('a === Infinity || a === -Infinity'),
  isfinite: bool('Number.isFinite(a)'),
  isposinf: bool('a === Infinity'),
  isneginf: bool('a === -Infinity'),
  signbit: bool('a < 0 || Object.is(a, -0)'),
  /** `p0` replaces NaN; ±∞ map to ±p1 (`nanToNum` fixes up a different -∞ value). */
  nanToNum: same('a !== a ? p0 : a === Infinity ? p1 : a === -Infinity ? -p1 : a'),
  /** clamp to [p0, p1] as PyTorch's min(max(a, p0), p1): NaN input stays NaN, NaN bounds are ignored. */
  clampScalar: same('clampScalar(a, p0, p1)'),
  /** leaky ReLU with slope p0. */
  leakyRelu: floatOnly('a > 0 ? a : a * p0'),
  // ELU-family: `+ 0` turns expm1(−0) = −0 into +0, as PyTorch's exp(x) − 1.
  /** ELU with alpha p0 and input scale p1 (CELU uses p1 = 1/alpha). */
  elu: floatOnly('a > 0 ? a : p0 * Math.expm1(a * p1) + 0'),
  selu: floatOnly(`a > 0 ? ${SELU_SCALE} * a : ${SELU_SCALE * SELU_ALPHA} * Math.expm1(a) + 0`),
  gelu: floatOnly('0.5 * a * (1 + erf(a * Math.SQRT1_2))'),
  geluTanh: floatOnly('0.5 * a * (1 + Math.tanh(0.7978845608028654 * (a + 0.044715 * a * a * a)))'),
  silu: floatOnly('a / (1 + Math.exp(-a))'),
  /** mish: x · tanh(softplus(x)), softplus linear above 20 as PyTorch. */
  mish: floatOnly('a * Math.tanh(a > 20 ? a : Math.log1p(Math.exp(a)))'),
  /** softplus with beta p0 and threshold p1 (linear above it, as PyTorch). */
  softplus: floatOnly('a * p0 > p1 ? a : Math.log1p(Math.exp(a * p0)) / p0'),
  /** hardtanh to [p0, p1] (`relu6` is [0, 6]); NaN stays NaN. */
  hardtanh: numeric('a < p0 ? p0 : a > p1 ? p1 : a'),
  // PyTorch's formulas, so NaN and −0 come out the same (hardswish(−∞) is NaN).
  hardsigmoid: floatOnly('Math.min(Math.max(a + 3, 0), 6) / 6'),
  hardswish: floatOnly('(a * Math.min(Math.max(a + 3, 0), 6)) / 6'),
  /** the value p1 where x ≤ p0, else x (NaN stays NaN). */
  threshold: numeric('a <= p0 ? p1 : a'),
  /** `a ** p0` with a scalar exponent. */
  powScalar: same('powScalar(a, p0)', 'ipow(a, p0)'),
  /** `p0 ** a` with a scalar base. */
  rpowScalar: same('powf(p0, a)', 'ipow(p0, a)'),
} satisfies Record<string, ExprDef>;

/**
 * Unary ops only the CPU backend compiles so far. Device backends register {@link UNARY}
 * wholesale, so these stay apart until a backend opts in; elsewhere they run through the CPU
 * fallback.
 */
export const CPU_UNARY = {
  /** log(a / (1 − a)), `a` first clamped to [p0, 1 − p0] when p1 is 1 (PyTorch's `eps`). */
  logit: float('logit(a, p0, p1)'),
  /** sin(πa) / (πa), 1 at 0. */
  sinc: float('a === 0 ? 1 : Math.sin(Math.PI * a) / (Math.PI * a)'),
} satisfies Record<string, ExprDef>;

/** Binary ops over `a`, `b`. */
export const BINARY = {
  add: same('a + b'),
  sub: same('a - b'),
  mul: same('a * b', 'Math.imul(a, b)'),
  div: float('a / b'),
  divTrunc: numeric('Math.trunc(a / b)'),
  pow: numeric('powf(a, b)', 'ipow(a, b)'),
  atan2: float('Math.atan2(a, b)'),
  remainder: numeric('remainder(a, b)'),
  fmod: numeric('a % b'),
  floorDivide: numeric('floorDivide(a, b)', 'Math.floor(a / b)'),
  maximum: same('maximum(a, b)'),
  minimum: same('minimum(a, b)'),
  hypot: floatOnly('Math.hypot(a, b)'),
  copysign: float('copysign(a, b)'),
  xlogy: float('b !== b ? b : a === 0 ? 0 : a * Math.log(b)'),
  logaddexp: floatOnly('logaddexp(a, b)'),
  logaddexp2: floatOnly('logaddexp2(a, b)'),
  heaviside: same('a === 0 ? b : a > 0 ? 1 : 0'),
  /** relu's gradient `a` given relu's result `b`: 0 where b ≤ 0 (a NaN result passes), as PyTorch's threshold_backward. */
  reluBackward: float('b <= 0 ? 0 : a', 'float'),
  eq: bool('a === b'),
  ne: bool('a !== b'),
  lt: bool('a < b'),
  le: bool('a <= b'),
  gt: bool('a > b'),
  ge: bool('a >= b'),
  logicalAnd: bool('a !== 0 && b !== 0'),
  logicalOr: bool('a !== 0 || b !== 0'),
  logicalXor: bool('(a !== 0) !== (b !== 0)'),
} satisfies Record<string, ExprDef>;

/** Ternary ops over `a`, `b`, `c` (and parameter `p0`). */
export const TERNARY = {
  /** where(cond, x, y) */
  where: same('a ? b : c'),
  /** clamp with tensor bounds: min(max(a, b), c); unlike scalar bounds, NaN bounds propagate (PyTorch 1.13). */
  clamp: same('minimum(maximum(a, b), c)'),
  /** lerp(start, end, weight), PyTorch's formula (exact at both ends). */
  lerp: float('c < 0.5 ? a + c * (b - a) : b - (b - a) * (1 - c)'),
  /** a + p0 · b · c */
  addcmul: same('a + p0 * b * c', 'a + Math.imul(Math.imul(p0, b), c)'),
  /** a + p0 · b / c */
  addcdiv: float('a + (p0 * b) / c', 'float'),
} satisfies Record<string, ExprDef>;

/** Name of a unary expression op (a key of {@link UNARY}), also its kernel and gradient-rule name. */
export type UnaryOp = keyof typeof UNARY;
/** Name of a CPU-only unary expression op (a key of {@link CPU_UNARY}). */
export type CpuUnaryOp = keyof typeof CPU_UNARY;
/** Name of a binary expression op (a key of {@link BINARY}). */
export type BinaryOp = keyof typeof BINARY;
/** Name of a ternary expression op (a key of {@link TERNARY}). */
export type TernaryOp = keyof typeof TERNARY;

/** The result dtype of an expression op given its promoted input dtype. */
export function exprOutDtype(def: ExprDef, input: DType): DType {
  if (def.out === 'bool') return 'bool';
  if (def.out === 'float') return input === 'float64' ? 'float64' : 'float32';
  return input;
}

/** The expression to run for the given input dtype. */
export function exprFor(def: ExprDef, input: DType): string {
  return def.int !== undefined && (input === 'int32' || input === 'bool') ? def.int : def.expr;
}
