import { type Tensor, TorchletError } from '@torchlet/tensor';

/** How a loss combines its per-element values: kept as they are, averaged, or summed. */
export type Reduction = 'none' | 'mean' | 'sum';

/** Applies `reduction` to per-element losses. */
export function applyReduction(op: string, loss: Tensor, reduction: Reduction = 'mean'): Tensor {
  switch (reduction) {
    case 'none':
      return loss;
    case 'mean':
      return loss.mean();
    case 'sum':
      return loss.sum();
    default:
      throw new TorchletError(`${op}: reduction must be 'none', 'mean' or 'sum', got '${String(reduction)}'`);
  }
}
