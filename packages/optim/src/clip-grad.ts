import { noGrad, scalarTensor, Tensor, TorchletError } from '@torchlet/tensor';

/** Parameters as `clipGradNorm_` and friends accept them: one tensor or any iterable. */
export type ParamsLike = Tensor | Iterable<Tensor>;

function paramList(params: ParamsLike): Tensor[] {
  return params instanceof Tensor ? [params] : [...params];
}

/** Options of {@link clipGradNorm_}. */
export interface ClipGradNormOptions {
  /** Order of the norm: 2 (default), 1, any p > 0, or `Infinity` for the largest absolute entry. */
  normType?: number;
  /** Throw when the total norm is NaN or infinite instead of scaling by it (default false). */
  errorIfNonfinite?: boolean;
}

/** The p-norm of `g`, as a 0-d tensor. */
function norm(g: Tensor, p: number): Tensor {
  if (p === Number.POSITIVE_INFINITY) return g.abs().amax();
  if (p === 2) return g.mul(g).sum().sqrt();
  if (p === 1) return g.abs().sum();
  return g
    .abs()
    .pow(scalarTensor(p, g.dtype, g.device))
    .sum()
    .pow(scalarTensor(1 / p, g.dtype, g.device));
}

/**
 * Rescales gradients so their combined norm is at most `maxNorm`, as
 * `torch.nn.utils.clip_grad_norm_`, and returns the total norm before clipping (a 0-d tensor).
 * Each `.grad` is replaced by the scaled gradient rather than written in place, because
 * the autograd engine may share one gradient tensor between several leaves.
 *
 * @example
 * loss.backward();
 * const total = clipGradNorm_(params, 1.0); // total.item() is the norm before clipping
 * opt.step();
 */
export function clipGradNorm_(
  params: ParamsLike,
  maxNorm: number,
  options: ClipGradNormOptions = {},
): Tensor {
  const p = options.normType ?? 2;
  if (!(p > 0))
    throw new TorchletError(`clipGradNorm_: invalid normType ${p} (expected a positive number or Infinity)`);
  if (!(maxNorm >= 0))
    throw new TorchletError(`clipGradNorm_: invalid maxNorm ${maxNorm} (expected maxNorm >= 0)`);
  const withGrad = paramList(params).filter((t) => t.grad !== null);
  if (withGrad.length === 0) return scalarTensor(0, 'float32');
  return noGrad(() => {
    const norms = withGrad.map((t) => norm(t.grad!, p));
    let total: Tensor;
    if (p === Number.POSITIVE_INFINITY) total = norms.reduce((a, b) => a.maximum(b));
    else if (p === 1) total = norms.reduce((a, b) => a.add(b));
    else {
      const exponent = (x: Tensor, e: number) => (e === 1 ? x : x.pow(scalarTensor(e, x.dtype, x.device)));
      total = exponent(
        norms.map((n) => exponent(n, p)).reduce((a, b) => a.add(b)),
        1 / p,
      );
    }
    if (options.errorIfNonfinite && !Number.isFinite(total.item())) {
      throw new TorchletError(
        `clipGradNorm_: the total norm of order ${p} of the gradients is non-finite (${total.item()}), so it cannot be clipped; pass errorIfNonfinite: false to scale by it anyway`,
      );
    }
    const one = scalarTensor(1, total.dtype, total.device);
    const coef = scalarTensor(maxNorm, total.dtype, total.device)
      .div(total.add(scalarTensor(1e-6, total.dtype, total.device)))
      .minimum(one);
    for (const t of withGrad) t.grad = t.grad!.mul(coef.to(t.grad!.dtype));
    return total;
  });
}

/**
 * Clamps every gradient entry into [−clipValue, clipValue], as `torch.nn.utils.clip_grad_value_`
 * (replacing each `.grad`, see {@link clipGradNorm_}).
 */
export function clipGradValue_(params: ParamsLike, clipValue: number): void {
  if (!(clipValue >= 0)) {
    throw new TorchletError(`clipGradValue_: invalid clipValue ${clipValue} (expected clipValue >= 0)`);
  }
  noGrad(() => {
    for (const t of paramList(params)) {
      if (t.grad !== null) t.grad = t.grad.clamp(-clipValue, clipValue);
    }
  });
}
