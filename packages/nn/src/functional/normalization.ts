import { avgPool2d, fmtShape, noGrad, pad, ShapeError, type Tensor, TorchletError } from '@torchlet/tensor';

/** Reshapes a per-channel vector so it broadcasts over dim 1 of an `ndim`-dim input. */
export function perChannel(v: Tensor, ndim: number): Tensor {
  return v.reshape([v.numel(), ...new Array<number>(Math.max(ndim - 2, 0)).fill(1)]);
}

/** (x − mean) / √(var + eps) with biased statistics over `dims`. */
function standardize(x: Tensor, dims: number[], eps: number): { y: Tensor; mean: Tensor; var: Tensor } {
  const mean = x.mean(dims, true);
  const centered = x.sub(mean);
  const v = centered.square().mean(dims, true);
  return { y: centered.div(v.add(eps).sqrt()), mean, var: v };
}

function affine(
  y: Tensor,
  weight: Tensor | null | undefined,
  bias: Tensor | null | undefined,
  ndim: number,
): Tensor {
  let out = y;
  if (weight) out = out.mul(perChannel(weight, ndim));
  if (bias) out = out.add(perChannel(bias, ndim));
  return out;
}

/**
 * Options of {@link batchNorm} (`F.batch_norm`); `weight`/`bias` are the per-channel affine [C], `eps`
 * defaults to 1e-5.
 */
export interface BatchNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  /** Use batch statistics and update the running ones (default false). */
  training?: boolean;
  /** Weight of the new batch in the running averages (default 0.1). */
  momentum?: number;
  eps?: number;
}

/**
 * Batch normalization over dim 1 of an [N, C, …] input. In training, normalizes with the batch's
 * biased statistics and moves `runningMean`/`runningVar` (unbiased variance) towards them by
 * `momentum`, in place; otherwise normalizes with the running statistics.
 */
export function batchNorm(
  x: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  options: BatchNormOptions = {},
): Tensor {
  const { weight, bias, training = false, momentum = 0.1, eps = 1e-5 } = options;
  if (x.ndim < 2) throw new ShapeError(`batchNorm: expected at least 2 dims, got shape ${fmtShape(x.shape)}`);
  const dims = [0, ...Array.from({ length: x.ndim - 2 }, (_, i) => i + 2)];
  const n = x.numel() / x.shape[1]!;
  if (training) {
    if (n <= 1) {
      throw new TorchletError(
        `batchNorm: expected more than 1 value per channel when training, got input of shape ${fmtShape(x.shape)}`,
      );
    }
    const { y, mean, var: v } = standardize(x, dims, eps);
    if (runningMean && runningVar) {
      noGrad(() => {
        runningMean.mul_(1 - momentum).add_(mean.detach().reshape([-1]).mul(momentum));
        runningVar.mul_(1 - momentum).add_(
          v
            .detach()
            .reshape([-1])
            .mul((momentum * n) / (n - 1)),
        );
      });
    }
    return affine(y, weight, bias, x.ndim);
  }
  if (!runningMean || !runningVar) {
    throw new TorchletError('batchNorm: running statistics are required outside training');
  }
  const y = x.sub(perChannel(runningMean, x.ndim)).div(perChannel(runningVar, x.ndim).add(eps).sqrt());
  return affine(y, weight, bias, x.ndim);
}

/** The dims `normalizedShape` covers at the end of `x`'s shape; throws if the shape does not end with it. */
function trailingDims(op: string, x: Tensor, normalizedShape: readonly number[]): number[] {
  const k = normalizedShape.length;
  const tail = x.shape.slice(x.ndim - k);
  if (k > x.ndim || tail.some((d, i) => d !== normalizedShape[i])) {
    throw new ShapeError(
      `${op}: input of shape ${fmtShape(x.shape)} does not end with normalizedShape ${fmtShape(normalizedShape)}`,
    );
  }
  return Array.from({ length: k }, (_, i) => x.ndim - k + i);
}

/** Normalizes over the last `normalizedShape.length` dims, then applies elementwise weight and bias. */
export function layerNorm(
  x: Tensor,
  normalizedShape: readonly number[],
  weight?: Tensor | null,
  bias?: Tensor | null,
  eps = 1e-5,
): Tensor {
  const dims = trailingDims('layerNorm', x, normalizedShape);
  let y = standardize(x, dims, eps).y;
  if (weight) y = y.mul(weight);
  if (bias) y = y.add(bias);
  return y;
}

/** Normalizes each group of `numGroups` channel groups of an [N, C, …] input; per-channel affine. */
export function groupNorm(
  x: Tensor,
  numGroups: number,
  weight?: Tensor | null,
  bias?: Tensor | null,
  eps = 1e-5,
): Tensor {
  const c = x.shape[1] ?? 0;
  if (x.ndim < 2 || c % numGroups !== 0) {
    throw new ShapeError(
      `groupNorm: expected an input with channels divisible by ${numGroups} groups, got shape ${fmtShape(x.shape)}`,
    );
  }
  const grouped = x.reshape([x.shape[0]!, numGroups, -1]);
  const y = standardize(grouped, [2], eps).y.reshape(x.shape);
  return affine(y, weight, bias, x.ndim);
}

/**
 * Options of {@link instanceNorm} (`F.instance_norm`); running statistics are read and updated only as in
 * `batchNorm`.
 */
export interface InstanceNormOptions extends BatchNormOptions {
  runningMean?: Tensor | null;
  runningVar?: Tensor | null;
  /** Use each instance's statistics (default true); false uses the running ones. */
  useInputStats?: boolean;
}

/** Normalizes each (sample, channel) over its spatial dims; optional running statistics and affine. */
export function instanceNorm(x: Tensor, options: InstanceNormOptions = {}): Tensor {
  const { runningMean, runningVar, weight, bias, useInputStats = true, momentum = 0.1, eps = 1e-5 } = options;
  if (x.ndim < 3)
    throw new ShapeError(`instanceNorm: expected at least 3 dims, got shape ${fmtShape(x.shape)}`);
  if (!useInputStats) {
    return batchNorm(x, runningMean ?? null, runningVar ?? null, { weight, bias, training: false, eps });
  }
  const dims = Array.from({ length: x.ndim - 2 }, (_, i) => i + 2);
  const { y, mean, var: v } = standardize(x, dims, eps);
  if (runningMean && runningVar) {
    const n = x.numel() / (x.shape[0]! * x.shape[1]!);
    noGrad(() => {
      runningMean.mul_(1 - momentum).add_(mean.detach().mean(0).reshape([-1]).mul(momentum));
      runningVar.mul_(1 - momentum).add_(
        v
          .detach()
          .mean(0)
          .reshape([-1])
          .mul((momentum * n) / Math.max(n - 1, 1)),
      );
    });
  }
  return affine(y, weight, bias, x.ndim);
}

/** Options of {@link localResponseNorm} (PyTorch's defaults). */
export interface LocalResponseNormOptions {
  /** Default 1e-4. */
  alpha?: number;
  /** Default 0.75. */
  beta?: number;
  /** Default 1. */
  k?: number;
}

/**
 * Local response normalization across channels (AlexNet): x / (k + α·mean of x² over `size`
 * neighbouring channels)^β, for [N, C, *] inputs, as `torch.nn.functional.local_response_norm`.
 */
export function localResponseNorm(x: Tensor, size: number, options: LocalResponseNormOptions = {}): Tensor {
  const { alpha = 1e-4, beta = 0.75, k = 1 } = options;
  if (x.ndim < 3) {
    throw new ShapeError(`localResponseNorm: expected 3-D or higher input, got shape ${fmtShape(x.shape)}`);
  }
  if (!Number.isInteger(size) || size < 1)
    throw new TorchletError(`localResponseNorm: size must be a positive integer, got ${size}`);
  const [n, c] = x.shape as [number, number];
  // Channels become the height of a one-plane image, so the window average is an avgPool2d.
  const sq = x.square().reshape([n, 1, c, -1]);
  const padded = pad(sq, [0, 0, Math.floor(size / 2), Math.floor((size - 1) / 2)]);
  const avg = avgPool2d(padded, { kernelSize: [size, 1], stride: 1 }).reshape(x.shape);
  return x.div(avg.mul(alpha).add(k).pow(beta));
}

/** The machine epsilon of a floating dtype (PyTorch's `torch.finfo(dtype).eps`). */
function finfoEps(dtype: Tensor['dtype']): number {
  return dtype === 'float64' ? Number.EPSILON : 2 ** -23;
}

/**
 * Root-mean-square normalization over the trailing `normalizedShape` dims (PyTorch 2.4's
 * `F.rms_norm`): x / √(mean(x²) + eps) · weight; eps defaults to the dtype's machine epsilon.
 */
export function rmsNorm(
  x: Tensor,
  normalizedShape: readonly number[],
  weight?: Tensor | null,
  eps?: number | null,
): Tensor {
  const dims = trailingDims('rmsNorm', x, normalizedShape);
  const y = x.mul(
    x
      .square()
      .mean(dims, true)
      .add(eps ?? finfoEps(x.dtype))
      .rsqrt(),
  );
  return weight ? y.mul(weight) : y;
}
