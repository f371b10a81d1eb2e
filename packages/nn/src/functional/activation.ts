import {
  abs,
  clamp,
  type DType,
  elu as eluOp,
  fmtShape,
  isFloating,
  leakyRelu as leakyReluOp,
  logSoftmax as logSoftmaxOp,
  narrow,
  neg,
  ShapeError,
  sigmoid,
  softmax as softmaxOp,
  softplus as softplusOp,
  type Tensor,
  TorchletError,
  tanh as tanhOp,
  unary,
  uniform,
  where,
} from '@torchlet/tensor';

export {
  gelu,
  logSigmoid as logsigmoid,
  relu,
  sigmoid,
  silu,
  softplus,
  tanh,
} from '@torchlet/tensor';

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** min(max(x, 0), 6). */
export function relu6(x: Tensor): Tensor {
  return hardtanh(x, 0, 6);
}

/** x for x > 0, else `negativeSlope · x`. */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  return leakyReluOp(x, negativeSlope);
}

/**
 * Leaky ReLU with a learned slope: `weight` has one entry (shared) or one per channel (dim 1).
 */
export function prelu(x: Tensor, weight: Tensor): Tensor {
  let w = weight;
  if (weight.numel() > 1) {
    if (x.ndim < 2 || x.shape[1] !== weight.numel()) {
      throw new TorchletError(
        `prelu: weight has ${weight.numel()} entries but the input has ${x.ndim < 2 ? 'no channel dim' : `${x.shape[1]} channels`}`,
      );
    }
    w = weight.reshape([weight.numel(), ...new Array<number>(x.ndim - 2).fill(1)]);
  }
  return where(x.gt(0), x, x.mul(w));
}

/**
 * Randomized leaky ReLU: in training the negative slope of each element is drawn from
 * U(lower, upper); in evaluation it is (lower + upper) / 2.
 */
export function rrelu(x: Tensor, lower = 1 / 8, upper = 1 / 3, training = false): Tensor {
  if (!training) return leakyReluOp(x, (lower + upper) / 2);
  const slopes = uniform(x.shape, lower, upper, { dtype: floatOf(x.dtype), device: x.device });
  return where(x.gt(0), x, x.mul(slopes));
}

/** x for x > 0, else α·(exp(x) − 1). */
export function elu(x: Tensor, alpha = 1): Tensor {
  return eluOp(x, alpha);
}

/** scale · elu(x, α) with the self-normalizing constants of Klambauer et al. */
export function selu(x: Tensor): Tensor {
  return eluOp(x, SELU_ALPHA).mul(SELU_SCALE);
}

/** x for x > 0, else α·(exp(x/α) − 1). */
export function celu(x: Tensor, alpha = 1): Tensor {
  if (alpha === 0) throw new TorchletError('celu: alpha must be nonzero');
  return unary('elu', x, alpha, 1 / alpha);
}

/** x · tanh(softplus(x)). */
export function mish(x: Tensor): Tensor {
  return x.mul(softplusOp(x).tanh());
}

/**
 * clamp(x, lo, hi) whose gradient is 1 strictly inside (lo, hi) and 0 on the bounds, as PyTorch's
 * hardtanh and hardsigmoid define it (plain `clamp` passes the gradient on the bounds).
 */
function clampOpenInterval(x: Tensor, lo: number, hi: number): Tensor {
  return where(x.gt(lo).logicalAnd(x.lt(hi)), x, clamp(x, lo, hi).detach());
}

/** Piecewise-linear sigmoid: clamp(x/6 + 1/2, 0, 1). */
export function hardsigmoid(x: Tensor): Tensor {
  return clampOpenInterval(x.div(6).add(0.5), 0, 1);
}

/** x · hardsigmoid(x); on the bounds ±3 the gradient is PyTorch's one-sided x/3 + 1/2. */
export function hardswish(x: Tensor): Tensor {
  return x.mul(clamp(x.div(6).add(0.5), 0, 1));
}

/** clamp(x, minVal, maxVal). */
export function hardtanh(x: Tensor, minVal = -1, maxVal = 1): Tensor {
  if (minVal > maxVal) throw new TorchletError(`hardtanh: minVal ${minVal} is greater than maxVal ${maxVal}`);
  return clampOpenInterval(x, minVal, maxVal);
}

/** x / (1 + |x|). */
export function softsign(x: Tensor): Tensor {
  return x.div(abs(x).add(1));
}

/** exp(x) / Σ exp(x) along `dim`. */
export function softmax(x: Tensor, dim = -1): Tensor {
  return softmaxOp(x, dim);
}

/** log(softmax(x)) along `dim`, computed stably. */
export function logSoftmax(x: Tensor, dim = -1): Tensor {
  return logSoftmaxOp(x, dim);
}

/** softmax(−x) along `dim`. */
export function softmin(x: Tensor, dim = -1): Tensor {
  return softmaxOp(neg(x), dim);
}

/** x where x > threshold, else `value`. */
export function threshold(x: Tensor, thresholdValue: number, value: number): Tensor {
  return where(x.gt(thresholdValue), x, value);
}

/**
 * The step function of the perceptron: 1 where x > 0, 0 where x < 0 and `valueAtZero` where
 * x = 0 (0 by default, the seed's "1 if w·x + b > 0 else 0"). Its gradient is zero.
 */
export function heaviside(x: Tensor, valueAtZero = 0): Tensor {
  const dtype = floatOf(x.dtype);
  return where(x.gt(0), 1, where(x.eq(0), valueAtZero, 0)).to(dtype);
}

/** Gated linear unit: the first half of `dim` times the sigmoid of the second half. */
export function glu(x: Tensor, dim = -1): Tensor {
  const d = dim < 0 ? dim + x.ndim : dim;
  const n = x.shape[d];
  if (n === undefined || n % 2 !== 0) {
    throw new ShapeError(`glu: dim ${dim} must exist and have an even size, got shape ${fmtShape(x.shape)}`);
  }
  return narrow(x, d, 0, n / 2).mul(sigmoid(narrow(x, d, n / 2, n / 2)));
}

function checkLambd(op: string, lambd: number): void {
  if (!(lambd >= 0)) throw new TorchletError(`${op}: lambd must be non-negative, got ${lambd}`);
}

/** x − λ where x > λ, x + λ where x < −λ, else 0. */
export function softshrink(x: Tensor, lambd = 0.5): Tensor {
  checkLambd('softshrink', lambd);
  return where(x.gt(lambd), x.sub(lambd), where(x.lt(-lambd), x.add(lambd), 0));
}

/** x where |x| > λ, else 0. */
export function hardshrink(x: Tensor, lambd = 0.5): Tensor {
  checkLambd('hardshrink', lambd);
  return where(abs(x).gt(lambd), x, 0);
}

/** x − tanh(x). */
export function tanhshrink(x: Tensor): Tensor {
  return x.sub(tanhOp(x));
}

function floatOf(dtype: DType): DType {
  return isFloating(dtype) ? dtype : 'float32';
}
