import {
  avgPool1d,
  avgPool2d,
  DTypeError,
  fmtShape,
  IndexError,
  ShapeError,
  scatter,
  type Tensor,
  TorchletError,
  zeros,
} from '@torchlet/tensor';

type Size = number | readonly number[];

function tuple(op: string, what: string, v: Size, n: number): number[] {
  const list = typeof v === 'number' ? new Array<number>(n).fill(v) : [...v];
  if (list.length !== n || list.some((s) => !Number.isInteger(s) || s < 0)) {
    throw new TorchletError(
      `${op}: ${what} must be a non-negative integer or ${n} of them, got ${String(v)}`,
    );
  }
  return list;
}

/** Options of {@link lpPool1d} / {@link lpPool2d}. */
export interface LPPoolOptions {
  /** Defaults to `kernelSize`. */
  stride?: Size;
  ceilMode?: boolean;
}

/**
 * (Σ_window x^p)^(1/p), as PyTorch computes it: p-th powers averaged by `avgPool`, scaled back by
 * the window size (so windows clipped by `ceilMode` are scaled as PyTorch scales them).
 */
function lpPool(
  op: string,
  x: Tensor,
  normType: number,
  kernelSize: Size,
  options: LPPoolOptions,
  dims: number,
) {
  if (!(normType > 0)) throw new TorchletError(`${op}: normType must be positive, got ${normType}`);
  const k = tuple(op, 'kernelSize', kernelSize, dims);
  const pool = { kernelSize: k, stride: options.stride ?? k, ceilMode: options.ceilMode ?? false };
  const powered = x.pow(normType);
  const out = dims === 1 ? avgPool1d(powered, pool) : avgPool2d(powered, pool);
  const windowSize = k.reduce((a, b) => a * b, 1);
  // sign · relu(|out|): PyTorch's form, which gives a zero gradient where a window's sum is 0.
  return out
    .sign()
    .mul(out.abs().relu())
    .mul(windowSize)
    .pow(1 / normType);
}

/**
 * Power-average pooling of [N, C, L] or [C, L] input: (Σ_window x^p)^(1/p) (p = 1 is sum pooling,
 * p = ∞ max pooling in the limit), as `torch.nn.functional.lp_pool1d`.
 */
export function lpPool1d(
  x: Tensor,
  normType: number,
  kernelSize: number,
  options: LPPoolOptions = {},
): Tensor {
  return lpPool('lpPool1d', x, normType, kernelSize, options, 1);
}

/**
 * Power-average pooling of [N, C, H, W] or [C, H, W] input, as `torch.nn.functional.lp_pool2d`.
 *
 * @example
 * lpPool2d(x, 2, 3, { stride: 2 }); // the L2 norm of each 3×3 window
 */
export function lpPool2d(x: Tensor, normType: number, kernelSize: Size, options: LPPoolOptions = {}): Tensor {
  return lpPool('lpPool2d', x, normType, kernelSize, options, 2);
}

/** Options of {@link maxUnpool1d} / {@link maxUnpool2d}. */
export interface MaxUnpoolOptions {
  /** Defaults to `kernelSize`. */
  stride?: Size;
  padding?: Size;
  /** The spatial output size (trailing dims of a full shape are taken); defaults to the size the pooling came from. */
  outputSize?: readonly number[];
}

function maxUnpool(
  op: string,
  x: Tensor,
  indices: Tensor,
  kernelSize: Size,
  options: MaxUnpoolOptions,
  dims: number,
): Tensor {
  if (indices.dtype !== 'int32') throw new DTypeError(`${op}: indices must be int32, got ${indices.dtype}`);
  if (x.ndim !== dims + 1 && x.ndim !== dims + 2) {
    throw new ShapeError(
      `${op}: expected a ${dims + 1}-D or ${dims + 2}-D input, got shape ${fmtShape(x.shape)}`,
    );
  }
  if (fmtShape(indices.shape) !== fmtShape(x.shape)) {
    throw new ShapeError(
      `${op}: indices of shape ${fmtShape(indices.shape)} must have the input's shape ${fmtShape(x.shape)}`,
    );
  }
  const k = tuple(op, 'kernelSize', kernelSize, dims);
  const stride = tuple(op, 'stride', options.stride ?? k, dims);
  const padding = tuple(op, 'padding', options.padding ?? 0, dims);
  const inSize = x.shape.slice(-dims);
  const outSize =
    options.outputSize !== undefined
      ? options.outputSize.slice(-dims)
      : inSize.map((s, i) => (s - 1) * stride[i]! - 2 * padding[i]! + k[i]!);
  if (outSize.length !== dims || outSize.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new ShapeError(
      `${op}: invalid output size ${fmtShape(outSize)} for input of shape ${fmtShape(x.shape)}`,
    );
  }
  const lead = x.shape.slice(0, -dims);
  const planeSize = outSize.reduce((a, b) => a * b, 1);
  const flatIdx = indices.reshape([...lead, -1]);
  if (flatIdx.numel() > 0) {
    const lo = flatIdx.amin().item();
    const hi = flatIdx.amax().item();
    if (lo < 0 || hi >= planeSize) {
      throw new IndexError(
        `${op}: found an invalid max index ${lo < 0 ? lo : hi} (output planes are of size ${outSize.join('x')})`,
      );
    }
  }
  const base = zeros([...lead, planeSize], { dtype: x.dtype, device: x.device });
  return scatter(base, -1, flatIdx, x.reshape([...lead, -1])).reshape([...lead, ...outSize]);
}

/**
 * The partial inverse of `maxPool1d`: puts each value at the position its index names and zeros
 * elsewhere, as `torch.nn.functional.max_unpool1d`.
 */
export function maxUnpool1d(
  x: Tensor,
  indices: Tensor,
  kernelSize: number,
  options: MaxUnpoolOptions = {},
): Tensor {
  return maxUnpool('maxUnpool1d', x, indices, kernelSize, options, 1);
}

/**
 * The partial inverse of `maxPool2d` (given its `returnIndices` output), as
 * `torch.nn.functional.max_unpool2d`.
 *
 * @example
 * const [v, i] = maxPool2d(x, { kernelSize: 2, returnIndices: true });
 * maxUnpool2d(v, i, 2).shape; // x.shape (for even sizes)
 */
export function maxUnpool2d(
  x: Tensor,
  indices: Tensor,
  kernelSize: Size,
  options: MaxUnpoolOptions = {},
): Tensor {
  return maxUnpool('maxUnpool2d', x, indices, kernelSize, options, 2);
}
