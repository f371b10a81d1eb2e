import { type Attrs, registerKernel } from '../backend.js';
import { allocArray, type DType, type TypedArray } from '../dtype.js';
import { Tensor } from '../tensor.js';
import { wrapCpu } from './backend.js';

/** Interpolation modes with PyTorch's index math. */
export type InterpolateMode = 'nearest' | 'nearest-exact' | 'linear' | 'bilinear';

/** For each output position along one axis: two source indices and their weights. */
interface AxisWeights {
  i0: Int32Array;
  i1: Int32Array;
  w0: Float64Array;
  w1: Float64Array;
}

/**
 * Source indices and weights along one axis, following ATen's `nearest_idx`,
 * `nearest_exact_idx` and `compute_source_index_and_lambda`. Nearest modes compute in float32 as
 * ATen does for every dtype; linear modes compute in the input's precision (`f32`).
 */
function axisWeights(
  mode: InterpolateMode,
  inSize: number,
  outSize: number,
  alignCorners: boolean,
  scale: number | undefined,
  f32: boolean,
): AxisWeights {
  const i0 = new Int32Array(outSize);
  const i1 = new Int32Array(outSize);
  const w0 = new Float64Array(outSize).fill(1);
  const w1 = new Float64Array(outSize);
  const hasScale = scale !== undefined && scale > 0;
  if (mode === 'nearest' || mode === 'nearest-exact') {
    const s = Math.fround(hasScale ? 1 / scale : inSize / outSize);
    const shift = mode === 'nearest-exact' ? 0.5 : 0;
    for (let d = 0; d < outSize; d++) {
      let src: number;
      if (outSize === inSize) src = d;
      else if (mode === 'nearest' && outSize === 2 * inSize) src = d >> 1;
      else src = Math.min(Math.floor(Math.fround((d + shift) * s)), inSize - 1);
      i0[d] = src;
      i1[d] = src;
    }
    return { i0, i1, w0, w1 };
  }
  const r = f32 ? Math.fround : (v: number) => v;
  let ratio: number;
  if (alignCorners) ratio = outSize > 1 ? r((inSize - 1) / (outSize - 1)) : 0;
  else ratio = r(hasScale ? 1 / scale : inSize / outSize);
  for (let d = 0; d < outSize; d++) {
    if (outSize === inSize) {
      i0[d] = d;
      i1[d] = d;
      continue;
    }
    let src = alignCorners ? r(ratio * d) : r(r(ratio * (d + 0.5)) - 0.5);
    if (src < 0) src = 0;
    const lo = Math.floor(src);
    i0[d] = lo;
    i1[d] = lo < inSize - 1 ? lo + 1 : lo;
    const l1 = Math.min(Math.max(r(src - lo), 0), 1);
    w1[d] = l1;
    w0[d] = r(1 - l1);
  }
  return { i0, i1, w0, w1 };
}

/** Input geometry as 4-D (a 3-D `[N,C,W]` input is `[N,C,1,W]` with a zero H stride). */
interface Geometry {
  nc: number;
  c: number;
  h: number;
  w: number;
  sN: number;
  sC: number;
  sH: number;
  sW: number;
}

function geometry(t: Tensor): Geometry {
  const four = t.ndim === 4;
  return {
    nc: t.shape[0]! * t.shape[1]!,
    c: t.shape[1]!,
    h: four ? t.shape[2]! : 1,
    w: t.shape[t.ndim - 1]!,
    sN: t.strides[0]!,
    sC: t.strides[1]!,
    sH: four ? t.strides[2]! : 0,
    sW: t.strides[t.ndim - 1]!,
  };
}

/** [H, W] of a `[N,C,W]` or `[N,C,H,W]` size; a 1-d signal has height 1. */
function spatialSize(size: readonly number[]): [number, number] {
  return [size.length === 4 ? size[2]! : 1, size[size.length - 1]!];
}

/** Weights along H and W from input size (inH, inW) to output size (outH, outW). */
function weightsFor(attrs: Attrs, inH: number, inW: number, outH: number, outW: number, f32: boolean) {
  const mode = attrs.mode as InterpolateMode;
  const align = Boolean(attrs.alignCorners);
  const scales = (attrs.scales as (number | undefined)[] | undefined) ?? [];
  const is4d = (attrs.inputSize as number[]).length === 4;
  const hw = is4d
    ? axisWeights(mode, inH, outH, align, scales[0], f32)
    : axisWeights('nearest', 1, 1, false, undefined, f32);
  const ww = axisWeights(mode, inW, outW, align, scales[is4d ? 1 : 0], f32);
  return { hw, ww };
}

/** Resamples `[N,C,W]` / `[N,C,H,W]` to `attrs.outputSize`: out = Σ wₕ·w_w·x at the 2×2 sources. */
registerKernel('cpu', 'interpolate', ([x], attrs: Attrs) => {
  const t = x!;
  const dtype = attrs.dtype as DType;
  const outSize = attrs.outputSize as number[];
  const g = geometry(t);
  const [outH, outW] = spatialSize(outSize);
  const { hw, ww } = weightsFor(attrs, g.h, g.w, outH, outW, dtype === 'float32');
  const src = t.storage.data as TypedArray;
  const out = allocArray(dtype, g.nc * outH * outW);
  let o = 0;
  for (let p = 0; p < g.nc; p++) {
    const base = t.offset + Math.floor(p / g.c) * g.sN + (p % g.c) * g.sC;
    for (let oh = 0; oh < outH; oh++) {
      const r0 = base + hw.i0[oh]! * g.sH;
      const r1 = base + hw.i1[oh]! * g.sH;
      const a0 = hw.w0[oh]!;
      const a1 = hw.w1[oh]!;
      for (let ow = 0; ow < outW; ow++) {
        const c0 = ww.i0[ow]! * g.sW;
        const c1 = ww.i1[ow]! * g.sW;
        const b0 = ww.w0[ow]!;
        const b1 = ww.w1[ow]!;
        // Zero weights are skipped so an infinite neighbour does not turn 0·∞ into NaN.
        let top = b0 * src[r0 + c0]!;
        if (b1 !== 0) top += b1 * src[r0 + c1]!;
        let v = a0 * top;
        if (a1 !== 0) {
          let bottom = b0 * src[r1 + c0]!;
          if (b1 !== 0) bottom += b1 * src[r1 + c1]!;
          v += a1 * bottom;
        }
        out[o++] = v;
      }
    }
  }
  return new Tensor(wrapCpu(out, dtype), [...outSize]);
});

/**
 * The adjoint of `interpolate`: scatters each output gradient onto its source positions with the
 * same weights, producing a gradient of shape `attrs.inputSize`.
 */
registerKernel('cpu', 'interpolateBackward', ([grad], attrs: Attrs) => {
  const t = grad!;
  const dtype = attrs.dtype as DType;
  const inSize = attrs.inputSize as number[];
  const g = geometry(t);
  const [inH, inW] = spatialSize(inSize);
  const { hw, ww } = weightsFor(attrs, inH, inW, g.h, g.w, dtype === 'float32');
  const src = t.storage.data as TypedArray;
  const acc = new Float64Array(g.nc * inH * inW);
  for (let p = 0; p < g.nc; p++) {
    const base = t.offset + Math.floor(p / g.c) * g.sN + (p % g.c) * g.sC;
    const plane = p * inH * inW;
    for (let oh = 0; oh < g.h; oh++) {
      const r0 = plane + hw.i0[oh]! * inW;
      const r1 = plane + hw.i1[oh]! * inW;
      const a0 = hw.w0[oh]!;
      const a1 = hw.w1[oh]!;
      for (let ow = 0; ow < g.w; ow++) {
        const v = src[base + oh * g.sH + ow * g.sW]!;
        const c0 = ww.i0[ow]!;
        const c1 = ww.i1[ow]!;
        const b0 = ww.w0[ow]!;
        const b1 = ww.w1[ow]!;
        acc[r0 + c0]! += a0 * b0 * v;
        if (b1 !== 0) acc[r0 + c1]! += a0 * b1 * v;
        if (a1 !== 0) {
          acc[r1 + c0]! += a1 * b0 * v;
          if (b1 !== 0) acc[r1 + c1]! += a1 * b1 * v;
        }
      }
    }
  }
  const out = allocArray(dtype, acc.length);
  out.set(acc);
  return new Tensor(wrapCpu(out, dtype), [...inSize]);
});
