import { type Attrs, registerKernel } from '../backend.js';
import { allocArray, type DType, type TypedArray } from '../dtype.js';
import type { ConvGeometry } from '../ops/window.js';
import { Tensor } from '../tensor.js';
import { wrapCpu } from './backend.js';
import { gemm } from './gemm.js';
import { col2im, denseOf, im2col } from './im2col.js';

/**
 * 2-D convolution and its two backward convolutions as im2col + gemm. Images are processed in
 * chunks whose patch matrices are laid side by side ([C·KH·KW, images·L]), so one gemm per group
 * covers the chunk: few large products instead of many small ones. Tensors are NCHW, weights
 * [OC, C/groups, KH, KW].
 */

/** Elements of patch matrix per chunk: big enough for long gemms, small enough to stay in memory. */
const CHUNK_ELEMENTS = 1 << 22;

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
}

function dims(N: number, C: number, OC: number, g: ConvGeometry): Dims {
  const K = (C / g.groups) * g.kernelSize[0]! * g.kernelSize[1]!;
  const L = g.outSize[0]! * g.outSize[1]!;
  return { N, C, OC, K, L, plane: C * g.inSize[0]! * g.inSize[1]!, groups: g.groups };
}

/** Calls `body(n0, count)` for consecutive chunks of images. */
function forChunks(d: Dims, body: (n0: number, count: number) => void): void {
  const per = Math.max(1, Math.floor(CHUNK_ELEMENTS / (d.K * d.groups * d.L)));
  for (let n0 = 0; n0 < d.N; n0 += per) body(n0, Math.min(per, d.N - n0));
}

/** Patch matrices of images n0..n0+count side by side: [C·KH·KW, count·L]. */
function chunkPatches(
  x: TypedArray,
  xOff: number,
  d: Dims,
  g: ConvGeometry,
  n0: number,
  count: number,
  cols: TypedArray,
): void {
  for (let i = 0; i < count; i++) im2col(x, xOff + (n0 + i) * d.plane, d.C, g, cols, i * d.L, count * d.L);
}

/** Copies between `batchMajor` [count, ch, L] and `channelMajor` [ch, count·L], either way. */
function regroup(
  batchMajor: TypedArray,
  bmOff: number,
  channelMajor: TypedArray,
  cmOff: number,
  ch: number,
  count: number,
  L: number,
  toChannelMajor: boolean,
): void {
  for (let i = 0; i < count; i++) {
    for (let c = 0; c < ch; c++) {
      const a = bmOff + (i * ch + c) * L;
      const b = cmOff + c * count * L + i * L;
      if (toChannelMajor) for (let l = 0; l < L; l++) channelMajor[b + l] = batchMajor[a + l]!;
      else for (let l = 0; l < L; l++) batchMajor[a + l] = channelMajor[b + l]!;
    }
  }
}

function output(data: TypedArray, dtype: DType, shape: number[]): Tensor {
  return new Tensor(wrapCpu(data, dtype), shape);
}

/** y = conv(x, w) + b: [N,C,H,W] → [N,OC,OH,OW]. */
function conv2dKernel(inputs: readonly Tensor[], attrs: Attrs): Tensor {
  const g = attrs as unknown as ConvGeometry;
  const [x, w, b] = inputs as [Tensor, Tensor, Tensor | undefined];
  const dtype = x.dtype;
  const d = dims(x.shape[0]!, x.shape[1]!, w.shape[0]!, g);
  const xs = denseOf(x);
  const ws = denseOf(w);
  const out = allocArray(dtype, d.N * d.OC * d.L);
  const ocg = d.OC / d.groups;
  let cols: TypedArray | null = null;
  let tmp: TypedArray | null = null;
  forChunks(d, (n0, count) => {
    const width = count * d.L;
    cols ??= allocArray(dtype, d.K * d.groups * width);
    chunkPatches(xs.data, xs.offset, d, g, n0, count, cols);
    // One image writes straight into the output; a chunk goes through [OC, count·L] first.
    const direct = count === 1;
    const dst = direct ? out : (tmp ??= allocArray(dtype, d.OC * width));
    const dstOff = direct ? n0 * d.OC * d.L : 0;
    for (let grp = 0; grp < d.groups; grp++) {
      gemm(
        ocg,
        width,
        d.K,
        { data: ws.data, offset: ws.offset + grp * ocg * d.K, rowStride: d.K, colStride: 1 },
        { data: cols, offset: grp * d.K * width, rowStride: width, colStride: 1 },
        { data: dst, offset: dstOff + grp * ocg * width, ld: width },
      );
    }
    if (!direct) regroup(out, n0 * d.OC * d.L, dst, 0, d.OC, count, d.L, false);
  });
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
  const g = attrs as unknown as ConvGeometry;
  const dtype = gy!.dtype;
  const d = dims(gy!.shape[0]!, w!.shape[1]! * g.groups, w!.shape[0]!, g);
  const gs = denseOf(gy!);
  const ws = denseOf(w!);
  const out = allocArray(dtype, d.N * d.plane);
  const ocg = d.OC / d.groups;
  let cols: TypedArray | null = null;
  let gT: TypedArray | null = null;
  forChunks(d, (n0, count) => {
    const width = count * d.L;
    cols ??= allocArray(dtype, d.K * d.groups * width);
    let src = gs.data;
    let srcOff = gs.offset + n0 * d.OC * d.L;
    if (count > 1) {
      gT ??= allocArray(dtype, d.OC * width);
      regroup(gs.data, srcOff, gT, 0, d.OC, count, d.L, true);
      src = gT;
      srcOff = 0;
    }
    for (let grp = 0; grp < d.groups; grp++) {
      // cols[g] (K × width) = w[g]ᵀ (K × OC/g) · dy[g] (OC/g × width)
      gemm(
        d.K,
        width,
        ocg,
        { data: ws.data, offset: ws.offset + grp * ocg * d.K, rowStride: 1, colStride: d.K },
        { data: src, offset: srcOff + grp * ocg * width, rowStride: width, colStride: 1 },
        { data: cols, offset: grp * d.K * width, ld: width },
      );
    }
    for (let i = 0; i < count; i++) col2im(cols, i * d.L, width, d.C, g, out, (n0 + i) * d.plane);
  });
  return output(out, dtype, [d.N, d.C, ...g.inSize]);
}

/** dw = dy ⋆ x: the weight gradient [OC, C/groups, KH, KW], summed over images. */
function conv2dBackwardWeightKernel([x, gy]: readonly Tensor[], attrs: Attrs): Tensor {
  const g = attrs as unknown as ConvGeometry;
  const dtype = x!.dtype;
  const d = dims(x!.shape[0]!, x!.shape[1]!, gy!.shape[1]!, g);
  const xs = denseOf(x!);
  const gs = denseOf(gy!);
  const out = allocArray(dtype, d.OC * d.K);
  const ocg = d.OC / d.groups;
  let cols: TypedArray | null = null;
  let gT: TypedArray | null = null;
  let first = true;
  forChunks(d, (n0, count) => {
    const width = count * d.L;
    cols ??= allocArray(dtype, d.K * d.groups * width);
    chunkPatches(xs.data, xs.offset, d, g, n0, count, cols);
    let src = gs.data;
    let srcOff = gs.offset + n0 * d.OC * d.L;
    if (count > 1) {
      gT ??= allocArray(dtype, d.OC * width);
      regroup(gs.data, srcOff, gT, 0, d.OC, count, d.L, true);
      src = gT;
      srcOff = 0;
    }
    for (let grp = 0; grp < d.groups; grp++) {
      // dw[g] (OC/g × K) += dy[g] (OC/g × width) · cols[g]ᵀ (width × K)
      gemm(
        ocg,
        d.K,
        width,
        { data: src, offset: srcOff + grp * ocg * width, rowStride: width, colStride: 1 },
        { data: cols, offset: grp * d.K * width, rowStride: 1, colStride: width },
        { data: out, offset: grp * ocg * d.K, ld: d.K },
        !first,
      );
    }
    first = false;
  });
  return output(out, dtype, [d.OC, d.K / (g.kernelSize[0]! * g.kernelSize[1]!), ...g.kernelSize]);
}

registerKernel('cpu', 'conv2d', conv2dKernel);
registerKernel('cpu', 'conv2dBackwardInput', conv2dBackwardInputKernel);
registerKernel('cpu', 'conv2dBackwardWeight', conv2dBackwardWeightKernel);
