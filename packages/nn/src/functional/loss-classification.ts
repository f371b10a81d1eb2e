import {
  fmtShape,
  gather,
  indexSelect,
  isFloating,
  ShapeError,
  type Tensor,
  TorchletError,
  where,
} from '@torchlet/tensor';
import { logSoftmax } from './activation.js';
import { checkTargets, classDimOf } from './class-targets.js';
import type { LossOptions } from './loss-regression.js';
import { applyReduction, type Reduction } from './reduction.js';

/** Reshapes a per-class weight to broadcast along `classDim` of an `ndim`-dim input. */
function classView(weight: Tensor, ndim: number, classDim: number): Tensor {
  const shape = new Array<number>(ndim).fill(1);
  shape[classDim] = weight.numel();
  return weight.reshape(shape);
}

/** Options of {@link binaryCrossEntropy} (`F.binary_cross_entropy`). */
export interface BCEOptions extends LossOptions {
  /** Rescales each element's loss (broadcast to the input). */
  weight?: Tensor | null;
}

/** Binary cross-entropy on probabilities; logs are clamped at −100 as in PyTorch. */
export function binaryCrossEntropy(input: Tensor, target: Tensor, options: BCEOptions = {}): Tensor {
  if (fmtShape(input.shape) !== fmtShape(target.shape)) {
    throw new ShapeError(
      `binaryCrossEntropy: target of shape ${fmtShape(target.shape)} must have the input's shape ${fmtShape(input.shape)}`,
    );
  }
  if (input.lt(0).logicalOr(input.gt(1)).any().item()) {
    throw new TorchletError('binaryCrossEntropy: all elements of input should be between 0 and 1');
  }
  const logP = input.log().clamp(-100);
  const logQ = input.neg().add(1).log().clamp(-100);
  let loss = target.mul(logP).add(target.neg().add(1).mul(logQ)).neg();
  if (options.weight) loss = loss.mul(options.weight);
  return applyReduction('binaryCrossEntropy', loss, options.reduction);
}

/** Options of {@link binaryCrossEntropyWithLogits} (`F.binary_cross_entropy_with_logits`). */
export interface BCEWithLogitsOptions extends BCEOptions {
  /** Weight of positive examples, one per class (last dim), to trade recall for precision. */
  posWeight?: Tensor | null;
}

/** Sigmoid followed by binary cross-entropy, in one numerically stable expression. */
export function binaryCrossEntropyWithLogits(
  input: Tensor,
  target: Tensor,
  options: BCEWithLogitsOptions = {},
): Tensor {
  if (fmtShape(input.shape) !== fmtShape(target.shape)) {
    throw new ShapeError(
      `binaryCrossEntropyWithLogits: target of shape ${fmtShape(target.shape)} must have the input's shape ${fmtShape(input.shape)}`,
    );
  }
  const softplusNeg = input.logSigmoid().neg(); // log(1 + e^(−x))
  const scale = options.posWeight ? options.posWeight.sub(1).mul(target).add(1) : null;
  let loss = target
    .neg()
    .add(1)
    .mul(input)
    .add(scale ? scale.mul(softplusNeg) : softplusNeg);
  if (options.weight) loss = loss.mul(options.weight);
  return applyReduction('binaryCrossEntropyWithLogits', loss, options.reduction);
}

/** Options of {@link nllLoss} (`F.nll_loss`). */
export interface NLLOptions extends LossOptions {
  /** Per-class weights, shape [C]. */
  weight?: Tensor | null;
  /** Targets equal to this contribute nothing (default −100). */
  ignoreIndex?: number;
}

/**
 * Negative log-likelihood of int32 class indices under log-probabilities `input` ([C], [N, C] or
 * [N, C, d1, …]). With 'mean', the sum is divided by the total weight of the counted targets.
 */
export function nllLoss(input: Tensor, target: Tensor, options: NLLOptions = {}): Tensor {
  const { weight = null, ignoreIndex = -100, reduction = 'mean' } = options;
  const classDim = classDimOf('nllLoss', input);
  const anyIgnored = checkTargets('nllLoss', input, target, classDim, ignoreIndex);
  const ignore = anyIgnored ? target.eq(ignoreIndex) : null;
  const safe = ignore ? where(ignore, 0, target) : target;
  const picked = gather(input, classDim, safe.unsqueeze(classDim)).squeeze(classDim);
  // Negating after the reduction touches one element instead of N.
  if (!weight && !ignore) return applyReduction('nllLoss', picked, reduction).neg();
  const dtype = isFloating(input.dtype) ? input.dtype : 'float32';
  let w = weight ? indexSelect(weight, 0, safe.reshape([-1])).reshape(safe.shape) : null;
  if (ignore) w = w ? where(ignore, 0, w) : ignore.logicalNot().to(dtype);
  const loss = picked.mul(w!).neg();
  if (reduction === 'mean') return loss.sum().div(w!.sum());
  return applyReduction('nllLoss', loss, reduction);
}

/** Options of {@link crossEntropy} (`F.cross_entropy`). */
export interface CrossEntropyOptions extends NLLOptions {
  /** Mixes the target with the uniform distribution: (1 − ε)·target + ε/C (default 0). */
  labelSmoothing?: number;
}

/**
 * Cross-entropy between logits `input` ([C], [N, C] or [N, C, d1, …]) and either int32 class
 * indices or class probabilities of the input's shape. Computes log-softmax once and picks
 * the targets' entries with `gather`, never forming probabilities.
 */
export function crossEntropy(input: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  const { weight = null, ignoreIndex = -100, reduction = 'mean', labelSmoothing = 0 } = options;
  if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
    throw new TorchletError(`crossEntropy: labelSmoothing must be in [0, 1], got ${labelSmoothing}`);
  }
  const classDim = classDimOf('crossEntropy', input);
  const c = input.shape[classDim]!;
  const logp = logSoftmax(input, classDim);
  const w = weight ? classView(weight, input.ndim, classDim) : null;
  if (isFloating(target.dtype))
    return probabilityTargets(logp, target, w, classDim, labelSmoothing, reduction);
  const nll = nllLoss(logp, target, { weight, ignoreIndex, reduction });
  if (labelSmoothing === 0) return nll;
  // Smoothing term: −Σ_c w_c·log p_c per position, normalized like the NLL term.
  const ignore = target.eq(ignoreIndex);
  const smooth = where(ignore, 0, (w ? logp.mul(w) : logp).sum(classDim).neg());
  let reduced: Tensor;
  if (reduction === 'mean') {
    const safe = where(ignore, 0, target).reshape([-1]);
    const denom = weight
      ? where(ignore.reshape([-1]), 0, indexSelect(weight, 0, safe)).sum()
      : ignore.logicalNot().sum().to(logp.dtype);
    reduced = smooth.sum().div(denom);
  } else {
    reduced = applyReduction('crossEntropy', smooth, reduction);
  }
  return nll.mul(1 - labelSmoothing).add(reduced.mul(labelSmoothing / c));
}

function probabilityTargets(
  logp: Tensor,
  target: Tensor,
  w: Tensor | null,
  classDim: number,
  labelSmoothing: number,
  reduction: Reduction,
): Tensor {
  if (fmtShape(logp.shape) !== fmtShape(target.shape)) {
    throw new ShapeError(
      `crossEntropy: probability targets must have the input's shape ${fmtShape(logp.shape)}, got ${fmtShape(target.shape)}`,
    );
  }
  const c = logp.shape[classDim]!;
  const t = labelSmoothing > 0 ? target.mul(1 - labelSmoothing).add(labelSmoothing / c) : target;
  let prod = logp.mul(t);
  if (w) prod = prod.mul(w);
  const loss = prod.sum(classDim).neg();
  if (reduction === 'mean') return loss.sum().div(logp.numel() / c);
  return applyReduction('crossEntropy', loss, reduction);
}

/** Options of {@link klDiv}. */
export interface KLDivOptions {
  /** 'mean' (over elements, the default), 'batchmean' (sum / batch size, the true KL), 'sum', 'none'. */
  reduction?: Reduction | 'batchmean';
  /** The target is given as log-probabilities (default false). */
  logTarget?: boolean;
}

/** KL divergence Σ target·(log target − input) with `input` as log-probabilities; 0·log 0 = 0. */
export function klDiv(input: Tensor, target: Tensor, options: KLDivOptions = {}): Tensor {
  const { reduction = 'mean', logTarget = false } = options;
  let loss: Tensor;
  if (logTarget) {
    loss = target.exp().mul(target.sub(input));
  } else {
    const logT = where(target.gt(0), target, 1).log();
    loss = target.mul(logT).sub(target.mul(input));
  }
  if (reduction === 'batchmean') return loss.sum().div(input.ndim > 0 ? input.shape[0]! : 1);
  return applyReduction('klDiv', loss, reduction);
}
