import {
  arange,
  DTypeError,
  fmtShape,
  gather,
  IndexError,
  indexSelect,
  logSigmoid,
  relu,
  ShapeError,
  type Tensor,
  TorchletError,
  tensor,
  where,
} from '@torchlet/tensor';
import { checkTargets, classDimOf } from './class-targets.js';
import type { LossOptions } from './loss-regression.js';
import { applyReduction } from './reduction.js';

/** Options of {@link multiMarginLoss} (`F.multi_margin_loss`); defaults p = 1, margin = 1. */
export interface MultiMarginOptions extends LossOptions {
  /** 1 (hinge) or 2 (squared hinge). */
  p?: 1 | 2;
  margin?: number;
  /** Per-class weights [C], applied by the target's class. */
  weight?: Tensor | null;
}

/**
 * Multi-class hinge loss of scores [N, C] (or [C]) and int32 class targets:
 * Σ_{j≠y} w[y]·max(0, margin − x[y] + x[j])^p / C per sample.
 */
export function multiMarginLoss(input: Tensor, target: Tensor, options: MultiMarginOptions = {}): Tensor {
  const op = 'multiMarginLoss';
  const { p = 1, margin = 1, weight = null } = options;
  if (p !== 1 && p !== 2) throw new TorchletError(`${op}: p must be 1 or 2, got ${String(p)}`);
  if (input.ndim > 2)
    throw new ShapeError(`${op}: expected [N, C] or [C] input, got shape ${fmtShape(input.shape)}`);
  checkTargets(op, input, target, classDimOf(op, input));
  const x = input.ndim === 1 ? input.unsqueeze(0) : input;
  const y = target.reshape([-1, 1]);
  const c = x.shape[1]!;
  let h = relu(x.sub(gather(x, 1, y)).add(margin));
  if (p === 2) h = h.square();
  if (weight) h = h.mul(indexSelect(weight, 0, y.reshape([-1])).unsqueeze(1));
  // The target's own term (always `margin`) is left out of the sum.
  const perSample = where(arange(c, undefined, 1, { dtype: 'int32' }).eq(y), 0, h)
    .sum(1)
    .div(c);
  return applyReduction(op, input.ndim === 1 ? perSample.reshape([]) : perSample, options.reduction);
}

/**
 * Multi-label hinge loss: `target` (int32, input's shape) lists each sample's classes, ended by
 * the first −1; Σ_{j target, i not} max(0, 1 − (x[j] − x[i])) / C per sample.
 */
export function multilabelMarginLoss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  const op = 'multilabelMarginLoss';
  if (target.dtype !== 'int32') throw new DTypeError(`${op}: targets must be int32, got ${target.dtype}`);
  if (input.ndim > 2 || input.ndim === 0 || fmtShape(input.shape) !== fmtShape(target.shape)) {
    throw new ShapeError(
      `${op}: expected [N, C] or [C] input and a target of the same shape, got ${fmtShape(input.shape)} and ${fmtShape(target.shape)}`,
    );
  }
  const x = input.ndim === 1 ? input.unsqueeze(0) : input;
  const [n, c] = x.shape as [number, number];
  // pairs[s, j, i]: how often target class j is paired with non-target class i in sample s.
  const pairs = new Float64Array(n * c * c);
  const t = target.dataSync();
  for (let s = 0; s < n; s++) {
    const count = new Array<number>(c).fill(0);
    for (let k = 0; k < c && t[s * c + k]! !== -1; k++) {
      const cls = t[s * c + k]!;
      if (cls < 0 || cls >= c) throw new IndexError(`${op}: target ${cls} is out of bounds for ${c} classes`);
      count[cls]! += 1;
    }
    for (let j = 0; j < c; j++) {
      if (count[j] === 0) continue;
      for (let i = 0; i < c; i++) if (count[i] === 0) pairs[(s * c + j) * c + i] = count[j]!;
    }
  }
  const w = tensor(pairs, { shape: [n, c, c], dtype: x.dtype === 'float64' ? 'float64' : 'float32' });
  const hinge = relu(x.unsqueeze(1).sub(x.unsqueeze(2)).add(1));
  const perSample = hinge.mul(w).sum([1, 2]).div(c);
  return applyReduction(op, input.ndim === 1 ? perSample.reshape([]) : perSample, options.reduction);
}

/**
 * Multi-label one-versus-all logistic loss of scores [N, C] and 0/1 targets: the mean over
 * classes of the (optionally class-weighted) binary cross-entropy with logits.
 */
export function multilabelSoftMarginLoss(
  input: Tensor,
  target: Tensor,
  options: LossOptions & { weight?: Tensor | null } = {},
): Tensor {
  const op = 'multilabelSoftMarginLoss';
  if (input.ndim === 0 || fmtShape(input.shape) !== fmtShape(target.shape)) {
    throw new ShapeError(
      `${op}: expected input and target of the same shape, got ${fmtShape(input.shape)} and ${fmtShape(target.shape)}`,
    );
  }
  let loss = target
    .mul(logSigmoid(input))
    .add(target.neg().add(1).mul(logSigmoid(input.neg())))
    .neg();
  if (options.weight) loss = loss.mul(options.weight);
  const perSample = loss.sum(-1).div(input.shape[input.ndim - 1]!);
  return applyReduction(op, perSample, options.reduction);
}
