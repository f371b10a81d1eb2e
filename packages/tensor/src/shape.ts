import { fmtShape, IndexError, ShapeError } from './errors.js';

/** Sizes of a tensor's dims, outermost first. */
export type Shape = readonly number[];

/** Number of elements of a tensor of `shape` (1 for a scalar). */
export function numelOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major (C-order) strides for `shape`. */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/** Whether two shapes have the same sizes. */
export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Resolves a possibly negative `dim` against `ndim` dims; `op` names the caller in errors. */
export function normalizeDim(dim: number, ndim: number, op: string): number {
  const n = Math.max(ndim, 1);
  if (!Number.isInteger(dim) || dim < -n || dim >= n) {
    throw new IndexError(
      `${op}: dim ${dim} is out of range for a tensor of ${ndim} dims (expected in [${-n}, ${n - 1}])`,
    );
  }
  return dim < 0 ? dim + n : dim;
}

/** Resolves a list of dims (or all dims when `dims` is undefined), sorted and checked for repeats. */
export function normalizeDims(
  dims: number | readonly number[] | undefined,
  ndim: number,
  op: string,
): number[] {
  if (dims === undefined) {
    const all = new Array<number>(ndim);
    for (let i = 0; i < ndim; i++) all[i] = i;
    return all;
  }
  if (typeof dims === 'number') return [normalizeDim(dims, ndim, op)];
  const list = (typeof dims === 'number' ? [dims] : [...dims]).map((d) => normalizeDim(d, ndim, op));
  const sorted = [...list].sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1])
      throw new IndexError(`${op}: dim ${sorted[i]} appears more than once in [${dims}]`);
  }
  return sorted;
}

/** NumPy/PyTorch broadcasting of two or more shapes. */
export function broadcastShapes(op: string, ...shapes: Shape[]): number[] {
  const ndim = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(ndim).fill(1);
  for (const shape of shapes) {
    for (let i = 0; i < shape.length; i++) {
      const d = shape[shape.length - 1 - i]!;
      const j = ndim - 1 - i;
      if (d === 1) continue;
      if (out[j] !== 1 && out[j] !== d) {
        throw new ShapeError(
          `${op}: shapes ${shapes.map(fmtShape).join(' and ')} cannot be broadcast together (dim ${j - ndim}: ${out[j]} vs ${d})`,
        );
      }
      out[j] = d;
    }
  }
  return out;
}

/** Strides that read a tensor of (`shape`, `strides`) as if broadcast to `target` (0 on broadcast dims). */
export function broadcastStrides(shape: Shape, strides: readonly number[], target: Shape): number[] {
  const out = new Array<number>(target.length).fill(0);
  const lead = target.length - shape.length;
  for (let i = 0; i < shape.length; i++) {
    out[lead + i] = shape[i] === 1 && target[lead + i] !== 1 ? 0 : strides[i]!;
  }
  return out;
}

/** Resolves a `-1` entry of a reshape target against `numel`. */
export function inferShape(op: string, shape: readonly number[], numel: number, from: Shape): number[] {
  let infer = -1;
  let known = 1;
  shape.forEach((d, i) => {
    if (d === -1) {
      if (infer >= 0) throw new ShapeError(`${op}: only one dimension can be -1, got ${fmtShape(shape)}`);
      infer = i;
    } else if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(`${op}: invalid size ${d} in shape ${fmtShape(shape)}`);
    } else known *= d;
  });
  const out = [...shape];
  if (infer >= 0) {
    if (known === 0 || numel % known !== 0) {
      throw new ShapeError(
        `${op}: shape ${fmtShape(shape)} is invalid for input ${fmtShape(from)} of size ${numel}`,
      );
    }
    out[infer] = numel / known;
  } else if (known !== numel) {
    throw new ShapeError(
      `${op}: shape ${fmtShape(shape)} is invalid for input ${fmtShape(from)} of size ${numel}`,
    );
  }
  return out;
}

/**
 * Strides for viewing (`shape`, `strides`) as `newShape` without copying, or null when the memory
 * layout does not allow it (PyTorch's `view` rule: each group of merged/split dims must be contiguous).
 */
export function viewStrides(shape: Shape, strides: readonly number[], newShape: Shape): number[] | null {
  if (numelOf(shape) === 0) return contiguousStrides(newShape);
  // Drop size-1 dims: their strides are irrelevant.
  const oldDims: number[] = [];
  const oldStrides: number[] = [];
  shape.forEach((d, i) => {
    if (d !== 1) {
      oldDims.push(d);
      oldStrides.push(strides[i]!);
    }
  });
  const out = new Array<number>(newShape.length).fill(0);
  let oi = 0;
  let ni = 0;
  while (ni < newShape.length || oi < oldDims.length) {
    if (ni < newShape.length && newShape[ni] === 1) {
      out[ni] = ni + 1 < newShape.length ? 0 : 1;
      ni++;
      continue;
    }
    if (oi >= oldDims.length || ni >= newShape.length) return null;
    // Collect one chunk of old dims that is contiguous, matching a chunk of new dims of equal size.
    let oldSize = oldDims[oi]!;
    let newSize = newShape[ni]!;
    const oStart = oi;
    const nStart = ni;
    oi++;
    ni++;
    while (oldSize !== newSize) {
      if (oldSize < newSize) {
        if (oi >= oldDims.length) return null;
        if (oldStrides[oi - 1] !== oldStrides[oi]! * oldDims[oi]!) return null;
        oldSize *= oldDims[oi++]!;
      } else {
        while (ni < newShape.length && newShape[ni] === 1) ni++;
        if (ni >= newShape.length) return null;
        newSize *= newShape[ni++]!;
      }
    }
    for (let k = oStart + 1; k < oi; k++) {
      if (oldStrides[k - 1] !== oldStrides[k]! * oldDims[k]!) return null;
    }
    // Assign strides right to left within the chunk, starting from the innermost old stride.
    let s = oldStrides[oi - 1]!;
    for (let k = ni - 1; k >= nStart; k--) {
      out[k] = s;
      s *= newShape[k]!;
    }
  }
  return out;
}
