import { fmtShape, ShapeError } from '../../errors.js';
import { broadcastShapes, normalizeDim } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { tensor } from '../creation.js';
import { einsum } from '../einsum.js';
import { resultType } from '../promotion.js';

/** ε_ijk, the Levi-Civita symbol: c_i = ε_ijk a_j b_k is the cross product. */
const LEVI_CIVITA = [
  [
    [0, 0, 0],
    [0, 0, 1],
    [0, -1, 0],
  ],
  [
    [0, 0, -1],
    [0, 0, 0],
    [1, 0, 0],
  ],
  [
    [0, 1, 0],
    [-1, 0, 0],
    [0, 0, 0],
  ],
];

/**
 * Cross product of 3-vectors along `dim` (default −1), broadcasting the other dims, as
 * `torch.linalg.cross`.
 */
export function cross(a: Tensor, b: Tensor, dim = -1): Tensor {
  const shape = broadcastShapes('linalg.cross', a.shape, b.shape);
  const d = normalizeDim(dim, shape.length, 'linalg.cross');
  const lead = (t: Tensor) => shape.length - t.ndim;
  for (const t of [a, b]) {
    if (t.shape[d - lead(t)] !== 3) {
      throw new ShapeError(
        `linalg.cross: inputs must have size 3 along dim ${dim}, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`,
      );
    }
  }
  const eps = tensor(LEVI_CIVITA, { dtype: resultType([a, b]), device: a.device });
  const move = (t: Tensor) => t.movedim(d - lead(t), -1);
  return einsum('ijk,...j,...k->...i', eps, move(a), move(b)).movedim(-1, d);
}
