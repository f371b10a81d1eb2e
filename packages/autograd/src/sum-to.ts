import { type Shape, shapesEqual, type Tensor } from '@torchlet/tensor';

/**
 * Sums a broadcast gradient back to `shape`: over the leading dims broadcasting added and over
 * dims where `shape` has size 1. The adjoint of broadcasting.
 */
export function sumTo(g: Tensor, shape: Shape): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < g.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) dims.push(i);
  }
  const summed = dims.length > 0 ? g.sum(dims, true) : g;
  return summed.reshape([...shape]);
}
