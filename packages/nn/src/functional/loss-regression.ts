import { fmtShape, ShapeError, type Tensor, TorchletError, where } from '@torchlet/tensor';
import { applyReduction, type Reduction } from './reduction.js';

/** Options shared by every loss. */
export interface LossOptions {
  /** 'mean' (default), 'sum' or 'none' (per-element losses). */
  reduction?: Reduction;
}

/** Mean squared error: mean((input − target)²). */
export function mseLoss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  return applyReduction('mseLoss', input.sub(target).square(), options.reduction);
}

/** Mean absolute error: mean(|input − target|). */
export function l1Loss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  return applyReduction('l1Loss', input.sub(target).abs(), options.reduction);
}

/** Quadratic below `beta` (0.5·d²/β), linear above (|d| − 0.5·β); β = 0 is the L1 loss. */
export function smoothL1Loss(
  input: Tensor,
  target: Tensor,
  options: LossOptions & { beta?: number } = {},
): Tensor {
  const beta = options.beta ?? 1;
  if (beta < 0) throw new TorchletError(`smoothL1Loss: beta must be non-negative, got ${beta}`);
  const d = input.sub(target).abs();
  const loss = beta === 0 ? d : where(d.lt(beta), d.square().mul(0.5 / beta), d.sub(0.5 * beta));
  return applyReduction('smoothL1Loss', loss, options.reduction);
}

/** Huber loss: 0.5·d² below `delta`, δ·(|d| − 0.5·δ) above (smooth L1 scaled by δ). */
export function huberLoss(
  input: Tensor,
  target: Tensor,
  options: LossOptions & { delta?: number } = {},
): Tensor {
  const delta = options.delta ?? 1;
  if (!(delta > 0)) throw new TorchletError(`huberLoss: delta must be positive, got ${delta}`);
  const d = input.sub(target).abs();
  const loss = where(d.lt(delta), d.square().mul(0.5), d.sub(0.5 * delta).mul(delta));
  return applyReduction('huberLoss', loss, options.reduction);
}

/** Options of {@link poissonNllLoss} (`F.poisson_nll_loss`). */
export interface PoissonNLLOptions extends LossOptions {
  /** The input is log(rate) (default true), else the rate itself. */
  logInput?: boolean;
  /** Add Stirling's approximation of log(target!) (default false). */
  full?: boolean;
  /** Added to the rate before its log when `logInput` is false (default 1e-8). */
  eps?: number;
}

/** Negative log-likelihood of `target` under Poisson(rate given by `input`). */
export function poissonNllLoss(input: Tensor, target: Tensor, options: PoissonNLLOptions = {}): Tensor {
  const { logInput = true, full = false, eps = 1e-8 } = options;
  let loss = logInput ? input.exp().sub(target.mul(input)) : input.sub(target.mul(input.add(eps).log()));
  if (full) {
    const safe = where(target.gt(1), target, 1);
    const stirling = safe
      .mul(safe.log())
      .sub(safe)
      .add(
        safe
          .mul(2 * Math.PI)
          .log()
          .mul(0.5),
      );
    loss = loss.add(where(target.gt(1), stirling, 0));
  }
  return applyReduction('poissonNllLoss', loss, options.reduction);
}

/** Options of {@link gaussianNllLoss} (`F.gaussian_nll_loss`). */
export interface GaussianNLLOptions extends LossOptions {
  /** Add the constant 0.5·log(2π) (default false). */
  full?: boolean;
  /** Variances are clamped to at least this, without blocking their gradient (default 1e-6). */
  eps?: number;
}

/**
 * Negative log-likelihood of `target` under N(input, var): 0.5·(log var + (input − target)²/var).
 * `var` has the input's shape, or lacks (or has size 1 in) its last dim.
 */
export function gaussianNllLoss(
  input: Tensor,
  target: Tensor,
  variance: Tensor,
  options: GaussianNLLOptions = {},
): Tensor {
  const { full = false, eps = 1e-6 } = options;
  let v = variance;
  const inShape = fmtShape(input.shape);
  if (fmtShape(v.shape) !== inShape) {
    const lead = fmtShape(input.shape.slice(0, -1));
    if (fmtShape(v.shape) === lead) v = v.unsqueeze(-1);
    else if (!(fmtShape(v.shape.slice(0, -1)) === lead && v.shape[v.ndim - 1] === 1)) {
      throw new ShapeError(
        `gaussianNllLoss: var of shape ${fmtShape(v.shape)} does not fit input of shape ${inShape}`,
      );
    }
  }
  if (v.lt(0).any().item()) throw new TorchletError('gaussianNllLoss: var has negative entries');
  // Clamped in value only: PyTorch clamps a copy under no_grad, so the gradient passes unchanged.
  v = v.add(v.clamp(eps).sub(v).detach());
  let loss = v.log().add(input.sub(target).square().div(v)).mul(0.5);
  if (full) loss = loss.add(0.5 * Math.log(2 * Math.PI));
  return applyReduction('gaussianNllLoss', loss, options.reduction);
}
