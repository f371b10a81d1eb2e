import { type Attrs, registerKernel } from '../backend.js';
import { allocArray, type DType, type TypedArray } from '../dtype.js';
import { broadcastShapes, broadcastStrides, contiguousStrides, numelOf } from '../shape.js';
import { copyStrided, Tensor } from '../tensor.js';
import { wrapCpu } from './backend.js';
import { forEachRow } from './iter.js';

/** A matrix operand: element (i, j) is at `data[offset + i * rowStride + j * colStride]`. */
interface Mat {
  data: TypedArray;
  offset: number;
  rowStride: number;
  colStride: number;
}

/** Copies a strided matrix into a dense row-major buffer unless it already is one. */
function dense(m: Mat, rows: number, cols: number, dtype: DType): Mat {
  if (m.colStride === 1 && (m.rowStride === cols || rows === 1)) return m;
  const data = allocArray(dtype, rows * cols);
  copyStrided(m.data, m.offset, [rows, cols], [m.rowStride, m.colStride], data);
  return { data, offset: 0, rowStride: cols, colStride: 1 };
}

/**
 * out[M,N] += a[M,K] · b[K,N] for dense row-major operands, in i-k-j order so the inner loop
 * streams rows of `b` and `out`; blocked over k and j to keep a tile of `b` in cache.
 */
export function gemm(
  m: number,
  n: number,
  k: number,
  a: TypedArray,
  aOff: number,
  b: TypedArray,
  bOff: number,
  out: TypedArray,
  outOff: number,
): void {
  const KB = 128;
  const NB = 512;
  for (let j0 = 0; j0 < n; j0 += NB) {
    const j1 = Math.min(n, j0 + NB);
    for (let k0 = 0; k0 < k; k0 += KB) {
      const k1 = Math.min(k, k0 + KB);
      for (let i = 0; i < m; i++) {
        const aRow = aOff + i * k;
        const oRow = outOff + i * n;
        for (let p = k0; p < k1; p++) {
          const aip = a[aRow + p]!;
          if (aip === 0) continue;
          const bRow = bOff + p * n;
          for (let j = j0; j < j1; j++) out[oRow + j]! += aip * b[bRow + j]!;
        }
      }
    }
  }
}

function matmulKernel([a, b]: readonly Tensor[], attrs: Attrs): Tensor {
  const dtype = attrs.dtype as DType;
  const x = a!;
  const y = b!;
  const m = x.shape[x.ndim - 2]!;
  const k = x.shape[x.ndim - 1]!;
  const n = y.shape[y.ndim - 1]!;
  const batch = broadcastShapes('matmul', x.shape.slice(0, -2), y.shape.slice(0, -2));
  const outShape = [...batch, m, n];
  const out = allocArray(dtype, numelOf(outShape));
  const xs = broadcastStrides(x.shape.slice(0, -2), x.strides.slice(0, -2), batch);
  const ys = broadcastStrides(y.shape.slice(0, -2), y.strides.slice(0, -2), batch);
  const os = contiguousStrides(batch).map((s) => s * m * n);
  const xData = x.storage.data as TypedArray;
  const yData = y.storage.data as TypedArray;
  forEachRow(batch, [xs, ys, os], [x.offset, y.offset, 0], (offs, count, inner) => {
    for (let t = 0; t < count; t++) {
      const xm = {
        data: xData,
        offset: offs[0]! + t * inner[0]!,
        rowStride: x.strides[x.ndim - 2]!,
        colStride: x.strides[x.ndim - 1]!,
      };
      const ym = {
        data: yData,
        offset: offs[1]! + t * inner[1]!,
        rowStride: y.strides[y.ndim - 2]!,
        colStride: y.strides[y.ndim - 1]!,
      };
      const am = dense(xm, m, k, dtype);
      const bm = dense(ym, k, n, dtype);
      gemm(m, n, k, am.data, am.offset, bm.data, bm.offset, out, offs[2]! + t * inner[2]!);
    }
  });
  return new Tensor(wrapCpu(out, dtype), outShape);
}

registerKernel('cpu', 'matmul', matmulKernel);
