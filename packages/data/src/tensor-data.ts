import {
  cpuBackend,
  type DType,
  dtypeOfArray,
  fmtShape,
  IndexError,
  type Shape,
  ShapeError,
  Storage,
  Tensor,
  type TypedArray,
} from '@torchlet/tensor';

/**
 * Wraps a CPU typed array as a dense tensor without copying it. Data loading builds every batch in
 * a fresh buffer, so handing that buffer over (instead of `fromTypedArray`'s copy) saves a pass.
 */
export function wrapArray(data: TypedArray, shape: Shape, dtype: DType = dtypeOfArray(data)): Tensor {
  return new Tensor(new Storage(cpuBackend, dtype, data.length, data), [...shape]);
}

/** A tensor's elements as dense rows along dim 0, read without a copy when the tensor allows it. */
export interface Rows {
  readonly data: TypedArray;
  /** Index of row 0's first element in `data`. */
  readonly offset: number;
  /** Number of rows (the tensor's first dim). */
  readonly count: number;
  /** Elements per row. */
  readonly rowSize: number;
  /** Shape of one row. */
  readonly rowShape: number[];
  readonly dtype: DType;
}

/** Views a tensor as rows along dim 0 (the CPU storage itself when dense, else a dense copy). */
export function rowsOf(t: Tensor, op: string): Rows {
  if (t.ndim === 0) throw new IndexError(`${op}: expected a tensor with at least one dim, got a 0-d tensor`);
  const rowShape = t.shape.slice(1);
  const count = t.shape[0]!;
  const rowSize = rowShape.reduce((a, b) => a * b, 1);
  const dense = t.device === 'cpu' && t.isContiguous();
  return dense
    ? { data: t.storage.data as TypedArray, offset: t.offset, count, rowSize, rowShape, dtype: t.dtype }
    : { data: t.dataSync(), offset: 0, count, rowSize, rowShape, dtype: t.dtype };
}

/** Copies `rows[indices[k]]` into `out` at row k; `out` must hold `indices.length * rowSize` elements. */
export function gatherInto(rows: Rows, indices: ArrayLike<number>, out: TypedArray, op: string): void {
  const { data, offset, count, rowSize } = rows;
  const n = indices.length;
  for (let k = 0; k < n; k++) {
    const i = indices[k]!;
    if (!(i >= 0 && i < count) || !Number.isInteger(i)) {
      throw new IndexError(`${op}: index ${i} is out of range for ${count} rows`);
    }
    const src = offset + i * rowSize;
    if (rowSize === 1) out[k] = data[src]!;
    else out.set(data.subarray(src, src + rowSize), k * rowSize);
  }
}

/** Rows `indices` of `rows` as a new dense tensor of shape `[indices.length, ...rowShape]`. */
export function gatherRows(rows: Rows, indices: ArrayLike<number>, op: string): Tensor {
  const out = new (rows.data.constructor as new (n: number) => TypedArray)(indices.length * rows.rowSize);
  gatherInto(rows, indices, out, op);
  return wrapArray(out, [indices.length, ...rows.rowShape], rows.dtype);
}

/** Row `i` of `rows` as a new dense tensor of shape `rowShape`. */
export function rowAt(rows: Rows, i: number, op: string): Tensor {
  const t = gatherRows(rows, [i], op);
  return new Tensor(t.storage, rows.rowShape);
}

/** Throws unless every tensor has the same first dim (samples). */
export function checkSameLength(op: string, tensors: readonly Tensor[]): number {
  const n = tensors[0]?.shape[0];
  for (const t of tensors) {
    if (t.ndim === 0 || t.shape[0] !== n) {
      throw new ShapeError(
        `${op}: all tensors must have the same size in dim 0, got ${tensors.map((x) => fmtShape(x.shape)).join(' and ')}`,
      );
    }
  }
  return n ?? 0;
}
