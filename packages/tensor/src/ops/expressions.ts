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
 */
export interface ExprDef {
  readonly expr: string;
  readonly out: 'same' | 'float' | 'bool';
  readonly int?: string;
}

const same = (expr: string, int?: string): ExprDef =>
  int ? { expr, out: 'same', int } : { expr, out: 'same' };
const float = (expr: string): ExprDef => ({ expr, out: 'float' });
const bool = (expr: string): ExprDef => ({ expr, out: 'bool' });

/** Unary ops over `a` (and parameters `p0`, `p1`). */
export const UNARY = {
  /** Copies (and casts, when the output dtype differs). */
  identity: same('a'),
  neg: same('-a'),
  abs: same('Math.abs(a)'),
  sign: same('a > 0 ? 1 : a < 0 ? -1 : a'),
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
  sigmoid: float('a >= 0 ? 1 / (1 + Math.exp(-a)) : Math.exp(a) / (1 + Math.exp(a))'),
  logSigmoid: float('a >= 0 ? -Math.log1p(Math.exp(-a)) : a - Math.log1p(Math.exp(a))'),
  relu: same('a > 0 || a !== a ? a : 0'),
  floor: same('Math.floor(a)'),
  ceil: same('Math.ceil(a)'),
  round: same('roundHalfEven(a)'),
  trunc: same('Math.trunc(a)'),
  frac: same('a - Math.trunc(a)'),
  logicalNot: bool('!a'),
  isnan: bool('a !== a'),
  isinf: bool('a === Infinity || a === -Infinity'),
  isfinite: bool('Number.isFinite(a)'),
  isposinf: bool('a === Infinity'),
  isneginf: bool('a === -Infinity'),
  signbit: bool('a < 0 || Object.is(a, -0)'),
  /** `p0` replaces NaN; `p1`, `p2` would not fit: ±∞ map to the dtype's extremes in `nanToNum`. */
  nanToNum: same('a !== a ? p0 : a === Infinity ? p1 : a === -Infinity ? -p1 : a'),
  /** clamp to [p0, p1]; NaN stays NaN. */
  clampScalar: same('a < p0 ? p0 : a > p1 ? p1 : a'),
  /** leaky ReLU with slope p0. */
  leakyRelu: same('a > 0 ? a : a * p0'),
  /** ELU with alpha p0 and input scale p1 (CELU uses p1 = 1/alpha). */
  elu: float('a > 0 ? a : p0 * Math.expm1(a * p1)'),
  gelu: float('0.5 * a * (1 + erf(a * Math.SQRT1_2))'),
  geluTanh: float('0.5 * a * (1 + Math.tanh(0.7978845608028654 * (a + 0.044715 * a * a * a)))'),
  silu: float('a / (1 + Math.exp(-a))'),
  /** softplus with beta p0 and threshold p1 (linear above it, as PyTorch). */
  softplus: float('a * p0 > p1 ? a : Math.log1p(Math.exp(a * p0)) / p0'),
  /** `a ** p0` with a scalar exponent. */
  powScalar: same('Math.pow(a, p0)'),
  /** `p0 ** a` with a scalar base. */
  rpowScalar: float('Math.pow(p0, a)'),
} satisfies Record<string, ExprDef>;

/** Binary ops over `a`, `b`. */
export const BINARY = {
  add: same('a + b'),
  sub: same('a - b'),
  mul: same('a * b', 'Math.imul(a, b)'),
  div: float('a / b'),
  pow: same('Math.pow(a, b)'),
  atan2: float('Math.atan2(a, b)'),
  remainder: same('remainder(a, b)'),
  fmod: same('a % b'),
  floorDivide: same('Math.floor(a / b)'),
  maximum: same('Math.max(a, b)'),
  minimum: same('Math.min(a, b)'),
  hypot: float('Math.hypot(a, b)'),
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

/** Ternary ops over `a`, `b`, `c`. */
export const TERNARY = {
  /** where(cond, x, y) */
  where: same('a ? b : c'),
  /** clamp with tensor bounds: min(max(a, b), c) */
  clamp: same('Math.min(Math.max(a, b), c)'),
  /** lerp(start, end, weight) */
  lerp: float('a + c * (b - a)'),
} satisfies Record<string, ExprDef>;

export type UnaryOp = keyof typeof UNARY;
export type BinaryOp = keyof typeof BINARY;
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
