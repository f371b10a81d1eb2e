import { allocArray, type DType, type TypedArray } from '../../dtype.js';
import { TorchletError } from '../../errors.js';
import type { Shape } from '../../shape.js';
import { copyStrided, Tensor } from '../../tensor.js';
import { wrapCpu } from '../backend.js';

/**
 * A batch of matrices copied into one float64 row-major buffer: matrix `b` starts at
 * `b * rows * cols`. Decompositions run in float64 whatever the input dtype, then cast back, so
 * float32 results are as accurate as float32 can hold.
 */
export interface MatrixBatch {
  data: Float64Array;
  /** Leading (batch) dims of the input. */
  batch: number[];
  count: number;
  rows: number;
  cols: number;
}

/** Copies the `[..., rows, cols]` tensor `x` (any layout) into a dense float64 batch. */
export function readMatrices(x: Tensor): MatrixBatch {
  const rows = x.shape[x.ndim - 2]!;
  const cols = x.shape[x.ndim - 1]!;
  const batch = x.shape.slice(0, -2);
  const count = batch.reduce((a, b) => a * b, 1);
  const data = new Float64Array(count * rows * cols);
  copyStrided(x.storage.data as TypedArray, x.offset, x.shape, x.strides, data);
  return { data, batch, count, rows, cols };
}

/** Wraps float64 results as a CPU tensor of `dtype` (cast when it is not float64). */
export function toTensor(values: Float64Array, shape: Shape, dtype: DType): Tensor {
  let data: TypedArray = values;
  if (dtype !== 'float64') {
    data = allocArray(dtype, values.length);
    data.set(values);
  }
  return new Tensor(wrapCpu(data, dtype), [...shape]);
}

/**
 * Error for a failed factorization of batch element `b`, worded as PyTorch words it: the batch
 * element is named only when the input is batched.
 */
export function batchError(op: string, batched: boolean, b: number, message: string): TorchletError {
  return new TorchletError(`${op}: ${batched ? `(Batch element ${b}): ` : ''}${message}`);
}
