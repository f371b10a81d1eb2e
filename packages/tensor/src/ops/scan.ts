import { record } from '../autograd-hooks.js';
import { run1, runKernel } from '../backend.js';
import { type DType, isFloating } from '../dtype.js';
import { DTypeError } from '../errors.js';
import { normalizeDim } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { installMethods } from './methods.js';
import { type ValuesIndices, valuesIndices } from './reduce.js';

/** Options of the cumulative ops. `reverse` and `exclusive` are torchlet extensions used by gradients. */
export interface ScanOptions {
  /** Convert the input to this dtype first (as PyTorch's `dtype=`). */
  dtype?: DType;
  /** Accumulate from the end of the dim toward its start. */
  reverse?: boolean;
  /** Each output excludes its own element (starts from the identity: 0 for sums, 1 for products). */
  exclusive?: boolean;
}

function scan(
  op: 'cumsum' | 'cumprod' | 'logcumsumexp',
  x: Tensor,
  dim: number,
  options: ScanOptions,
): Tensor {
  const dtype = options.dtype ?? (isFloating(x.dtype) ? x.dtype : 'int32');
  if (op === 'logcumsumexp' && !isFloating(dtype)) {
    throw new DTypeError(`logcumsumexp: expected a floating tensor (float32 or float64), got ${x.dtype}`);
  }
  const input = x.dtype === dtype ? x : x.to(dtype);
  // A 0-d tensor scans as a 1-element vector.
  const d = x.ndim === 0 ? 0 : normalizeDim(dim, x.ndim, op);
  const attrs = { dim: d, reverse: options.reverse ?? false, exclusive: options.exclusive ?? false, dtype };
  const flat = x.ndim === 0 ? input.reshape(1) : input;
  const out = run1(op, [flat], attrs);
  return record(op, [input], x.ndim === 0 ? out.reshape([]) : out, attrs);
}

/**
 * Running sum along `dim`; integer and bool inputs give int32 (PyTorch: int64).
 *
 * @example cumsum(tensor([1, 2, 3]), 0) // [1, 3, 6]
 */
export function cumsum(x: Tensor, dim: number, options: ScanOptions = {}): Tensor {
  return scan('cumsum', x, dim, options);
}

/** Running product along `dim`; its gradient is exact where the input has zeros. */
export function cumprod(x: Tensor, dim: number, options: ScanOptions = {}): Tensor {
  return scan('cumprod', x, dim, options);
}

/** log Σ_{j ≤ i} exp(x_j) along `dim`, computed stably. */
export function logcumsumexp(x: Tensor, dim: number, options: Omit<ScanOptions, 'exclusive'> = {}): Tensor {
  return scan('logcumsumexp', x, dim, options);
}

function cumExtreme(op: 'cummax' | 'cummin', x: Tensor, dim: number): ValuesIndices {
  const d = x.ndim === 0 ? 0 : normalizeDim(dim, x.ndim, op);
  const input = x.ndim === 0 ? x.reshape(1) : x;
  let [values, indices] = runKernel(op, [input], { dim: d }) as Tensor[];
  if (x.ndim === 0) [values, indices] = [values!.reshape([]), indices!.reshape([])];
  record(op, [x], [values!, indices!], { dim: d });
  return valuesIndices(values!, indices!);
}

/** Running maximum along `dim` and the int32 index where each was attained (ties take the later). */
export function cummax(x: Tensor, dim: number): ValuesIndices {
  return cumExtreme('cummax', x, dim);
}

/** Running minimum along `dim` and its int32 indices; see {@link cummax}. */
export function cummin(x: Tensor, dim: number): ValuesIndices {
  return cumExtreme('cummin', x, dim);
}

installMethods({ cumsum, cumprod, logcumsumexp, cummax, cummin });

declare module '../tensor.js' {
  interface Tensor {
    /** Running sum along `dim`; int32 and bool give int32 (PyTorch: int64). */
    cumsum(dim: number, options?: ScanOptions): Tensor;
    /** Running product along `dim`. */
    cumprod(dim: number, options?: ScanOptions): Tensor;
    /** Running log Σ exp along `dim`, computed stably. */
    logcumsumexp(dim: number, options?: Omit<ScanOptions, 'exclusive'>): Tensor;
    /** Running maximum along `dim` with int32 indices (ties take the later). */
    cummax(dim: number): ValuesIndices;
    /** Running minimum along `dim` with int32 indices (ties take the later). */
    cummin(dim: number): ValuesIndices;
  }
}
