import { type Attrs, registerKernel } from '../backend.js';
import { allocArray, type TypedArray } from '../dtype.js';
import type { ConvGeometry } from '../ops/window.js';
import { copyStrided, Tensor } from '../tensor.js';
import { wrapCpu } from './backend.js';

/**
 * im2col / col2im: the patch matrix of one image. Row `(c·KH + ki)·KW + kj` holds, for every output
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

/** Output columns `[lo, hi)` whose input column for tap offset `base` lies inside `[0, size)`. */
function validRange(base: number, stride: number, size: number, out: number): [number, number] {
  const lo = base >= 0 ? 0 : Math.ceil(-base / stride);
  const hi = base > size - 1 ? 0 : Math.floor((size - 1 - base) / stride) + 1;
  return [Math.min(lo, out), Math.min(hi, out)];
}

/**
 * Writes the patch matrix of the `channels`×H×W image at `src[srcOff]` into `dst` (row pitch `ld`,
 * starting at `dstOff`); with `adjoint`, accumulates `dst` back into `src` instead (col2im).
 */
function patches(
  src: TypedArray,
  srcOff: number,
  channels: number,
  g: Geometry,
  dst: TypedArray,
  dstOff: number,
  ld: number,
  adjoint: boolean,
): void {
  const [H, W] = g.inSize as [number, number];
  const [OH, OW] = g.outSize as [number, number];
  const [KH, KW] = g.kernelSize as [number, number];
  const [sh, sw] = g.stride as [number, number];
  const [ph, pw] = g.padding as [number, number];
  const [dh, dw] = g.dilation as [number, number];
  let row = 0;
  for (let c = 0; c < channels; c++) {
    const plane = srcOff + c * H * W;
    for (let ki = 0; ki < KH; ki++) {
      for (let kj = 0; kj < KW; kj++, row++) {
        const base = kj * dw - pw;
        const [lo, hi] = validRange(base, sw, W, OW);
        const rowOff = dstOff + row * ld;
        for (let oh = 0; oh < OH; oh++) {
          const ih = oh * sh - ph + ki * dh;
          const d = rowOff + oh * OW;
          const inside = ih >= 0 && ih < H;
          if (adjoint) {
            if (!inside) continue;
            const s = plane + ih * W + base;
            for (let ow = lo; ow < hi; ow++) src[s + ow * sw]! += dst[d + ow]!;
            continue;
          }
          if (!inside) {
            dst.fill(0, d, d + OW);
            continue;
          }
          const s = plane + ih * W + base;
          if (lo > 0) dst.fill(0, d, d + lo);
          if (sw === 1) for (let ow = lo; ow < hi; ow++) dst[d + ow] = src[s + ow]!;
          else for (let ow = lo; ow < hi; ow++) dst[d + ow] = src[s + ow * sw]!;
          if (hi < OW) dst.fill(0, d + Math.max(hi, lo), d + OW);
        }
      }
    }
  }
}

/** im2col of one image: `channels`·KH·KW rows of OH·OW columns. */
export function im2col(
  src: TypedArray,
  srcOff: number,
  channels: number,
  g: Geometry,
  dst: TypedArray,
  dstOff: number,
  ld: number,
): void {
  patches(src, srcOff, channels, g, dst, dstOff, ld, false);
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
  patches(dst, dstOff, channels, g, cols, colsOff, ld, true);
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
