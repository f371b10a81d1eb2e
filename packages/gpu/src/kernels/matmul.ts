import {
  broadcastShapes,
  type DType,
  numelOf,
  registerKernel,
  runOnCpu,
  type Tensor,
} from '@torchlet/tensor';
import { GPU_DEVICE } from '../backend.js';
import { usesTextures } from '../device.js';
import { type DeviceValue, launch, program } from '../program.js';
import { batchStrides, deviceTensor, filled, splitIndex } from './output.js';
import { freePacked, packedLength, packRows } from './pack.js';
import { stridedReads } from './strided-reads.js';

/** Sizes of a batched product `[...batch, M, K] @ [...batch, K, N]`. */
interface Product {
  a: Tensor;
  b: Tensor;
  batch: number[];
  M: number;
  K: number;
  N: number;
}

/**
 * Batched matrix product, one output element per thread: a dot product along K reading both
 * operands through their strides, so transposed weights (`x.matmul(w.T)`) and broadcast batch
 * dims are read in place. The inner loop steps pointers rather than multiplying indices: the
 * WebAssembly lowering runs it 5× faster.
 */
function stridedProduct({ a, b, batch, M, K, N }: Product): DeviceValue {
  const reads = stridedReads(batch, [a, b], [batchStrides(a, 2, batch), batchStrides(b, 2, batch)], 'q');
  const kernel = program(`matmul:${reads.key}`, () => ({
    args: {
      ...reads.args,
      M: 'Integer',
      N: 'Integer',
      K: 'Integer',
      am: 'Integer',
      ak: 'Integer',
      bk: 'Integer',
      bn: 'Integer',
    },
    body: `${splitIndex('this.thread.x', ['q', 'm', 'n'], ['', 'M', 'N'])}
${reads.prelude}
let ia = i0 + m * am;
let ib = i1 + n * bn;
let s = 0.0;
for (let k = 0; k < K; k++) {
  s += x0[ia] * x1[ib];
  ia += ak;
  ib += bk;
}
return s;`,
  }));
  return launch(kernel, numelOf([...batch, M, N]), [
    ...reads.values,
    M,
    N,
    K,
    a.strides[a.ndim - 2]!,
    a.strides[a.ndim - 1]!,
    b.strides[b.ndim - 2]!,
    b.strides[b.ndim - 1]!,
  ]);
}

/**
 * The same product on WebGL, from packed operands (see pack.ts): the rows of `a` and the columns
 * of `b`, four K-steps to a texel, so each output reads two vec4s per four terms instead of eight
 * flat elements — about 4× faster on SwiftShader, where the reads are the cost. Packing copies
 * (M + N)·K elements per batch, small next to the M·N·K reads it saves.
 */
function packedProduct({ a, b, batch, M, K, N }: Product): DeviceValue {
  const rowsOf = (t: Tensor, rows: number, rowDim: number, kDim: number) =>
    packRows(t, {
      shape: [...batch, rows],
      strides: [...batchStrides(t, 2, batch), t.strides[rowDim]!],
      length: K,
      step: t.strides[kDim]!,
    });
  const pa = rowsOf(a, M, a.ndim - 2, a.ndim - 1);
  const pb = rowsOf(b, N, b.ndim - 1, b.ndim - 2);
  const kernel = program('matmul:packed', () => ({
    args: { pa: 'ArrayTexture(4)', pb: 'ArrayTexture(4)', M: 'Integer', N: 'Integer', Kq: 'Integer' },
    body: `${splitIndex('this.thread.x', ['q', 'm', 'n'], ['', 'M', 'N'])}
let ia = (q * M + m) * Kq;
let ib = (q * N + n) * Kq;
let s = 0.0;
for (let k = 0; k < Kq; k++) {
  const u = pa[ia];
  const v = pb[ib];
  s += u[0] * v[0] + u[1] * v[1] + u[2] * v[2] + u[3] * v[3];
  ia++;
  ib++;
}
return s;`,
  }));
  const value = launch(kernel, numelOf([...batch, M, N]), [pa, pb, M, N, packedLength(K)]);
  freePacked(pa);
  freePacked(pb);
  return value;
}

/** int32 products run on the CPU (float32 sums are exact only below 2^24). */
function matmulKernel(inputs: readonly Tensor[], attrs: Record<string, unknown>): Tensor {
  const [a, b] = inputs as [Tensor, Tensor];
  const dtype = attrs.dtype as DType;
  if (dtype !== 'float32') return runOnCpu('matmul', inputs, attrs) as Tensor;
  const M = a.shape[a.ndim - 2]!;
  const K = a.shape[a.ndim - 1]!;
  const N = b.shape[b.ndim - 1]!;
  const batch = broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
  const shape = [...batch, M, N];
  if (a.numel() === 0 || b.numel() === 0) return filled(0, dtype, shape);
  const product = { a, b, batch, M, K, N };
  // WebAssembly reads flat arrays cheaply and has no vec4 textures: it keeps the strided loop.
  const value = usesTextures() ? packedProduct(product) : stridedProduct(product);
  return deviceTensor(value, dtype, shape);
}

registerKernel(GPU_DEVICE, 'matmul', matmulKernel);
