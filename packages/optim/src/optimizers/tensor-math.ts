import { scalarTensor, type Tensor } from '@torchlet/tensor';

/**
 * `value` as a 0-d tensor of `like`'s dtype and device. Optimizers never pass bare numbers to
 * tensor ops: the tensor package stores a fractional number as a float32 scalar, which would
 * round hyperparameters such as 0.9 even when the parameters are float64.
 */
export function scalar(like: Tensor, value: number): Tensor {
  return scalarTensor(value, like.dtype, like.device);
}

/** `x · value`. */
export function scale(x: Tensor, value: number): Tensor {
  return value === 1 ? x : x.mul(scalar(x, value));
}

/** `β·avg + (1−β)·x`: the exponential moving average every adaptive optimizer keeps. */
export function ema(avg: Tensor, x: Tensor, beta: number): Tensor {
  return scale(avg, beta).add(scale(x, 1 - beta));
}

/** `β·avg + (1−β)·x²`: the moving average of squared gradients. */
export function emaSquare(avg: Tensor, x: Tensor, beta: number): Tensor {
  return scale(avg, beta).add(scale(x.mul(x), 1 - beta));
}

/** `param += alpha · update`, in place (the caller runs under noGrad). */
export function addScaled_(param: Tensor, update: Tensor, alpha: number): void {
  param.add_(scale(update, alpha));
}

/** Options that turn a raw gradient into the one an optimizer follows. */
export interface GradTransform {
  maximize?: boolean;
  /** L2 penalty coefficient added to the gradient (coupled weight decay). */
  weightDecay?: number;
}

/** The gradient to descend: negated to maximize, plus `weightDecay · param` (L2 penalty). */
export function effectiveGrad(param: Tensor, grad: Tensor, options: GradTransform): Tensor {
  let g = options.maximize ? grad.neg() : grad;
  if (options.weightDecay) g = g.add(scale(param, options.weightDecay));
  return g;
}

/** Decoupled weight decay (AdamW): `param *= 1 − lr·weightDecay`, in place. */
export function decayWeights_(param: Tensor, lr: number, weightDecay: number): void {
  if (weightDecay !== 0 && lr !== 0) param.mul_(scalar(param, 1 - lr * weightDecay));
}

/** Options of {@link decayedGrad}. */
export interface DecayOptions extends GradTransform {
  lr: number;
  weightDecay: number;
}

/**
 * The gradient to descend with weight decay applied one of two ways: `decoupled` (AdamW) shrinks
 * `param` in place, otherwise the decay is an L2 penalty added to the gradient.
 */
export function decayedGrad(param: Tensor, grad: Tensor, options: DecayOptions, decoupled: boolean): Tensor {
  if (decoupled) decayWeights_(param, options.lr, options.weightDecay);
  return effectiveGrad(param, grad, {
    maximize: options.maximize,
    weightDecay: decoupled ? 0 : options.weightDecay,
  });
}
