import { isFloating } from '../dtype.js';
import { DTypeError, TorchletError } from '../errors.js';
import { Tensor, type TensorLike } from '../tensor.js';
import { asTensor } from './creation.js';
import {
  abs,
  div,
  eq,
  isfinite,
  isnan,
  le,
  logicalAnd,
  logicalOr,
  mul,
  pow,
  promoteOperands,
  sign,
  sub,
  trunc,
  unary,
} from './elementwise.js';
import { installMethods } from './methods.js';
import { all } from './reduce.js';

/** Options of {@link isclose} and {@link allclose} (PyTorch's keywords and defaults). */
export interface IscloseOptions {
  /** Relative tolerance (default 1e-5). */
  rtol?: number;
  /** Absolute tolerance (default 1e-8). */
  atol?: number;
  /** Whether NaN equals NaN (default false). */
  equalNan?: boolean;
}

/**
 * Where `a` and `b` are close, as `torch.isclose`: |a − b| ≤ atol + rtol·|b|, broadcasting; bool.
 * Infinities are close only to themselves; NaN only to NaN with `equalNan`. Unlike PyTorch, the
 * two dtypes need not match (they are promoted); int32 and bool differences are taken in float64
 * so they cannot wrap.
 * @example isclose(tensor([1, 1.1]), tensor([1, 1])).toArray(); // [true, false]
 */
export function isclose(a: TensorLike, b: TensorLike, options: IscloseOptions = {}): Tensor {
  const { rtol = 1e-5, atol = 1e-8, equalNan = false } = options;
  if (!(rtol >= 0))
    throw new TorchletError(`isclose: rtol must be greater than or equal to zero, got ${rtol}`);
  if (!(atol >= 0))
    throw new TorchletError(`isclose: atol must be greater than or equal to zero, got ${atol}`);
  const {
    tensors: [x, y],
    dtype,
  } = promoteOperands([a, b]);
  let close = eq(x!, y!);
  if (equalNan && isFloating(dtype)) close = logicalOr(close, logicalAnd(isnan(x!), isnan(y!)));
  if (rtol === 0 && atol === 0) return close;
  const [fx, fy] = isFloating(dtype) ? [x!, y!] : [x!.to('float64'), y!.to('float64')];
  const allowed = abs(mul(fy, rtol)).add(atol);
  const actual = abs(sub(fx, fy));
  return logicalOr(close, logicalAnd(isfinite(actual), le(actual, allowed)));
}

/** Whether every element pair is close by {@link isclose}'s rule, as `torch.allclose`. */
export function allclose(a: TensorLike, b: TensorLike, options: IscloseOptions = {}): boolean {
  return all(isclose(a, b, options)).item() !== 0;
}

/**
 * log(x / (1 − x)), as `torch.logit`; with `eps`, x is first clamped to [eps, 1 − eps] (and the
 * gradient is 0 outside that range). Without it, x outside [0, 1] gives NaN. int32/bool give float32.
 */
export function logit(x: TensorLike, eps?: number | null): Tensor {
  return eps == null ? unary('logit', x, 0, 0) : unary('logit', x, eps, 1);
}

/** The normalized sinc, sin(πx) / (πx) with sinc(0) = 1, as `torch.sinc`; int32/bool give float32. */
export function sinc(x: TensorLike): Tensor {
  return unary('sinc', x);
}

/** Degrees to radians, as `torch.deg2rad`; int32 gives float32. */
export function deg2rad(x: TensorLike): Tensor {
  return mul(notBool('deg2rad', x), Math.PI / 180);
}

/** Radians to degrees, as `torch.rad2deg`; int32 gives float32. */
export function rad2deg(x: TensorLike): Tensor {
  return mul(notBool('rad2deg', x), 180 / Math.PI);
}

function notBool(op: string, x: TensorLike): Tensor {
  const t = asTensor(x);
  if (t.dtype === 'bool') throw new DTypeError(`${op}: not supported for bool tensors`);
  return t;
}

/** `a ** b` computed in float64 whatever the inputs, as `torch.float_power`. */
export function floatPower(a: TensorLike, b: TensorLike): Tensor {
  const f64 = (v: TensorLike) => (v instanceof Tensor ? v.to('float64') : v);
  return pow(f64(a), f64(b));
}

/** True division, an alias of `div` without a rounding mode (`torch.true_divide`). */
export function trueDivide(a: TensorLike, b: TensorLike): Tensor {
  return div(a, b);
}

/** The sign of real `x`, an alias of `sign` (`torch.sgn`, which differs only for complex). */
export function sgn(x: TensorLike): Tensor {
  return sign(x);
}

/** Rounds toward zero, an alias of `trunc` (`torch.fix`). */
export function fix(x: TensorLike): Tensor {
  return trunc(x);
}

/** `x` itself, as `torch.positive` (refused for bool, as PyTorch's unary `+`). */
export function positive(x: Tensor): Tensor {
  return notBool('positive', x);
}

installMethods({
  isclose,
  allclose,
  logit,
  sinc,
  deg2rad,
  rad2deg,
  floatPower,
  trueDivide,
  sgn,
  fix,
  positive,
});

declare module '../tensor.js' {
  interface Tensor {
    /** Where close to `other` (|a − b| ≤ atol + rtol·|b|); bool. See {@link isclose}. */
    isclose(other: TensorLike, options?: IscloseOptions): Tensor;
    /** Whether close to `other` everywhere. See {@link allclose}. */
    allclose(other: TensorLike, options?: IscloseOptions): boolean;
    /** log(x / (1 − x)), clamped to [eps, 1 − eps] first when `eps` is given. */
    logit(eps?: number | null): Tensor;
    /** sin(πx) / (πx), 1 at 0. */
    sinc(): Tensor;
    /** Degrees to radians. */
    deg2rad(): Tensor;
    /** Radians to degrees. */
    rad2deg(): Tensor;
    /** `this ** exponent` in float64. */
    floatPower(exponent: TensorLike): Tensor;
    /** True division (alias of `div`). */
    trueDivide(other: TensorLike): Tensor;
    /** Sign (alias of `sign` for real tensors). */
    sgn(): Tensor;
    /** Rounds toward zero (alias of `trunc`). */
    fix(): Tensor;
    /** This tensor (refused for bool). */
    positive(): Tensor;
  }
}
