import { DTypeError, indexSelect, type Tensor, where } from '@torchlet/tensor';

/**
 * Looks up rows of `weight` by the int32 indices in `input`: the result has shape
 * `[...input.shape, embeddingDim]`. The row at `paddingIdx` receives no gradient.
 */
export function embedding(
  input: Tensor,
  weight: Tensor,
  options: { paddingIdx?: number | null } = {},
): Tensor {
  if (input.dtype !== 'int32') {
    throw new DTypeError(`embedding: indices must be int32, got ${input.dtype}`);
  }
  const rows = indexSelect(weight, 0, input.reshape([-1]));
  const out = rows.reshape([...input.shape, weight.shape[1]!]);
  const pad = options.paddingIdx;
  if (pad === undefined || pad === null || !weight.requiresGrad) return out;
  const idx = pad < 0 ? pad + weight.shape[0]! : pad;
  // Same values, but positions that look up the padding row are cut from the graph.
  return where(input.ne(idx).unsqueeze(-1), out, out.detach());
}
