import { type Attrs, registerKernel } from '../backend.js';
import { allocArray, type DType, type TypedArray } from '../dtype.js';
import type { ConvGeometry } from '../ops/window.js';
import { Tensor } from '../tensor.js';
import { wrapCpu } from './backend.js';
import { type ColBlocks, gemm } from './gemm.js';
import { col2im, denseOf, im2col } from './im2col.js';

/**
 * 2-D convolution and its two backward convolutions as im2col + gemm over chunks of images: a
 * chunk's patch matrices sit side by side in one [C·KH·KW, images·L] matrix, so each group needs
 * one gemm per chunk rather than per image (small images made per-image gemms overhead-bound).
 * NCHW operands enter and leave the gemms as blocked columns (one block per image), so there is
 * no regrouping pass. Tensors are NCHW, weights [OC, C/groups, KH, KW]; the same kernels serve
 * 3-D convolution (NCDHW) under their own names, since im2col handles both.
 */

interface Dims {
  N: number;
  C: number;
  OC: number;
  /** Rows of one group's patch matrix: (C/groups)·KH·KW. */
  K: number;
  /** Output positions per image. */
  L: number;
  /** Input elements per image. */
  plane: number;
  groups: number;
  /** Output channels per group. */
  ocg: number;
  /** Images per chunk. */
  chunk: number;
}

/**
 * Patch-matrix columns per chunk: enough for the gemm to run at speed on small images, few enough
 * (one gemm column block) that a thin patch matrix stays in cache between im2col and gemm.
 */
const CHUNK_COLUMNS = 2048;

const product = (v: readonly number[]) => v.reduce((a, b) => a * b, 1);

function dims(N: number, C: number, OC: number, g: ConvGeometry): Dims {
  const K = (C / g.groups) * product(g.kernelSize);
  const L = product(g.outSize);
  const chunk = Math.max(1, Math.min(N, Math.floor(CHUNK_COLUMNS / Math.max(1, L))));
  const plane = C * product(g.inSize);
  return { N, C, OC, K, L, plane, groups: g.groups, ocg: OC / g.groups, chunk };
}

const scratch = new Map<DType, TypedArray>();

/**
 * The patch-matrix buffer, kept between calls: a fresh multi-MB array costs more in page faults
 * than the im2col that fills it. Kernels run one at a time and never hold it across calls.
 */
function colsBuffer(dtype: DType, n: number): TypedArray {
  let buf = scratch.get(dtype);
  if (!buf || buf.length < n) scratch.set(dtype, (buf = allocArray(dtype, n)));
  return buf;
}

/** What every conv kernel starts from: the geometry, the sizes and one chunk's patch-matrix buffer. */
function setup(attrs: Attrs, dtype: DType, N: number, C: number, OC: number) {
  const g = attrs as unknown as ConvGeometry;
  const d = dims(N, C, OC, g);
  return { g, d, cols: colsBuffer(dtype, d.K * d.groups * d.chunk * d.L) };
}

/** Images n0..n0+nb of an NCHW tensor's group `grp` as a [OC/groups, nb·L] matrix. */
function imagesMatrix(data: TypedArray, offset: number, d: Dims, n0: number, nb: number, grp: number) {
  const at = { data, offset: offset + (n0 * d.OC + grp * d.ocg) * d.L, rowStride: d.L, colStride: 1 };
  // One image is a plain matrix (packing it through a column table is slower).
  const colBlocks: ColBlocks | undefined = nb > 1 ? { size: d.L, stride: d.OC * d.L } : undefined;
  return { ...at, colBlocks };
}

/** im2col of images n0..n0+nb into `cols`, image i at column i·L, row pitch nb·L. */
function chunkCols(
  src: TypedArray,
  srcOff: number,
  d: Dims,
  g: ConvGeometry,
  n0: number,
  nb: number,
  cols: TypedArray,
) {
  for (let i = 0; i < nb; i++) im2col(src, srcOff + (n0 + i) * d.plane, d.C, g, cols, i * d.L, nb * d.L);
}

function output(data: TypedArray, dtype: DType, shape: number[]): Tensor {
  return new Tensor(wrapCpu(data, dtype), shape);
}

/** y = conv(x, w) + b: [N,C,H,W] → [N,OC,OH,OW]. */
function conv2dKernel(inputs: readonly Tensor[], attrs: Attrs): Tensor {
  const [x, w, b] = inputs as [Tensor, Tensor, Tensor | undefined];
  const dtype = x.dtype;
  const { g, d, cols } = setup(attrs, dtype, x.shape[0]!, x.shape[1]!, w.shape[0]!);
  const xs = denseOf(x);
  const ws = denseOf(w);
  const out = allocArray(dtype, d.N * d.OC * d.L);
  for (let n0 = 0; n0 < d.N; n0 += d.chunk) {
    const nb = Math.min(d.chunk, d.N - n0);
    chunkCols(xs.data, xs.offset, d, g, n0, nb, cols);
    for (let grp = 0; grp < d.groups; grp++) {
      const y = imagesMatrix(out, 0, d, n0, nb, grp);
      gemm(
        d.ocg,
        nb * d.L,
        d.K,
        { data: ws.data, offset: ws.offset + grp * d.ocg * d.K, rowStride: d.K, colStride: 1 },
        { data: cols, offset: grp * d.K * nb * d.L, rowStride: nb * d.L, colStride: 1 },
        { data: out, offset: y.offset, ld: d.L, colBlocks: y.colBlocks },
      );
    }
  }
  if (b) {
    const bs = denseOf(b);
    for (let n = 0; n < d.N; n++)
      for (let c = 0; c < d.OC; c++) {
        const v = bs.data[bs.offset + c]!;
        const o = (n * d.OC + c) * d.L;
        for (let l = 0; l < d.L; l++) out[o + l]! += v;
      }
  }
  return output(out, dtype, [d.N, d.OC, ...g.outSize]);
}

/** dx = conv2dᵀ(dy, w): [N,OC,OH,OW] → [N,C,H,W] (also the transposed convolution). */
function conv2dBackwardInputKernel([gy, w]: readonly Tensor[], attrs: Attrs): Tensor {
  const dtype = gy!.dtype;
  const groups = (attrs as unknown as ConvGeometry).groups;
  const { g, d, cols } = setup(attrs, dtype, gy!.shape[0]!, w!.shape[1]! * groups, w!.shape[0]!);
  const gs = denseOf(gy!);
  const ws = denseOf(w!);
  const out = allocArray(dtype, d.N * d.plane);
  for (let n0 = 0; n0 < d.N; n0 += d.chunk) {
    const nb = Math.min(d.chunk, d.N - n0);
    for (let grp = 0; grp < d.groups; grp++) {
      // cols[g] (K × nb·L) = w[g]ᵀ (K × OC/g) · dy[n0…, g] (OC/g × nb·L)
      gemm(
        d.K,
        nb * d.L,
        d.ocg,
        { data: ws.data, offset: ws.offset + grp * d.ocg * d.K, rowStride: 1, colStride: d.K },
        imagesMatrix(gs.data, gs.offset, d, n0, nb, grp),
        { data: cols, offset: grp * d.K * nb * d.L, ld: nb * d.L },
      );
    }
    for (let i = 0; i < nb; i++) col2im(cols, i * d.L, nb * d.L, d.C, g, out, (n0 + i) * d.plane);
  }
  return output(out, dtype, [d.N, d.C, ...g.inSize]);
}

/** dw = dy ⋆ x: the weight gradient [OC, C/groups, KH, KW], summed over images. */
function conv2dBackwardWeightKernel([x, gy]: readonly Tensor[], attrs: Attrs): Tensor {
  const dtype = x!.dtype;
  const { g, d, cols } = setup(attrs, dtype, x!.shape[0]!, x!.shape[1]!, gy!.shape[1]!);
  const xs = denseOf(x!);
  const gs = denseOf(gy!);
  const out = allocArray(dtype, d.OC * d.K);
  // Large images already give the gemm a long k each; chunking them only slows the packing.
  const chunk = d.L >= 512 ? 1 : d.chunk;
  for (let n0 = 0; n0 < d.N; n0 += chunk) {
    const nb = Math.min(chunk, d.N - n0);
    chunkCols(xs.data, xs.offset, d, g, n0, nb, cols);
    for (let grp = 0; grp < d.groups; grp++) {
      // dw[g] (OC/g × K) += dy[n0…, g] (OC/g × nb·L) · cols[g]ᵀ (nb·L × K)
      gemm(
        d.ocg,
        d.K,
        nb * d.L,
        imagesMatrix(gs.data, gs.offset, d, n0, nb, grp),
        { data: cols, offset: grp * d.K * nb * d.L, rowStride: 1, colStride: nb * d.L },
        { data: out, offset: grp * d.ocg * d.K, ld: d.K },
        n0 > 0,
      );
    }
  }
  return output(out, dtype, [d.OC, d.K / product(g.kernelSize), ...g.kernelSize]);
}

registerKernel('cpu', 'conv2d', conv2dKernel);
registerKernel('cpu', 'conv2dBackwardInput', conv2dBackwardInputKernel);
registerKernel('cpu', 'conv2dBackwardWeight', conv2dBackwardWeightKernel);
registerKernel('cpu', 'conv3d', conv2dKernel);
registerKernel('cpu', 'conv3dBackwardInput', conv2dBackwardInputKernel);
registerKernel('cpu', 'conv3dBackwardWeight', conv2dBackwardWeightKernel);
