import { allocArray, fromTypedArray, numelOf, type Shape, type Tensor, zeros } from '@torchlet/tensor';
import { defineFunction } from './function.js';

/** Row i of the identity as a [1, n] tensor: selects row i of an [n, m] matrix by matmul. */
function unitRow(i: number, n: number, like: Tensor): Tensor {
  const values = allocArray(like.dtype, n);
  values[i] = 1;
  return fromTypedArray(values, [1, n], like.dtype, like.device);
}

// The backward selects rows with matmul (which has a rule) so the result is differentiable again,
// as the Hessian (a Jacobian of a gradient) needs.
const stackFn = defineFunction({
  name: 'stackRows',
  forward(_ctx, ...rows: Tensor[]): Tensor {
    const first = rows[0]!;
    const m = first.numel();
    const values = allocArray(first.dtype, rows.length * m);
    rows.forEach((r, i) => {
      values.set(r.dataSync(), i * m);
    });
    return fromTypedArray(values, [rows.length, ...first.shape], first.dtype, first.device);
  },
  backward(ctx, g) {
    const n = ctx.needsInputGrad.length;
    const rowShape = g!.shape.slice(1);
    const matrix = g!.reshape([n, numelOf(rowShape)]);
    return ctx.needsInputGrad.map((needed, i) =>
      needed ? unitRow(i, n, g!).matmul(matrix).reshape(rowShape) : null,
    );
  },
});

/**
 * Stacks tensors of one shape along a new leading dim, differentiably. Used by `jacobian` to
 * assemble rows; `rowShape` gives the result's shape when there are no rows.
 */
export function stackRows(rows: readonly Tensor[], rowShape: Shape, like: Tensor): Tensor {
  if (rows.length === 0) return zeros([0, ...rowShape], { dtype: like.dtype, device: like.device });
  return stackFn(...rows);
}
