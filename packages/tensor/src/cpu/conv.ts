import { type Attrs, registerKernel } from '../backend.js';
import { allocArray, type DType, type TypedArray } from '../dtype.js';
import type { ConvGeometry } from '../ops/window.js';
import { Tensor } from '../tensor.js';
import { wrapCpu } from './backend.js';
import { gemm } from './gemm.js';
import { col2im, denseOf, im2col } from './im2col.js';

/**
 * 2-D convolution and its two backward convolutions as im2col + gemm, image by image: each
 * image's patch matrix [C·KH·KW, L] feeds one gemm per group whose result lands directly in the
 * NCHW output (no regrouping pass). Tensors are NCHW, weights [OC, C/groups, KH, KW].
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
}

function dims(N: number, C: number, OC: number, g: ConvGeometry): Dims {
  const K = (C / g.groups) * g.kernelSize[0]! * g.kernelSize[1]!;
  const L = g.outSize[0]! * g.outSize[1]!;
  return { N, C, OC, K, L, plane: C * g.inSize[0]! * g.inSize[1]!, groups: g.groups };
}

/** What every conv kernel starts from: the geometry, the sizes and one image's patch-matrix buffer. */
function setup(attrs: Attrs, dtype: DType, N: number, C: number, OC: number) {
  const g = attrs as unknown as ConvGeometry;
  const d = dims(N, C, OC, g);
  return { g, d, ocg: d.OC / d.groups, cols: allocArray(dtype, d.K * d.groups * d.L) };
}

function output(data: TypedArray, dtype: DType, shape: number[]): Tensor {
  return new Tensor(wrapCpu(data, dtype), shape);
}

/** y = conv(x, w) + b: [N,C,H,W] → [N,OC,OH,OW]. */
function conv2dKernel(inputs: readonly Tensor[], attrs: Attrs): Tensor {
  const [x, w, b] = inputs as [Tensor, Tensor, Tensor | undefined];
  const dtype = x.dtype;
  const { g, d, ocg, cols } = setup(attrs, dtype, x.shape[0]!, x.shape[1]!, w.shape[0]!);
  const xs = denseOf(x);
  const ws = denseOf(w);
  const out = allocArray(dtype, d.N * d.OC * d.L);
  for (let n = 0; n < d.N; n++) {
    im2col(xs.data, xs.offset + n * d.plane, d.C, g, cols, 0, d.L);
    for (let grp = 0; grp < d.groups; grp++) {
      gemm(
        ocg,
        d.L,
        d.K,
        { data: ws.data, offset: ws.offset + grp * ocg * d.K, rowStride: d.K, colStride: 1 },
        { data: cols, offset: grp * d.K * d.L, rowStride: d.L, colStride: 1 },
        { data: out, offset: (n * d.OC + grp * ocg) * d.L, ld: d.L },
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
  const { g, d, ocg, cols } = setup(attrs, dtype, gy!.shape[0]!, w!.shape[1]! * groups, w!.shape[0]!);
  const gs = denseOf(gy!);
  const ws = denseOf(w!);
  const out = allocArray(dtype, d.N * d.plane);
  for (let n = 0; n < d.N; n++) {
    for (let grp = 0; grp < d.groups; grp++) {
      // cols[g] (K × L) = w[g]ᵀ (K × OC/g) · dy[n, g] (OC/g × L)
      gemm(
        d.K,
        d.L,
        ocg,
        { data: ws.data, offset: ws.offset + grp * ocg * d.K, rowStride: 1, colStride: d.K },
        { data: gs.data, offset: gs.offset + (n * d.OC + grp * ocg) * d.L, rowStride: d.L, colStride: 1 },
        { data: cols, offset: grp * d.K * d.L, ld: d.L },
      );
    }
    col2im(cols, 0, d.L, d.C, g, out, n * d.plane);
  }
  return output(out, dtype, [d.N, d.C, ...g.inSize]);
}

/** dw = dy ⋆ x: the weight gradient [OC, C/groups, KH, KW], summed over images. */
function conv2dBackwardWeightKernel([x, gy]: readonly Tensor[], attrs: Attrs): Tensor {
  const dtype = x!.dtype;
  const { g, d, ocg, cols } = setup(attrs, dtype, x!.shape[0]!, x!.shape[1]!, gy!.shape[1]!);
  const xs = denseOf(x!);
  const gs = denseOf(gy!);
  const out = allocArray(dtype, d.OC * d.K);
  for (let n = 0; n < d.N; n++) {
    im2col(xs.data, xs.offset + n * d.plane, d.C, g, cols, 0, d.L);
    for (let grp = 0; grp < d.groups; grp++) {
      // dw[g] (OC/g × K) += dy[n, g] (OC/g × L) · cols[g]ᵀ (L × K)
      gemm(
        ocg,
        d.K,
        d.L,
        { data: gs.data, offset: gs.offset + (n * d.OC + grp * ocg) * d.L, rowStride: d.L, colStride: 1 },
        { data: cols, offset: grp * d.K * d.L, rowStride: 1, colStride: d.L },
        { data: out, offset: grp * ocg * d.K, ld: d.K },
        n > 0,
      );
    }
  }
  return output(out, dtype, [d.OC, d.K / (g.kernelSize[0]! * g.kernelSize[1]!), ...g.kernelSize]);
}

registerKernel('cpu', 'conv2d', conv2dKernel);
registerKernel('cpu', 'conv2dBackwardInput', conv2dBackwardInputKernel);
registerKernel('cpu', 'conv2dBackwardWeight', conv2dBackwardWeightKernel);
