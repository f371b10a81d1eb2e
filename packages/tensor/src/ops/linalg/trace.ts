import { record } from '../../autograd-hooks.js';
import { run1 } from '../../backend.js';
import { isFloating } from '../../dtype.js';
import { fmtShape, ShapeError } from '../../errors.js';
import type { Tensor } from '../../tensor.js';

/**
 * Sum of the main diagonal of a 2-D tensor (rectangular allowed), as `torch.trace`. Integer and
 * bool inputs sum to int32.
 * @example trace(tensor([[1, 2], [3, 4]])).item(); // 5
 */
export function trace(x: Tensor): Tensor {
  if (x.ndim !== 2) throw new ShapeError(`trace: expected a matrix (2-D), got shape ${fmtShape(x.shape)}`);
  const dtype = isFloating(x.dtype) ? x.dtype : 'int32';
  return record('trace', [x], run1('trace', [x], { dtype }));
}
