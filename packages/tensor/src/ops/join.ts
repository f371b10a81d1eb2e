import { record } from '../autograd-hooks.js';
import { run1 } from '../backend.js';
import { promoteTypes } from '../dtype.js';
import { fmtShape, ShapeError, TorchletError } from '../errors.js';
import { normalizeDim } from '../shape.js';
import { emptyTensor, type Tensor } from '../tensor.js';
import { installMethods } from './methods.js';
import { identityMap, narrow, narrowMap, viewWithMap } from './subview.js';
import { expand, reshape, unsqueeze } from './view.js';

function nonEmptyList(op: string, tensors: readonly Tensor[]): void {
  if (tensors.length === 0) throw new TorchletError(`${op}: expected a non-empty list of tensors`);
}

/**
 * Joins tensors along an existing dim `dim`; other dims must match. dtypes promote as in
 * PyTorch. 1-D empty tensors are skipped, as PyTorch allows for legacy code.
 * @example cat([zeros([2, 3]), ones([1, 3])])  // shape [3, 3]
 */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  nonEmptyList('cat', tensors);
  const parts = tensors.filter((t) => !(t.ndim === 1 && t.shape[0] === 0));
  if (parts.length === 0) return tensors[0]!;
  const ref = parts[0]!;
  if (ref.ndim === 0) throw new ShapeError('cat: zero-dimensional tensors cannot be concatenated');
  const d = normalizeDim(dim, ref.ndim, 'cat');
  let dtype = ref.dtype;
  parts.forEach((t, i) => {
    const ok = t.ndim === ref.ndim && t.shape.every((n, j) => j === d || n === ref.shape[j]);
    if (!ok) {
      throw new ShapeError(
        `cat: tensor ${i} of shape ${fmtShape(t.shape)} does not match ${fmtShape(ref.shape)} except in dim ${d}`,
      );
    }
    if (t.device !== ref.device) {
      throw new TorchletError(
        `cat: expected all tensors on one device, got '${ref.device}' and '${t.device}'`,
      );
    }
    dtype = promoteTypes(dtype, t.dtype);
  });
  const sizes = parts.map((t) => t.shape[d]!);
  const shape = ref.shape.map((n, j) => (j === d ? sizes.reduce((a, b) => a + b, 0) : n));
  const out = emptyTensor(shape, dtype, ref.device);
  let offset = 0;
  parts.forEach((t, i) => {
    if (sizes[i]! > 0) {
      const target = viewWithMap(out, narrowMap(identityMap(shape), d, offset, sizes[i]!));
      run1('identity', [t], { dtype, computeDtype: t.dtype, into: target });
    }
    offset += sizes[i]!;
  });
  return record('cat', parts, out, { dim: d, sizes });
}

/** Alias of {@link cat}, as `torch.concat`. */
export const concat = cat;

/** Joins same-shaped tensors along a new dim `dim`. */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  nonEmptyList('stack', tensors);
  const ref = tensors[0]!;
  const d = normalizeDim(dim, ref.ndim + 1, 'stack');
  tensors.forEach((t, i) => {
    if (t.ndim !== ref.ndim || t.shape.some((n, j) => n !== ref.shape[j])) {
      throw new ShapeError(
        `stack: expects each tensor to be equal size, but got ${fmtShape(ref.shape)} at entry 0 and ${fmtShape(t.shape)} at entry ${i}`,
      );
    }
  });
  return cat(
    tensors.map((t) => unsqueeze(t, d)),
    d,
  );
}

/** Concatenates horizontally: along dim 0 for 1-D tensors, dim 1 otherwise. */
export function hstack(tensors: readonly Tensor[]): Tensor {
  nonEmptyList('hstack', tensors);
  const ts = tensors.map((t) => (t.ndim === 0 ? reshape(t, [1]) : t));
  return cat(ts, ts[0]!.ndim === 1 ? 0 : 1);
}

/** Concatenates vertically (dim 0), viewing 0-d and 1-D tensors as rows. */
export function vstack(tensors: readonly Tensor[]): Tensor {
  nonEmptyList('vstack', tensors);
  return cat(
    tensors.map((t) => (t.ndim < 2 ? reshape(t, [1, -1]) : t)),
    0,
  );
}

/**
 * Splits `x` into views along `dim`: pieces of `sizeOrSections` elements (the last may be
 * smaller), or pieces of the listed sizes, which must add up to the dim's size.
 */
export function split(x: Tensor, sizeOrSections: number | readonly number[], dim = 0): Tensor[] {
  if (x.ndim === 0) throw new ShapeError('split: cannot split a 0-d tensor');
  const d = normalizeDim(dim, x.ndim, 'split');
  const n = x.shape[d]!;
  let sizes: number[];
  if (typeof sizeOrSections === 'number') {
    const s = sizeOrSections;
    if (!Number.isInteger(s) || s < 0 || (s === 0 && n !== 0)) {
      throw new TorchletError(
        `split: split size must be a positive integer, got ${s} (dim ${d} has size ${n})`,
      );
    }
    sizes = [];
    for (let start = 0; start < n; start += s) sizes.push(Math.min(s, n - start));
    if (sizes.length === 0) sizes.push(0);
  } else {
    sizes = [...sizeOrSections];
    const total = sizes.reduce((a, b) => a + b, 0);
    if (sizes.some((s) => !Number.isInteger(s) || s < 0) || total !== n) {
      throw new ShapeError(
        `split: sizes [${sizes}] must be non-negative and sum to the size ${n} of dim ${d} (got ${total})`,
      );
    }
  }
  let start = 0;
  return sizes.map((s) => {
    const piece = narrow(x, d, start, s);
    start += s;
    return piece;
  });
}

/** Splits `x` into at most `chunks` views of equal size along `dim` (the last may be smaller). */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  if (!Number.isInteger(chunks) || chunks <= 0) {
    throw new TorchletError(`chunk: number of chunks must be a positive integer, got ${chunks}`);
  }
  if (x.ndim === 0) throw new ShapeError('chunk: cannot chunk a 0-d tensor');
  const d = normalizeDim(dim, x.ndim, 'chunk');
  const n = x.shape[d]!;
  return split(x, n === 0 ? 0 : Math.ceil(n / chunks), d);
}

/**
 * Coordinate grids from 1-D tensors, as `torch.meshgrid`: with `'ij'` (default) output k varies
 * along dim k; `'xy'` swaps the first two dims (Cartesian, as NumPy's default).
 */
export function meshgrid(tensors: readonly Tensor[], options: { indexing?: 'ij' | 'xy' } = {}): Tensor[] {
  nonEmptyList('meshgrid', tensors);
  tensors.forEach((t, i) => {
    if (t.ndim > 1)
      throw new ShapeError(`meshgrid: expected 0-d or 1-D tensors, got shape ${fmtShape(t.shape)} at ${i}`);
  });
  const xy = (options.indexing ?? 'ij') === 'xy' && tensors.length >= 2;
  const order = tensors.map((_, i) => i);
  if (xy) [order[0], order[1]] = [1, 0];
  const sizes = order.map((i) => tensors[i]!.numel());
  return tensors.map((t, i) => {
    const at = order.indexOf(i);
    const shape = sizes.map((_, j) => (j === at ? sizes[j]! : 1));
    return expand(reshape(t, shape), sizes);
  });
}

installMethods({
  split,
  chunk,
});

declare module '../tensor.js' {
  interface Tensor {
    /**
     * Views along `dim`: pieces of `sizeOrSections` elements (last may be smaller), or of the listed sizes.
     */
    split(sizeOrSections: number | readonly number[], dim?: number): Tensor[];
    /** At most `chunks` equal views along `dim` (the last may be smaller). */
    chunk(chunks: number, dim?: number): Tensor[];
  }
}
