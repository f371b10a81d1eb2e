import { type Attrs, registerKernel } from '../backend.js';
import { allocArray, type TypedArray } from '../dtype.js';
import type { ConvGeometry } from '../ops/window.js';
import { copyStrided, Tensor } from '../tensor.js';
import { wrapCpu } from './backend.js';

/**
 * im2col / col2im: the patch matrix of one image (2-D or 3-D). Row `(c·KH + ki)·KW + kj` holds, for every output
 * position, the input value kernel tap (ki, kj) of channel c sees there (zero in the padding).
 * Convolution is then a gemm, `unfold` is this matrix and `fold` its adjoint.
 */

/** A tensor's elements as a dense row-major array plus offset (a copy only if it is strided). */
export function denseOf(t: Tensor): { data: TypedArray; offset: number } {
  const data = t.storage.data as TypedArray;
  if (t.isContiguous()) return { data, offset: t.offset };
  const copy = allocArray(t.dtype, t.numel());
  copyStrided(data, t.offset, t.shape, t.strides, copy);
  return { data: copy, offset: 0 };
}

type Geometry = Pick<ConvGeometry, 'stride' | 'padding' | 'dilation' | 'inSize' | 'outSize' | 'kernelSize'>;

/**
 * The geometry as plain numbers, read once per image rather than through arrays in the loops.
 * 2-D geometries get a depth of one, so one loop nest serves conv2d and conv3d.
 */
function sizes(g: Geometry) {
  const lift = (v: number[], fill: number) => (v.length === 2 ? [fill, ...v] : v);
  const [D, H, W] = lift(g.inSize, 1) as [number, number, number];
  const [OD, OH, OW] = lift(g.outSize, 1) as [number, number, number];
  const [KD, KH, KW] = lift(g.kernelSize, 1) as [number, number, number];
  const [sd, sh, sw] = lift(g.stride, 1) as [number, number, number];
  const [pd, ph, pw] = lift(g.padding, 0) as [number, number, number];
  const [dd, dh, dw] = lift(g.dilation, 1) as [number, number, number];
  return { D, H, W, OD, OH, OW, KD, KH, KW, sd, sh, sw, pd, ph, pw, dd, dh, dw };
}

/** First output column whose input column `o·stride + base` is ≥ 0. */
function firstInside(base: number, stride: number, out: number): number {
  return base >= 0 ? 0 : Math.min(out, Math.ceil(-base / stride));
}

/** One past the last output column whose input column `o·stride + base` is < size. */
function endInside(base: number, stride: number, size: number, out: number): number {
  return base > size - 1 ? 0 : Math.min(out, Math.floor((size - 1 - base) / stride) + 1);
}

// im2col and col2im are written out separately (not one function with a direction flag) and
// without TypedArray.fill: their rows are short (OW elements), so per-row call overhead dominates.

/** im2col of one image: `channels`·KD·KH·KW rows of OD·OH·OW columns, row pitch `ld`, from `dstOff`. */
export function im2col(
  src: TypedArray,
  srcOff: number,
  channels: number,
  g: Geometry,
  dst: TypedArray,
  dstOff: number,
  ld: number,
): void {
  const { D, H, W, OD, OH, OW, KD, KH, KW, sd, sh, sw, pd, ph, pw, dd, dh, dw } = sizes(g);
  let row = dstOff;
  for (let c = 0; c < channels; c++) {
    const volume = srcOff + c * D * H * W;
    for (let kd = 0; kd < KD; kd++) {
      for (let ki = 0; ki < KH; ki++) {
        for (let kj = 0; kj < KW; kj++, row += ld) {
          const base = kj * dw - pw;
          const lo = firstInside(base, sw, OW);
          const hi = Math.max(lo, endInside(base, sw, W, OW));
          let d = row;
          for (let od = 0; od < OD; od++) {
            const id = od * sd - pd + kd * dd;
            const plane = volume + id * H * W;
            for (let oh = 0; oh < OH; oh++, d += OW) {
              const ih = oh * sh - ph + ki * dh;
              if (id < 0 || id >= D || ih < 0 || ih >= H) {
                for (let ow = 0; ow < OW; ow++) dst[d + ow] = 0;
                continue;
              }
              const s = plane + ih * W + base;
              for (let ow = 0; ow < lo; ow++) dst[d + ow] = 0;
              if (sw === 1) for (let ow = lo; ow < hi; ow++) dst[d + ow] = src[s + ow]!;
              else for (let ow = lo; ow < hi; ow++) dst[d + ow] = src[s + ow * sw]!;
              for (let ow = hi; ow < OW; ow++) dst[d + ow] = 0;
            }
          }
        }
      }
    }
  }
}

/** col2im of one image: adds every patch-matrix entry into the input position it came from. */
export function col2im(
  cols: TypedArray,
  colsOff: number,
  ld: number,
  channels: number,
  g: Geometry,
  dst: TypedArray,
  dstOff: number,
): void {
  const { D, H, W, OD, OH, OW, KD, KH, KW, sd, sh, sw, pd, ph, pw, dd, dh, dw } = sizes(g);
  let row = colsOff;
  for (let c = 0; c < channels; c++) {
    const volume = dstOff + c * D * H * W;
    for (let kd = 0; kd < KD; kd++) {
      for (let ki = 0; ki < KH; ki++) {
        for (let kj = 0; kj < KW; kj++, row += ld) {
          const base = kj * dw - pw;
          const lo = firstInside(base, sw, OW);
          const hi = endInside(base, sw, W, OW);
          let s = row;
          for (let od = 0; od < OD; od++) {
            const id = od * sd - pd + kd * dd;
            const plane = volume + id * H * W;
            for (let oh = 0; oh < OH; oh++, s += OW) {
              const ih = oh * sh - ph + ki * dh;
              if (id < 0 || id >= D || ih < 0 || ih >= H) continue;
              const d = plane + ih * W + base;
              if (sw === 1) for (let ow = lo; ow < hi; ow++) dst[d + ow]! += cols[s + ow];
              else for (let ow = lo; ow < hi; ow++) dst[d + ow * sw]! += cols[s + ow];
            }
          }
        }
      }
    }
  }
}

/** unfold: [N,C,H,W] → [N, C·KH·KW, L]. */
function unfoldKernel([x]: readonly Tensor[], attrs: Attrs): Tensor {
  const g = attrs as unknown as Geometry;
  const [N, C] = x!.shape as [number, number];
  const rows = C * g.kernelSize[0]! * g.kernelSize[1]!;
  const L = g.outSize[0]! * g.outSize[1]!;
  const { data, offset } = denseOf(x!);
  const out = allocArray(x!.dtype, N * rows * L);
  const plane = C * g.inSize[0]! * g.inSize[1]!;
  for (let n = 0; n < N; n++) im2col(data, offset + n * plane, C, g, out, n * rows * L, L);
  return new Tensor(wrapCpu(out, x!.dtype), [N, rows, L]);
}

/** fold: [N, C·KH·KW, L] → [N,C,H,W], summing overlapping patches. */
function foldKernel([cols]: readonly Tensor[], attrs: Attrs): Tensor {
  const g = attrs as unknown as Geometry;
  const [N, rows, L] = cols!.shape as [number, number, number];
  const C = rows / (g.kernelSize[0]! * g.kernelSize[1]!);
  const [H, W] = g.inSize as [number, number];
  const { data, offset } = denseOf(cols!);
  const out = allocArray(cols!.dtype, N * C * H * W);
  for (let n = 0; n < N; n++) col2im(data, offset + n * rows * L, L, C, g, out, n * C * H * W);
  return new Tensor(wrapCpu(out, cols!.dtype), [N, C, H, W]);
}

registerKernel('cpu', 'unfold', unfoldKernel);
registerKernel('cpu', 'fold', foldKernel);
