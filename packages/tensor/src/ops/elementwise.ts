import { record } from '../autograd-hooks.js';
import { run1 } from '../backend.js';
import { type DType, isFloating } from '../dtype.js';
import { DTypeError, fmtShape, ShapeError, TorchletError } from '../errors.js';
import { broadcastShapes, shapesEqual } from '../shape.js';
import { Tensor, type TensorLike } from '../tensor.js';
import { asTensor, scalarTensor } from './creation.js';
import {
  BINARY,
  type BinaryOp,
  CPU_UNARY,
  type CpuUnaryOp,
  type ExprDef,
  exprOutDtype,
  TERNARY,
  type TernaryOp,
  UNARY,
  type UnaryOp,
} from './expressions.js';
import { installMethods } from './methods.js';
import { resultTypeOf } from './promotion.js';

/** Throws the DTypeError PyTorch raises when an op has no kernel for `dtype`. */
function checkDomain(op: string, def: ExprDef, dtype: DType): void {
  if (def.domain === 'float' && !isFloating(dtype)) {
    throw new DTypeError(`${op}: not implemented for ${dtype} tensors (expected float32 or float64)`);
  }
  if (def.domain === 'nonbool' && dtype === 'bool') {
    throw new DTypeError(
      `${op}: not supported for bool tensors; convert with .to('int32') or .to('float32')`,
    );
  }
}

/**
 * Integer input of an op with a floating result is converted to float32 first, as PyTorch does,
 * so `sin(int32 2147483647)` is sin(2147483648), the float32 nearest the input.
 */
function floatInput(def: ExprDef, t: Tensor): Tensor {
  return def.out === 'float' && !isFloating(t.dtype) ? t.to('float32') : t;
}

/** Runs unary op `name`; float-valued results are recorded for autograd under the same name. */
export function unary(name: UnaryOp | CpuUnaryOp, x: TensorLike, p0 = 0, p1 = 0): Tensor {
  const def: ExprDef = name in CPU_UNARY ? CPU_UNARY[name as CpuUnaryOp] : UNARY[name as UnaryOp];
  const input = asTensor(x);
  checkDomain(name, def, input.dtype);
  const t = floatInput(def, input);
  const out = run1(name, [t], { dtype: exprOutDtype(def, t.dtype), computeDtype: t.dtype, p0, p1 });
  return def.out === 'bool' ? out : record(name, [t], out, { p0, p1 });
}

/**
 * Tensors for `values` on one device with their promoted dtype. Scalars are wrapped at that dtype,
 * so `float64 + 0.1` adds the double 0.1, not its float32 rounding.
 */
export function promoteOperands(values: readonly TensorLike[]): { tensors: Tensor[]; dtype: DType } {
  const first = values.find((v): v is Tensor => v instanceof Tensor);
  const device = first?.device ?? 'cpu';
  const dtype = resultTypeOf(values);
  const tensors = values.map((v) => (v instanceof Tensor ? v : scalarTensor(v, dtype, device)));
  return { tensors, dtype };
}

/** Integer division ops PyTorch refuses to run on a zero divisor. */
const INT_DIVISIONS = new Set<BinaryOp>(['divTrunc', 'remainder', 'fmod', 'floorDivide']);
/** Binary ops without a gradient (PyTorch does not differentiate them either). */
const NOT_DIFFERENTIABLE = new Set<BinaryOp>(['heaviside']);

function hasZero(t: Tensor): boolean {
  const data = t.dataSync();
  for (let i = 0; i < data.length; i++) if (data[i] === 0) return true;
  return false;
}

/** Runs binary op `name` with broadcasting and type promotion. */
export function binary(name: BinaryOp, a: TensorLike, b: TensorLike): Tensor {
  const {
    tensors: [x, y],
    dtype,
  } = promoteOperands([a, b]);
  const def: ExprDef = BINARY[name];
  checkDomain(name, def, dtype);
  if (def.out === 'float' && !isFloating(dtype)) return binary(name, x!.to('float32'), y!.to('float32'));
  if (INT_DIVISIONS.has(name) && !isFloating(dtype) && hasZero(y!)) {
    throw new TorchletError(`${name}: ZeroDivisionError (integer division by zero)`);
  }
  const out = run1(name, [x!, y!], { dtype: exprOutDtype(def, dtype), computeDtype: dtype });
  return def.out === 'bool' || NOT_DIFFERENTIABLE.has(name) ? out : record(name, [x!, y!], out);
}

/** Runs ternary op `name` over `values` (scalars allowed), promoting them together. */
function ternary(name: TernaryOp, values: readonly TensorLike[], p0 = 0, promoteFrom = values): Tensor {
  const def: ExprDef = TERNARY[name];
  const dtype = resultTypeOf(promoteFrom);
  const device = values.find((v): v is Tensor => v instanceof Tensor)?.device ?? 'cpu';
  const inputs = values.map((v) => (v instanceof Tensor ? v : scalarTensor(v, dtype, device)));
  checkDomain(name, def, dtype);
  const out = run1(name, inputs, { dtype: exprOutDtype(def, dtype), computeDtype: dtype, p0 });
  return record(name, inputs, out, { p0 });
}

function isBool(v: TensorLike): boolean {
  return v instanceof Tensor ? v.dtype === 'bool' : typeof v === 'boolean';
}

/** `x` converted to `dtype` (no copy when it already is). */
function cast(x: Tensor, dtype: DType): Tensor {
  return x.dtype === dtype ? x : x.to(dtype);
}

// Arithmetic -----------------------------------------------------------------------------------

/** `a + alpha * b`, broadcasting. */
export function add(a: TensorLike, b: TensorLike, alpha = 1): Tensor {
  return binary('add', a, alpha === 1 ? b : mul(b, alpha));
}
/** `a - alpha * b`, broadcasting. */
export function sub(a: TensorLike, b: TensorLike, alpha = 1): Tensor {
  if (isBool(a) || isBool(b)) {
    throw new DTypeError(
      'sub: subtraction with a bool tensor is not supported; use logicalXor() or logicalNot() instead',
    );
  }
  return binary('sub', a, alpha === 1 ? b : mul(b, alpha));
}
/** `a * b`, broadcasting. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  return binary('mul', a, b);
}
/** True division (integers give float32); `roundingMode` 'floor' or 'trunc' as in PyTorch. */
export function div(a: TensorLike, b: TensorLike, roundingMode?: 'floor' | 'trunc'): Tensor {
  if (roundingMode === 'floor') return floorDivide(a, b);
  if (roundingMode === 'trunc') return binary('divTrunc', a, b);
  return binary('div', a, b);
}
/**
 * `a ** b`. Integer tensors stay integer (wrapping like int32 in C); integers to negative scalar
 * powers are refused, as in PyTorch. A scalar exponent or base uses a faster kernel.
 */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  if (a instanceof Tensor && typeof b === 'number') {
    const dtype = resultTypeOf([a, b]);
    if (!isFloating(dtype) && b < 0) {
      throw new TorchletError(`pow: integers to negative integer powers are not allowed (exponent ${b})`);
    }
    return unary('powScalar', cast(a, dtype), b);
  }
  if (typeof a === 'number' && b instanceof Tensor) {
    return unary('rpowScalar', cast(b, resultTypeOf([a, b])), a);
  }
  return binary('pow', a, b);
}
/** Elementwise arctangent of a / b in (−π, π]. */
export function atan2(a: TensorLike, b: TensorLike): Tensor {
  return binary('atan2', a, b);
}
/** Python-style modulus (sign of the divisor), as `torch.remainder`. */
export function remainder(a: TensorLike, b: TensorLike): Tensor {
  return binary('remainder', a, b);
}
/** C-style modulus (sign of the dividend), as `torch.fmod`. */
export function fmod(a: TensorLike, b: TensorLike): Tensor {
  return binary('fmod', a, b);
}
/** Division rounded toward −∞ (Python's `//`), as `torch.floor_divide`. */
export function floorDivide(a: TensorLike, b: TensorLike): Tensor {
  return binary('floorDivide', a, b);
}
/** Elementwise maximum (NaN propagates). */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return binary('maximum', a, b);
}
/** Elementwise minimum (NaN propagates). */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return binary('minimum', a, b);
}
/** √(a² + b²) without intermediate overflow. */
export function hypot(a: TensorLike, b: TensorLike): Tensor {
  return binary('hypot', a, b);
}
/** |a| with the sign of b. */
export function copysign(a: TensorLike, b: TensorLike): Tensor {
  return binary('copysign', a, b);
}
/** `a · log(b)`, defined as 0 where a = 0 (unless b is NaN), as `torch.xlogy`. */
export function xlogy(a: TensorLike, b: TensorLike): Tensor {
  return binary('xlogy', a, b);
}
/** log(exp(a) + exp(b)), computed without overflow. */
export function logaddexp(a: TensorLike, b: TensorLike): Tensor {
  return binary('logaddexp', a, b);
}
/** log2(2^a + 2^b), computed without overflow. */
export function logaddexp2(a: TensorLike, b: TensorLike): Tensor {
  return binary('logaddexp2', a, b);
}
/** Step function: 0 where x < 0, `values` where x = 0, 1 where x > 0 (not differentiable). */
export function heaviside(x: TensorLike, values: TensorLike): Tensor {
  return binary('heaviside', x, values);
}

/**
 * The gradient of relu from the upstream gradient and relu's result, in one pass: `grad` where
 * `result > 0` (or NaN), else 0 (PyTorch's `threshold_backward`). Differentiable in `grad`.
 */
export function reluBackward(grad: Tensor, result: Tensor): Tensor {
  return binary('reluBackward', grad, result);
}

/** `x + value · t1 · t2`, broadcasting (optimizers' second-moment updates). */
export function addcmul(x: TensorLike, t1: TensorLike, t2: TensorLike, value = 1): Tensor {
  if (!Number.isInteger(value) && !isFloating(resultTypeOf([x, t1, t2]))) {
    throw new DTypeError(`addcmul: for integer tensors 'value' must be an integer, got ${value}`);
  }
  return ternary('addcmul', [x, t1, t2], value);
}

/** `x + value · t1 / t2`, broadcasting (Adam's update). Floating inputs only, as in PyTorch. */
export function addcdiv(x: TensorLike, t1: TensorLike, t2: TensorLike, value = 1): Tensor {
  return ternary('addcdiv', [x, t1, t2], value);
}

// Comparison and logic (results are bool and never require grad) -------------------------------

/**
 * `a == b` elementwise with broadcasting, as `torch.eq`; bool result (NaN compares unequal to everything).
 */
export const eq = (a: TensorLike, b: TensorLike): Tensor => binary('eq', a, b);
/** `a != b` elementwise, as `torch.ne`; bool result (true wherever either side is NaN). */
export const ne = (a: TensorLike, b: TensorLike): Tensor => binary('ne', a, b);
/** `a < b` elementwise, as `torch.lt`; bool result (false where either side is NaN). */
export const lt = (a: TensorLike, b: TensorLike): Tensor => binary('lt', a, b);
/** `a <= b` elementwise, as `torch.le`; bool result (false where either side is NaN). */
export const le = (a: TensorLike, b: TensorLike): Tensor => binary('le', a, b);
/** `a > b` elementwise, as `torch.gt`; bool result (false where either side is NaN). */
export const gt = (a: TensorLike, b: TensorLike): Tensor => binary('gt', a, b);
/** `a >= b` elementwise, as `torch.ge`; bool result (false where either side is NaN). */
export const ge = (a: TensorLike, b: TensorLike): Tensor => binary('ge', a, b);
/** Both nonzero, as `torch.logical_and`; any dtype in, bool out (NaN counts as true). */
export const logicalAnd = (a: TensorLike, b: TensorLike): Tensor => binary('logicalAnd', a, b);
/** Either nonzero, as `torch.logical_or`; any dtype in, bool out (NaN counts as true). */
export const logicalOr = (a: TensorLike, b: TensorLike): Tensor => binary('logicalOr', a, b);
/** Exactly one nonzero, as `torch.logical_xor`; any dtype in, bool out. Use it for bool subtraction. */
export const logicalXor = (a: TensorLike, b: TensorLike): Tensor => binary('logicalXor', a, b);
/**
 * Zero → true, nonzero → false, as `torch.logical_not`; bool result (NaN gives false). Use it for bool
 * negation.
 */
export const logicalNot = (x: TensorLike): Tensor => unary('logicalNot', x);
/** Where `x` is NaN, as `torch.isnan`; bool result (all false for int32 and bool). */
export const isnan = (x: TensorLike): Tensor => unary('isnan', x);
/** Where `x` is +∞ or −∞, as `torch.isinf`; bool result. */
export const isinf = (x: TensorLike): Tensor => unary('isinf', x);
/** Where `x` is neither NaN nor ±∞, as `torch.isfinite`; bool result (all true for int32 and bool). */
export const isfinite = (x: TensorLike): Tensor => unary('isfinite', x);
/** Where `x` is +∞, as `torch.isposinf`; bool result. */
export const isposinf = (x: TensorLike): Tensor => unary('isposinf', x);
/** Where `x` is −∞, as `torch.isneginf`; bool result. */
export const isneginf = (x: TensorLike): Tensor => unary('isneginf', x);
/** Where the sign bit is set, as `torch.signbit`; bool result, true for −0 (and false for NaN). */
export const signbit = (x: TensorLike): Tensor => unary('signbit', x);

// Unary math -----------------------------------------------------------------------------------

/** −x, as `torch.neg`; keeps the dtype, refuses bool (use `logicalNot`). int32 −2³¹ wraps to itself. */
export const neg = (x: TensorLike): Tensor => unary('neg', x);
/** |x|, as `torch.abs`; keeps the dtype, refuses bool. int32 −2³¹ wraps to itself. */
export const abs = (x: TensorLike): Tensor => unary('abs', x);
/** −1, 0 or 1 by the sign of `x`, as `torch.sign`; keeps the dtype. sign(NaN) and sign(−0) are +0. */
export const sign = (x: TensorLike): Tensor => unary('sign', x);
/** x², as `torch.square` (bool becomes int32, like PyTorch's `pow(x, 2)`). */
export const square = (x: TensorLike): Tensor => {
  const t = asTensor(x);
  return unary('square', t.dtype === 'bool' ? t.to('int32') : t);
};
/** eˣ, as `torch.exp`; int32/bool inputs give float32. */
export const exp = (x: TensorLike): Tensor => unary('exp', x);
/** 2ˣ, as `torch.exp2`; int32/bool inputs give float32. */
export const exp2 = (x: TensorLike): Tensor => unary('exp2', x);
/** eˣ − 1, accurate near 0, as `torch.expm1`; int32/bool inputs give float32. */
export const expm1 = (x: TensorLike): Tensor => unary('expm1', x);
/** Natural log, as `torch.log`: log(0) = −∞, negative x gives NaN; int32/bool inputs give float32. */
export const log = (x: TensorLike): Tensor => unary('log', x);
/** Base-2 log, as `torch.log2`; int32/bool inputs give float32. */
export const log2 = (x: TensorLike): Tensor => unary('log2', x);
/** Base-10 log, as `torch.log10`; int32/bool inputs give float32. */
export const log10 = (x: TensorLike): Tensor => unary('log10', x);
/** log(1 + x), accurate near 0, as `torch.log1p`; int32/bool inputs give float32. */
export const log1p = (x: TensorLike): Tensor => unary('log1p', x);
/** √x, as `torch.sqrt` (NaN for x < 0); int32/bool inputs give float32. */
export const sqrt = (x: TensorLike): Tensor => unary('sqrt', x);
/** 1/√x, as `torch.rsqrt` (rsqrt(0) = +∞); int32/bool inputs give float32. */
export const rsqrt = (x: TensorLike): Tensor => unary('rsqrt', x);
/** 1/x, as `torch.reciprocal`; int32/bool inputs give float32 (so 1/0 = +∞, no error). */
export const reciprocal = (x: TensorLike): Tensor => unary('reciprocal', x);
/** Sine (radians), as `torch.sin`; int32/bool inputs give float32. */
export const sin = (x: TensorLike): Tensor => unary('sin', x);
/** Cosine (radians), as `torch.cos`; int32/bool inputs give float32. */
export const cos = (x: TensorLike): Tensor => unary('cos', x);
/** Tangent (radians), as `torch.tan`; int32/bool inputs give float32. */
export const tan = (x: TensorLike): Tensor => unary('tan', x);
/** Arcsine in [−π/2, π/2], as `torch.asin` (NaN outside [−1, 1]); int32/bool inputs give float32. */
export const asin = (x: TensorLike): Tensor => unary('asin', x);
/** Arccosine in [0, π], as `torch.acos` (NaN outside [−1, 1]); int32/bool inputs give float32. */
export const acos = (x: TensorLike): Tensor => unary('acos', x);
/** Arctangent in (−π/2, π/2), as `torch.atan`; int32/bool inputs give float32. */
export const atan = (x: TensorLike): Tensor => unary('atan', x);
/** Hyperbolic sine, as `torch.sinh`; int32/bool inputs give float32. */
export const sinh = (x: TensorLike): Tensor => unary('sinh', x);
/** Hyperbolic cosine, as `torch.cosh`; int32/bool inputs give float32. */
export const cosh = (x: TensorLike): Tensor => unary('cosh', x);
/** Hyperbolic tangent, as `torch.tanh`; int32/bool inputs give float32. */
export const tanh = (x: TensorLike): Tensor => unary('tanh', x);
/** Inverse hyperbolic sine, as `torch.asinh`; int32/bool inputs give float32. */
export const asinh = (x: TensorLike): Tensor => unary('asinh', x);
/** Inverse hyperbolic cosine, as `torch.acosh` (NaN for x < 1); int32/bool inputs give float32. */
export const acosh = (x: TensorLike): Tensor => unary('acosh', x);
/** Inverse hyperbolic tangent, as `torch.atanh` (±∞ at ±1, NaN beyond); int32/bool inputs give float32. */
export const atanh = (x: TensorLike): Tensor => unary('atanh', x);
/** Gauss error function, as `torch.erf`; int32/bool inputs give float32. */
export const erf = (x: TensorLike): Tensor => unary('erf', x);
/** 1 − erf(x) without cancellation for large x, as `torch.erfc`; int32/bool inputs give float32. */
export const erfc = (x: TensorLike): Tensor => unary('erfc', x);
/** Inverse of `erf` on (−1, 1), as `torch.erfinv` (±∞ at ±1, NaN beyond); int32/bool inputs give float32. */
export const erfinv = (x: TensorLike): Tensor => unary('erfinv', x);
/** log|Γ(x)|, as `torch.lgamma` (+∞ at 0 and the negative integers); int32/bool inputs give float32. */
export const lgamma = (x: TensorLike): Tensor => unary('lgamma', x);
/**
 * ψ(x) = d/dx lgamma(x), as `torch.digamma`: ψ(±0) = ∓∞, NaN at negative integers; int32/bool give float32.
 */
export const digamma = (x: TensorLike): Tensor => unary('digamma', x);
/** ψ'(x), PyTorch's `polygamma(1, x)`: the derivative of `digamma`. */
export const trigamma = (x: TensorLike): Tensor => unary('trigamma', x);
/**
 * 1 / (1 + e⁻ˣ), evaluated without overflow for large |x|, as `torch.sigmoid`; int32/bool inputs give
 * float32.
 */
export const sigmoid = (x: TensorLike): Tensor => unary('sigmoid', x);
/** log(sigmoid(x)), computed without overflow. */
export const logSigmoid = (x: TensorLike): Tensor => unary('logSigmoid', x);
/** max(x, 0), as `torch.relu`; keeps the dtype (int32 stays int32), refuses bool; NaN stays NaN. */
export const relu = (x: TensorLike): Tensor => unary('relu', x);
/** Rounds toward −∞, as `torch.floor`; keeps the dtype (int32 is returned unchanged), refuses bool. */
export const floor = (x: TensorLike): Tensor => unary('floor', x);
/** Rounds toward +∞, as `torch.ceil`; keeps the dtype (int32 is returned unchanged), refuses bool. */
export const ceil = (x: TensorLike): Tensor => unary('ceil', x);
/** Rounds half to even, as `torch.round`; `decimals` rounds to that many decimal places. */
export function round(x: TensorLike, decimals = 0): Tensor {
  if (decimals === 0) return unary('round', x);
  return unary('roundDecimals', x, decimals, 10 ** Math.abs(decimals));
}
/** Rounds toward 0, as `torch.trunc`; keeps the dtype (int32 is returned unchanged), refuses bool. */
export const trunc = (x: TensorLike): Tensor => unary('trunc', x);
/** x − trunc(x) (sign follows x), as `torch.frac`; float32/float64 only. */
export const frac = (x: TensorLike): Tensor => unary('frac', x);
/** Leaky ReLU: x for x > 0, else `negativeSlope * x`. */
export const leakyRelu = (x: TensorLike, negativeSlope = 0.01): Tensor =>
  unary('leakyRelu', x, negativeSlope);
/** ELU: x for x > 0, else alpha · (exp(x) − 1). */
export const elu = (x: TensorLike, alpha = 1): Tensor => unary('elu', x, alpha, 1);
/** CELU: x for x > 0, else alpha · (exp(x / alpha) − 1). */
export const celu = (x: TensorLike, alpha = 1): Tensor => unary('elu', x, alpha, 1 / alpha);
/** SELU: scale · ELU(x, alpha) with PyTorch's fixed constants. */
export const selu = (x: TensorLike): Tensor => unary('selu', x);
/** Clamps into [minVal, maxVal] with zero gradient outside (NaN stays NaN). */
export const hardtanh = (x: TensorLike, minVal = -1, maxVal = 1): Tensor =>
  unary('hardtanh', x, minVal, maxVal);
/** min(max(x, 0), 6). */
export const relu6 = (x: TensorLike): Tensor => unary('hardtanh', x, 0, 6);
/** Piecewise-linear sigmoid: 0 below −3, 1 above 3, x/6 + 1/2 between. */
export const hardsigmoid = (x: TensorLike): Tensor => unary('hardsigmoid', x);
/** x · hardsigmoid(x). */
export const hardswish = (x: TensorLike): Tensor => unary('hardswish', x);
/** Mish: x · tanh(softplus(x)). */
export const mish = (x: TensorLike): Tensor => unary('mish', x);
/** x / (1 + |x|), composed as PyTorch does (so int32 inputs wrap the same way). */
export const softsign = (x: TensorLike): Tensor => div(x, add(abs(x), 1));
/** x where x > threshold, else `value`, as `torch.nn.functional.threshold`. */
export const threshold = (x: TensorLike, threshold: number, value: number): Tensor =>
  unary('threshold', x, threshold, value);
/** GELU, exact (`'none'`) or with the tanh approximation. */
export const gelu = (x: TensorLike, approximate: 'none' | 'tanh' = 'none'): Tensor =>
  unary(approximate === 'tanh' ? 'geluTanh' : 'gelu', x);
/** SiLU (swish): x · sigmoid(x). */
export const silu = (x: TensorLike): Tensor => unary('silu', x);
/** Softplus: log(1 + exp(beta·x)) / beta, linear where beta·x > threshold. */
export const softplus = (x: TensorLike, beta = 1, threshold = 20): Tensor =>
  unary('softplus', x, beta, threshold);

function dtypeMax(dtype: DType): number {
  if (dtype === 'float32') return 3.4028234663852886e38;
  if (dtype === 'int32') return 2147483647;
  return Number.MAX_VALUE;
}

/** Replaces NaN with `nan` and ±∞ with the dtype's largest finite value (or the given bounds). */
export function nanToNum(x: Tensor, nan = 0, posinf?: number, neginf?: number): Tensor {
  const big = posinf ?? dtypeMax(x.dtype);
  const out = unary('nanToNum', x, nan, big);
  if (neginf === undefined || neginf === -big) return out;
  return where(isneginf(x), neginf, out);
}

/** The extreme values of `dtype`, standing in for a missing clamp bound. */
function dtypeRange(dtype: DType): [number, number] {
  if (dtype === 'int32') return [-2147483648, 2147483647];
  if (dtype === 'bool') return [0, 1];
  return [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
}

/**
 * Clamps into [min, max]; either bound may be omitted, a number, or a tensor. As PyTorch's
 * min(max(x, min), max): where min > max the result is max, NaN bounds are ignored.
 */
export function clamp(x: Tensor, min?: TensorLike | null, max?: TensorLike | null): Tensor {
  if (min == null && max == null)
    throw new TorchletError("clamp: at least one of 'min' or 'max' must be given");
  const bounds = [min, max].filter((b): b is TensorLike => b != null);
  const dtype = resultTypeOf([x, ...bounds]);
  const [lowest, highest] = dtypeRange(dtype);
  if (!(min instanceof Tensor) && !(max instanceof Tensor)) {
    const lo = min == null ? lowest : Number(min);
    const hi = max == null ? highest : Number(max);
    return unary('clampScalar', cast(x, dtype), lo, hi);
  }
  return ternary('clamp', [x, min ?? lowest, max ?? highest], 0, [x, ...bounds]);
}

/** Elements of `x` where `condition` is true, else of `y` (broadcasting all three). */
export function where(condition: Tensor, x: TensorLike, y: TensorLike): Tensor {
  const cond = condition.dtype === 'bool' ? condition : ne(condition, 0);
  return ternary('where', [cond, x, y], 0, [x, y]);
}

/** `start + weight · (end − start)`. */
export function lerp(start: Tensor, end: TensorLike, weight: TensorLike): Tensor {
  return ternary('lerp', [start, end, weight]);
}

// In-place -------------------------------------------------------------------------------------

/**
 * Writes `value` (broadcast to `target`'s shape) into `target`'s storage and bumps its version.
 * In-place ops are refused on tensors that autograd tracks; run them under `noGrad`.
 */
export function assignInPlace(op: string, target: Tensor, value: TensorLike): Tensor {
  if (target.tracksGrad) {
    throw new TorchletError(
      `${op}: in-place operation on a tensor that requires grad; use the out-of-place op, or wrap the update in noGrad()`,
    );
  }
  // A scalar is stored at the target's dtype directly, as `fill_` does (no float32 detour).
  // A value on another device is copied over first, as `copy_` does across devices in PyTorch.
  const v =
    value instanceof Tensor
      ? value.detach().to(target.device)
      : scalarTensor(value, target.dtype, target.device);
  const shape = broadcastShapes(op, target.shape, v.shape);
  if (!shapesEqual(shape, target.shape)) {
    throw new ShapeError(
      `${op}: value of shape ${fmtShape(v.shape)} cannot be written into shape ${fmtShape(target.shape)}`,
    );
  }
  if (isFloating(v.dtype) && !isFloating(target.dtype)) {
    throw new DTypeError(`${op}: result type ${v.dtype} cannot be cast to the output type ${target.dtype}`);
  }
  run1('identity', [v], { dtype: target.dtype, computeDtype: v.dtype, into: target });
  target.storage.version++;
  return target;
}

installMethods({
  add,
  sub,
  mul,
  div,
  pow,
  atan2,
  remainder,
  fmod,
  floorDivide,
  maximum,
  minimum,
  hypot,
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  logicalAnd,
  logicalOr,
  logicalXor,
  logicalNot,
  isnan,
  isinf,
  isfinite,
  isposinf,
  isneginf,
  signbit,
  neg,
  abs,
  sign,
  square,
  exp,
  exp2,
  expm1,
  log,
  log2,
  log10,
  log1p,
  sqrt,
  rsqrt,
  reciprocal,
  sin,
  cos,
  tan,
  asin,
  acos,
  atan,
  sinh,
  cosh,
  tanh,
  asinh,
  acosh,
  atanh,
  erf,
  erfc,
  erfinv,
  lgamma,
  digamma,
  trigamma,
  sigmoid,
  logSigmoid,
  relu,
  floor,
  ceil,
  round,
  trunc,
  frac,
  leakyRelu,
  elu,
  gelu,
  silu,
  softplus,
  celu,
  selu,
  hardtanh,
  relu6,
  hardsigmoid,
  hardswish,
  mish,
  softsign,
  threshold,
  heaviside,
  copysign,
  xlogy,
  logaddexp,
  logaddexp2,
  addcmul,
  addcdiv,
  nanToNum,
  clamp,
  lerp,
  where: (self: Tensor, condition: Tensor, other: TensorLike) => where(condition, self, other),
  maskedFill: (self: Tensor, mask: Tensor, value: TensorLike) => maskedFill(self, mask, value),
  // In-place forms, as in PyTorch: the trailing underscore writes into `self`.
  add_: (self: Tensor, other: TensorLike, alpha = 1) => assignInPlace('add_', self, add(self, other, alpha)),
  sub_: (self: Tensor, other: TensorLike, alpha = 1) => assignInPlace('sub_', self, sub(self, other, alpha)),
  mul_: (self: Tensor, other: TensorLike) => assignInPlace('mul_', self, mul(self, other)),
  div_: (self: Tensor, other: TensorLike) => assignInPlace('div_', self, div(self, other)),
  pow_: (self: Tensor, other: TensorLike) => assignInPlace('pow_', self, pow(self, other)),
  clamp_: (self: Tensor, min?: TensorLike | null, max?: TensorLike | null) =>
    assignInPlace('clamp_', self, clamp(self, min, max)),
  neg_: (self: Tensor) => assignInPlace('neg_', self, neg(self)),
  exp_: (self: Tensor) => assignInPlace('exp_', self, exp(self)),
  sqrt_: (self: Tensor) => assignInPlace('sqrt_', self, sqrt(self)),
  relu_: (self: Tensor) => assignInPlace('relu_', self, relu(self)),
  sigmoid_: (self: Tensor) => assignInPlace('sigmoid_', self, sigmoid(self)),
  tanh_: (self: Tensor) => assignInPlace('tanh_', self, tanh(self)),
  addcmul_: (self: Tensor, t1: TensorLike, t2: TensorLike, value = 1) =>
    assignInPlace('addcmul_', self, addcmul(self, t1, t2, value)),
  addcdiv_: (self: Tensor, t1: TensorLike, t2: TensorLike, value = 1) =>
    assignInPlace('addcdiv_', self, addcdiv(self, t1, t2, value)),
  lerp_: (self: Tensor, end: TensorLike, weight: TensorLike) =>
    assignInPlace('lerp_', self, lerp(self, end, weight)),
  maskedFill_: (self: Tensor, mask: Tensor, value: TensorLike) =>
    assignInPlace('maskedFill_', self, maskedFill(self, mask, value)),
  fill_: (self: Tensor, value: number | boolean) => assignInPlace('fill_', self, value),
  zero_: (self: Tensor) => assignInPlace('zero_', self, 0),
  copy_: (self: Tensor, src: TensorLike) => assignInPlace('copy_', self, src),
});

/** Fills elements where `mask` is true with `value` (mask broadcasts to `x`). */
export function maskedFill(x: Tensor, mask: Tensor, value: TensorLike): Tensor {
  if (mask.dtype !== 'bool') throw new DTypeError(`maskedFill: expected a bool mask, got ${mask.dtype}`);
  const v = value instanceof Tensor ? value : scalarTensor(value, x.dtype, x.device);
  if (v.ndim > 0)
    throw new ShapeError(`maskedFill: value must be a scalar or 0-d tensor, got shape ${fmtShape(v.shape)}`);
  const out = where(mask, v.dtype === x.dtype ? v : v.to(x.dtype), x);
  return out.dtype === x.dtype ? out : out.to(x.dtype);
}

declare module '../tensor.js' {
  interface Tensor {
    /** `this + alpha * other`, broadcasting with type promotion. */
    add(other: TensorLike, alpha?: number): Tensor;
    /** `this - alpha * other`; refused for bool (use `logicalXor`). */
    sub(other: TensorLike, alpha?: number): Tensor;
    mul(other: TensorLike): Tensor;
    /** True division (int32 gives float32); `roundingMode` 'floor' or 'trunc' keeps integer dtypes. */
    div(other: TensorLike, roundingMode?: 'floor' | 'trunc'): Tensor;
    /** `this ** exponent`; int32 stays int32 (wrapping), negative integer exponents of int32 throw. */
    pow(exponent: TensorLike): Tensor;
    /** atan(this / other) in (−π, π], using both signs; int32 gives float32. */
    atan2(other: TensorLike): Tensor;
    /** Python-style modulus (sign of the divisor), as `torch.remainder`; int32 division by zero throws. */
    remainder(other: TensorLike): Tensor;
    /** C-style modulus (sign of the dividend), as `torch.fmod`; int32 division by zero throws. */
    fmod(other: TensorLike): Tensor;
    /** Division rounded toward −∞ (Python's `//`), as `torch.floor_divide`. */
    floorDivide(other: TensorLike): Tensor;
    /** Elementwise max with broadcasting; NaN propagates. */
    maximum(other: TensorLike): Tensor;
    /** Elementwise min with broadcasting; NaN propagates. */
    minimum(other: TensorLike): Tensor;
    /** √(this² + other²) without overflow; floating only. */
    hypot(other: TensorLike): Tensor;
    /** `this == other`; bool result. */
    eq(other: TensorLike): Tensor;
    /** `this != other`; bool result (true where either is NaN). */
    ne(other: TensorLike): Tensor;
    /** `this < other`; bool result. */
    lt(other: TensorLike): Tensor;
    /** `this <= other`; bool result. */
    le(other: TensorLike): Tensor;
    /** `this > other`; bool result. */
    gt(other: TensorLike): Tensor;
    /** `this >= other`; bool result. */
    ge(other: TensorLike): Tensor;
    /** Both nonzero; bool result. */
    logicalAnd(other: TensorLike): Tensor;
    /** Either nonzero; bool result. */
    logicalOr(other: TensorLike): Tensor;
    /** Exactly one nonzero; bool result. */
    logicalXor(other: TensorLike): Tensor;
    /** Zero → true, else false; bool result. */
    logicalNot(): Tensor;
    /** Where NaN; bool result. */
    isnan(): Tensor;
    /** Where ±∞; bool result. */
    isinf(): Tensor;
    /** Where neither NaN nor ±∞; bool result. */
    isfinite(): Tensor;
    /** Where +∞; bool result. */
    isposinf(): Tensor;
    /** Where −∞; bool result. */
    isneginf(): Tensor;
    /** Where the sign bit is set (true for −0); bool result. */
    signbit(): Tensor;
    /** −this; refused for bool. */
    neg(): Tensor;
    abs(): Tensor;
    /** −1, 0 or 1 in this dtype; sign(NaN) is 0. */
    sign(): Tensor;
    /** this²; bool gives int32. */
    square(): Tensor;
    exp(): Tensor;
    exp2(): Tensor;
    expm1(): Tensor;
    log(): Tensor;
    log2(): Tensor;
    log10(): Tensor;
    log1p(): Tensor;
    sqrt(): Tensor;
    /** 1/√this; int32 gives float32. */
    rsqrt(): Tensor;
    /** 1/this; int32 gives float32. */
    reciprocal(): Tensor;
    sin(): Tensor;
    cos(): Tensor;
    tan(): Tensor;
    asin(): Tensor;
    acos(): Tensor;
    atan(): Tensor;
    sinh(): Tensor;
    cosh(): Tensor;
    tanh(): Tensor;
    asinh(): Tensor;
    acosh(): Tensor;
    atanh(): Tensor;
    erf(): Tensor;
    erfc(): Tensor;
    /** Inverse error function on (−1, 1); ±∞ at ±1. */
    erfinv(): Tensor;
    /** log|Γ(this)|. */
    lgamma(): Tensor;
    /** ψ(this), the derivative of `lgamma`. */
    digamma(): Tensor;
    /** ψ'(this), PyTorch's `polygamma(1, x)`. */
    trigamma(): Tensor;
    sigmoid(): Tensor;
    /** log(sigmoid(this)) without overflow; floating only. */
    logSigmoid(): Tensor;
    /** max(this, 0), keeping the dtype; NaN stays NaN. */
    relu(): Tensor;
    floor(): Tensor;
    ceil(): Tensor;
    /** Rounds half to even, as `torch.round`; `decimals` rounds to that many decimal places. */
    round(decimals?: number): Tensor;
    trunc(): Tensor;
    /** this − trunc(this); floating only. */
    frac(): Tensor;
    /** x for x > 0, else `negativeSlope · x` (default 0.01). */
    leakyRelu(negativeSlope?: number): Tensor;
    /** x for x > 0, else alpha · (eˣ − 1). */
    elu(alpha?: number): Tensor;
    /** GELU, exact or with `approximate: 'tanh'`. */
    gelu(approximate?: 'none' | 'tanh'): Tensor;
    /** SiLU (swish): x · sigmoid(x). */
    silu(): Tensor;
    /** log(1 + exp(beta·x)) / beta, linear where beta·x > threshold (default 20). */
    softplus(beta?: number, threshold?: number): Tensor;
    /** x for x > 0, else alpha · (exp(x / alpha) − 1). */
    celu(alpha?: number): Tensor;
    /** scale · ELU(x, alpha) with PyTorch's fixed constants. */
    selu(): Tensor;
    /** Clamps into [minVal, maxVal] (default [−1, 1]); NaN stays NaN. */
    hardtanh(minVal?: number, maxVal?: number): Tensor;
    /** min(max(x, 0), 6). */
    relu6(): Tensor;
    /** 0 below −3, 1 above 3, x/6 + 1/2 between. */
    hardsigmoid(): Tensor;
    /** x · hardsigmoid(x). */
    hardswish(): Tensor;
    /** x · tanh(softplus(x)). */
    mish(): Tensor;
    /** x / (1 + |x|). */
    softsign(): Tensor;
    /** x where x > threshold, else `value`. */
    threshold(threshold: number, value: number): Tensor;
    /** 0 where x < 0, `values` where x = 0, 1 where x > 0; not differentiable. */
    heaviside(values: TensorLike): Tensor;
    /** |this| with the sign of `other`; int32 gives float32. */
    copysign(other: TensorLike): Tensor;
    /** this · log(other), 0 where this = 0 (unless other is NaN). */
    xlogy(other: TensorLike): Tensor;
    /** log(eᵃ + eᵇ) without overflow; floating only. */
    logaddexp(other: TensorLike): Tensor;
    /** log2(2ᵃ + 2ᵇ) without overflow; floating only. */
    logaddexp2(other: TensorLike): Tensor;
    /** `this + value · t1 · t2`, broadcasting. */
    addcmul(t1: TensorLike, t2: TensorLike, value?: number): Tensor;
    /** `this + value · t1 / t2`, broadcasting; floating only. */
    addcdiv(t1: TensorLike, t2: TensorLike, value?: number): Tensor;
    /** In-place `addcmul`. */
    addcmul_(t1: TensorLike, t2: TensorLike, value?: number): Tensor;
    /** In-place `addcdiv`. */
    addcdiv_(t1: TensorLike, t2: TensorLike, value?: number): Tensor;
    /** NaN → `nan` (default 0), ±∞ → the dtype's extreme finite values (or `posinf`/`neginf`). */
    nanToNum(nan?: number, posinf?: number, neginf?: number): Tensor;
    /** Clamps into [min, max] (either may be omitted or a tensor); where min > max the result is max. */
    clamp(min?: TensorLike | null, max?: TensorLike | null): Tensor;
    /** `this + weight · (end − this)`. */
    lerp(end: TensorLike, weight: TensorLike): Tensor;
    /** `where(condition, this, other)`. */
    where(condition: Tensor, other: TensorLike): Tensor;
    /** `value` where `mask` (bool, broadcast) is true, else this. */
    maskedFill(mask: Tensor, value: TensorLike): Tensor;
    /** In-place `add`; all in-place ops throw on tensors that require grad (use `noGrad`). */
    add_(other: TensorLike, alpha?: number): Tensor;
    /** In-place `sub`. */
    sub_(other: TensorLike, alpha?: number): Tensor;
    /** In-place `mul`. */
    mul_(other: TensorLike): Tensor;
    /** In-place true division; an int32 target throws (the float result cannot be cast back). */
    div_(other: TensorLike): Tensor;
    /** In-place `pow`. */
    pow_(exponent: TensorLike): Tensor;
    /** In-place `clamp`. */
    clamp_(min?: TensorLike | null, max?: TensorLike | null): Tensor;
    /** In-place `neg`. */
    neg_(): Tensor;
    /** In-place `exp`. */
    exp_(): Tensor;
    /** In-place `sqrt`. */
    sqrt_(): Tensor;
    /** In-place `relu`. */
    relu_(): Tensor;
    /** In-place `sigmoid`. */
    sigmoid_(): Tensor;
    /** In-place `tanh`. */
    tanh_(): Tensor;
    /** In-place `lerp`. */
    lerp_(end: TensorLike, weight: TensorLike): Tensor;
    /** In-place `maskedFill`. */
    maskedFill_(mask: Tensor, value: TensorLike): Tensor;
    /** Sets every element to `value` in place. */
    fill_(value: number | boolean): Tensor;
    /** Sets every element to 0 in place. */
    zero_(): Tensor;
    /**
     * Copies `src` (broadcast to this shape) into this tensor's storage in place; float into int32 throws.
     */
    copy_(src: TensorLike): Tensor;
  }
}
