import { record } from '../autograd-hooks.js';
import { run1 } from '../backend.js';
import { type DType, isFloating } from '../dtype.js';
import { DTypeError } from '../errors.js';
import { normalizeDim } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { neg } from './elementwise.js';
import { installMethods } from './methods.js';

function softmaxInput(op: string, x: Tensor, dtype: DType | undefined): Tensor {
  const target = dtype ?? x.dtype;
  if (!isFloating(target)) {
    throw new DTypeError(
      `${op}: expected a floating tensor (float32 or float64), got ${x.dtype}; pass a dtype`,
    );
  }
  return target === x.dtype ? x : x.to(target);
}

function fused(op: 'softmax' | 'logSoftmax', x: Tensor, dim: number, dtype: DType | undefined): Tensor {
  const input = softmaxInput(op, x, dtype);
  const d = normalizeDim(dim, x.ndim, op);
  return record(op, [input], run1(op, [input], { dim: d }), { dim: d });
}

/**
 * exp(x) / Σ exp(x) along `dim`, fused and shifted by the maximum so large inputs do not
 * overflow; a row of −∞ gives NaN as in PyTorch. `dtype` converts the input first.
 *
 * @example softmax(logits, -1)
 */
export function softmax(x: Tensor, dim: number, dtype?: DType): Tensor {
  return fused('softmax', x, dim, dtype);
}

/** log(softmax(x)) along `dim`, computed as x − max − log Σ exp(x − max) (no log of 0). */
export function logSoftmax(x: Tensor, dim: number, dtype?: DType): Tensor {
  return fused('logSoftmax', x, dim, dtype);
}

/** softmax(−x) along `dim`. */
export function softmin(x: Tensor, dim: number, dtype?: DType): Tensor {
  return softmax(neg(softmaxInput('softmin', x, dtype)), dim);
}

installMethods({ softmax, logSoftmax, softmin });

declare module '../tensor.js' {
  interface Tensor {
    /** exp(x) / Σ exp(x) along `dim`, max-shifted; `dtype` converts the input first. */
    softmax(dim: number, dtype?: DType): Tensor;
    /** log(softmax(x)) along `dim`, computed without taking log of 0. */
    logSoftmax(dim: number, dtype?: DType): Tensor;
    /** softmax(−x) along `dim`. */
    softmin(dim: number, dtype?: DType): Tensor;
  }
}
