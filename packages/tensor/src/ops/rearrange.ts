import { fmtShape, ShapeError, TorchletError } from '../errors.js';
import { normalizeDim } from '../shape.js';
import { fromTypedArray, type Tensor } from '../tensor.js';
import { flip } from './copy-ops.js';
import { indexSelect } from './gather-scatter.js';
import { cat } from './join.js';
import { installMethods } from './methods.js';

/**
 * Rotates by 90° `k` times in the plane of `dims`, from the first dim toward the second, as
 * `torch.rot90` (negative `k` rotates the other way).
 */
export function rot90(x: Tensor, k = 1, dims: readonly [number, number] = [0, 1]): Tensor {
  if (dims.length !== 2) throw new TorchletError(`rot90: expected 2 dims, got ${dims.length}`);
  if (x.ndim < 2) throw new ShapeError(`rot90: expected at least 2 dims, got shape ${fmtShape(x.shape)}`);
  const d0 = normalizeDim(dims[0], x.ndim, 'rot90');
  const d1 = normalizeDim(dims[1], x.ndim, 'rot90');
  if (d0 === d1) throw new TorchletError(`rot90: the two dims must differ, got ${dims[0]} and ${dims[1]}`);
  const turns = ((k % 4) + 4) % 4;
  if (turns === 1) return flip(x, d1).transpose(d0, d1);
  if (turns === 2) return flip(x, [d0, d1]);
  if (turns === 3) return flip(x, d0).transpose(d0, d1);
  return x.clone();
}

/**
 * Repeats each element `repeats` times along `dim` (of the flattened tensor when omitted), as
 * `torch.repeat_interleave`; `repeats` may be a 1-D int32 tensor with one count per element.
 * @example repeatInterleave(tensor([1, 2]), 2).toArray(); // [1, 1, 2, 2]
 */
export function repeatInterleave(x: Tensor, repeats: number | Tensor, dim?: number): Tensor {
  const t = dim === undefined ? x.reshape([-1]) : x;
  const d = dim === undefined ? 0 : normalizeDim(dim, t.ndim, 'repeatInterleave');
  const n = t.ndim === 0 ? 1 : t.shape[d]!;
  if (typeof repeats !== 'number' && repeats.ndim > 1) {
    throw new ShapeError(
      `repeatInterleave: repeats must be 0-d or 1-D, got shape ${fmtShape(repeats.shape)}`,
    );
  }
  const given = typeof repeats === 'number' ? [repeats] : Array.from(repeats.dataSync());
  // A single count applies to every element.
  const counts = given.length === 1 ? new Array<number>(n).fill(given[0]!) : given;
  if (counts.length !== n) {
    throw new ShapeError(`repeatInterleave: repeats has ${counts.length} counts but dim ${d} has size ${n}`);
  }
  const total = counts.reduce((s, c) => {
    if (!Number.isInteger(c) || c < 0)
      throw new TorchletError(`repeatInterleave: repeats must be non-negative integers, got ${c}`);
    return s + c;
  }, 0);
  const index = new Int32Array(total);
  let w = 0;
  counts.forEach((c, i) => {
    index.fill(i, w, w + c);
    w += c;
  });
  return indexSelect(t, d, fromTypedArray(index, [total], 'int32', x.device));
}

/**
 * The `n`-th forward difference along `dim` (default last), as `torch.diff`: out[i] = x[i + 1] − x[i],
 * with `prepend`/`append` joined along `dim` first. Bool inputs give logical xor, as PyTorch.
 */
export function diff(
  x: Tensor,
  n = 1,
  dim = -1,
  options: { prepend?: Tensor; append?: Tensor } = {},
): Tensor {
  if (x.ndim === 0) throw new ShapeError('diff: expected at least 1 dim, got a 0-d tensor');
  if (!Number.isInteger(n) || n < 0)
    throw new TorchletError(`diff: order must be a non-negative integer, got ${n}`);
  const d = normalizeDim(dim, x.ndim, 'diff');
  let t = x;
  if (options.prepend || options.append) {
    t = cat(
      [...(options.prepend ? [options.prepend] : []), x, ...(options.append ? [options.append] : [])],
      d,
    );
  }
  for (let i = 0; i < n && t.shape[d]! > 0; i++) {
    const len = t.shape[d]! - 1;
    const hi = t.narrow(d, 1, len);
    const lo = t.narrow(d, 0, len);
    t = t.dtype === 'bool' ? hi.logicalXor(lo) : hi.sub(lo);
  }
  return t;
}

installMethods({ rot90, repeatInterleave, diff });

declare module '../tensor.js' {
  interface Tensor {
    /** Rotates by 90° `k` times in the plane of `dims` (default [0, 1]). */
    rot90(k?: number, dims?: readonly [number, number]): Tensor;
    /** Repeats each element `repeats` times along `dim` (flattened when omitted). */
    repeatInterleave(repeats: number | Tensor, dim?: number): Tensor;
    /** The `n`-th forward difference along `dim`. */
    diff(n?: number, dim?: number, options?: { prepend?: Tensor; append?: Tensor }): Tensor;
  }
}
