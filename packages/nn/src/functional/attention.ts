import {
  type DType,
  DTypeError,
  fmtShape,
  full,
  ones,
  ShapeError,
  type Tensor,
  triu,
  zeros,
} from '@torchlet/tensor';
import { dropout } from './dropout.js';

/** Options of {@link scaledDotProductAttention}. */
export interface ScaledDotProductAttentionOptions {
  /**
   * Broadcastable to [..., L, S]. A bool mask marks the pairs that take part in attention (true =
   * attend), as in PyTorch 2's `scaled_dot_product_attention`; a float mask is added to the scores.
   */
  attnMask?: Tensor | null;
  /** Dropout probability on the attention weights (default 0). */
  dropoutP?: number;
  /** Let position i attend only to positions ≤ i (top-left aligned, as PyTorch). */
  isCausal?: boolean;
  /** Factor on q·kᵀ (default 1/√E). */
  scale?: number;
}

/** The attention output together with the (post-dropout) weights, as MultiheadAttention needs both. */
export interface AttentionResult {
  output: Tensor;
  weights: Tensor;
}

function checkQkv(query: Tensor, key: Tensor, value: Tensor): void {
  const e = query.shape[query.ndim - 1];
  if (query.ndim < 2 || key.ndim < 2 || value.ndim < 2 || key.shape[key.ndim - 1] !== e) {
    throw new ShapeError(
      `scaledDotProductAttention: expected query [..., L, E], key [..., S, E] and value [..., S, Ev], got ${fmtShape(query.shape)}, ${fmtShape(key.shape)} and ${fmtShape(value.shape)}`,
    );
  }
  if (key.shape[key.ndim - 2] !== value.shape[value.ndim - 2]) {
    throw new ShapeError(
      `scaledDotProductAttention: key and value must have the same length, got ${fmtShape(key.shape)} and ${fmtShape(value.shape)}`,
    );
  }
}

/**
 * softmax(q·kᵀ·scale + mask)·v with the weights returned too. `attnMask` follows
 * {@link ScaledDotProductAttentionOptions}; `training` gates the dropout.
 */
export function attentionWithWeights(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  options: ScaledDotProductAttentionOptions & { training?: boolean } = {},
): AttentionResult {
  checkQkv(query, key, value);
  const { attnMask, dropoutP = 0, isCausal = false, training = true } = options;
  const scale = options.scale ?? 1 / Math.sqrt(query.shape[query.ndim - 1]!);
  let scores = query.matmul(key.transpose(-2, -1)).mul(scale);
  if (isCausal) {
    const [l, s] = scores.shape.slice(-2) as [number, number];
    scores = scores.maskedFill(triu(ones([l, s], { dtype: 'bool' }), 1), -Infinity);
  }
  if (attnMask) {
    if (attnMask.dtype === 'bool') scores = scores.maskedFill(attnMask.logicalNot(), -Infinity);
    else if (attnMask.dtype === 'float32' || attnMask.dtype === 'float64') scores = scores.add(attnMask);
    else
      throw new DTypeError(
        `scaledDotProductAttention: attnMask must be bool or float, got ${attnMask.dtype}`,
      );
  }
  let weights = scores.softmax(-1);
  if (dropoutP > 0) weights = dropout(weights, dropoutP, training);
  return { output: weights.matmul(value), weights };
}

/**
 * Attention as PyTorch 2's `F.scaled_dot_product_attention`: softmax(q·kᵀ/√E + mask)·v over
 * query [..., L, E], key [..., S, E], value [..., S, Ev], giving [..., L, Ev].
 *
 * @example
 * const out = F.scaledDotProductAttention(q, k, v, { isCausal: true });
 */
export function scaledDotProductAttention(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  options: ScaledDotProductAttentionOptions = {},
): Tensor {
  return attentionWithWeights(query, key, value, options).output;
}

/**
 * The [size, size] float mask that keeps position i from attending to positions after it: 0 on
 * and below the diagonal, −∞ above (PyTorch's `Transformer.generate_square_subsequent_mask`).
 */
export function causalMask(size: number, options: { dtype?: DType } = {}): Tensor {
  const dtype = options.dtype ?? 'float32';
  return triu(full([size, size], -Infinity, { dtype }), 1);
}

/**
 * A mask for MultiheadAttention as an additive float tensor: bool masks (true = not allowed, the
 * MultiheadAttention convention) become −∞ where true and 0 elsewhere; float masks pass through.
 */
export function additiveMask(op: string, mask: Tensor, dtype: DType): Tensor {
  if (mask.dtype === 'bool') return zeros(mask.shape, { dtype }).maskedFill(mask, -Infinity);
  if (mask.dtype !== 'float32' && mask.dtype !== 'float64') {
    throw new DTypeError(`${op}: only bool and floating masks are supported, got ${mask.dtype}`);
  }
  return mask.dtype === dtype ? mask : mask.to(dtype);
}
