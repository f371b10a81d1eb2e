import { type Attrs, registerKernel } from '../backend.js';
import { allocArray, type DType, type TypedArray } from '../dtype.js';
import { broadcastShapes, broadcastStrides, contiguousStrides, numelOf, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { wrapCpu } from './backend.js';
import { gemm, type MatRef } from './gemm.js';
import { forEachRow } from './iter.js';

/** The last two dims of `t` at `offset` as a strided matrix (no copy: gemm packs any strides). */
function matAt(t: Tensor, offset: number): MatRef {
  return {
    data: t.storage.data as TypedArray,
    offset,
    rowStride: t.strides[t.ndim - 2]!,
    colStride: t.strides[t.ndim - 1]!,
  };
}

/** Whether every batch dim of `t` is broadcast (stride 0 after broadcasting to `batch`). */
function batchBroadcast(t: Tensor, batch: readonly number[]): boolean {
  return broadcastStrides(t.shape.slice(0, -2), t.strides.slice(0, -2), batch).every(
    (s, i) => s === 0 || batch[i] === 1,
  );
}

function matmulKernel([x, y]: readonly Tensor[], attrs: Attrs): Tensor {
  const a = x!;
  const b = y!;
  const dtype = attrs.dtype as DType;
  const m = a.shape[a.ndim - 2]!;
  const k = a.shape[a.ndim - 1]!;
  const n = b.shape[b.ndim - 1]!;
  const batch = broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
  const outShape = [...batch, m, n];
  const out = allocArray(dtype, numelOf(outShape));
  const rows = numelOf(batch) * m;
  // [B,M,K] @ [K,N] with a dense left operand is one [B·M,K] @ [K,N] product: one packing of B.
  if (
    batch.length > 0 &&
    a.isContiguous() &&
    shapesEqual(a.shape.slice(0, -2), batch) &&
    batchBroadcast(b, batch)
  ) {
    const bm = matAt(b, b.offset);
    gemm(
      rows,
      n,
      k,
      { data: a.storage.data as TypedArray, offset: a.offset, rowStride: k, colStride: 1 },
      bm,
      {
        data: out,
        offset: 0,
        ld: n,
      },
    );
    return new Tensor(wrapCpu(out, dtype), outShape);
  }
  const as = broadcastStrides(a.shape.slice(0, -2), a.strides.slice(0, -2), batch);
  const bs = broadcastStrides(b.shape.slice(0, -2), b.strides.slice(0, -2), batch);
  const os = contiguousStrides(batch).map((s) => s * m * n);
  forEachRow(batch, [as, bs, os], [a.offset, b.offset, 0], (offs, count, inner) => {
    for (let t = 0; t < count; t++) {
      gemm(m, n, k, matAt(a, offs[0]! + t * inner[0]!), matAt(b, offs[1]! + t * inner[1]!), {
        data: out,
        offset: offs[2]! + t * inner[2]!,
        ld: n,
      });
    }
  });
  return new Tensor(wrapCpu(out, dtype), outShape);
}

registerKernel('cpu', 'matmul', matmulKernel);
