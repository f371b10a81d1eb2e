import { type Attrs, registerKernel } from '../backend.js';
import { allocArray, type TypedArray } from '../dtype.js';
import type { AxisWindows } from '../ops/window.js';
import { Tensor } from '../tensor.js';
import { wrapCpu } from './backend.js';
import { denseOf } from './im2col.js';

/**
 * Pooling over [N, C, H, W] or [N, C, D, H, W] seen as N·C planes, with the windows of each axis
 * precomputed by the op (strided, padded, dilated or adaptive: the kernels do not care). 2-D
 * pooling is 3-D pooling with one depth window, so one loop nest serves both. Max pooling returns
 * the flat index `(d·H + h)·W + w` of each maximum within its plane, as PyTorch.
 */

interface PoolAttrs {
  /** Depth windows (3-D pooling only). */
  d?: AxisWindows;
  h: AxisWindows;
  w: AxisWindows;
  /** Constant divisor (average pooling's divisorOverride); else per-axis divisors multiply. */
  divisor?: number;
  /** [H, W] or [D, H, W] of the pooled input, for the backward kernels. */
  inSize: number[];
}

function planes(shape: readonly number[]): number {
  return shape[0]! * shape[1]!;
}

/** The one depth window of 2-D pooling. */
const UNIT: AxisWindows = { lo: [0], hi: [1], step: 1, div: [1] };

/** Depth windows and the input's [D, H, W] (depth 1 for 2-D), from attrs and the input's shape. */
function volume(attrs: PoolAttrs, inSize: readonly number[]) {
  const d = attrs.d ?? UNIT;
  const [D, H, W] = (inSize.length === 2 ? [1, ...inSize] : inSize) as [number, number, number];
  return { d, D, H, W };
}

/** Output shape: N, C, then a depth only for 3-D pooling. */
function outShape(src: Tensor, attrs: PoolAttrs, sizes: number[]): number[] {
  return [src.shape[0]!, src.shape[1]!, ...(attrs.d ? sizes : sizes.slice(1))];
}

function tensorOf(data: TypedArray, t: Tensor, shape: number[]): Tensor {
  return new Tensor(wrapCpu(data, t.dtype), shape);
}

/**
 * Max pooling without a branch per element: the running argmax moves by an integer mask
 * (`idx ^= (idx ^ cand) & -took`) and the running max is reread through it, because on the
 * random-signed activations of training `if (v > m)` mispredicts about half the time (3–5×
 * slower). Ties keep the first maximum and a NaN wins (the last NaN), as PyTorch's loop; starting
 * from the window's first element instead of −∞ picks the same element in every case.
 */
function maxPoolKernel([x]: readonly Tensor[], attrs: Attrs): Tensor[] {
  const a = attrs as unknown as PoolAttrs;
  const { h, w } = a;
  const { d, D, H, W } = volume(a, x!.shape.slice(2));
  const [N, C] = x!.shape as [number, number];
  const OD = d.lo.length;
  const OH = h.lo.length;
  const OW = w.lo.length;
  const { data, offset } = denseOf(x!);
  const values = allocArray(x!.dtype, N * C * OD * OH * OW);
  const indices = new Int32Array(N * C * OD * OH * OW);
  const ds = d.step;
  const hs = h.step;
  const ws = w.step;
  let o = 0;
  for (let p = 0; p < N * C; p++) {
    const base = offset + p * D * H * W;
    for (let od = 0; od < OD; od++) {
      const dlo = d.lo[od]!;
      const dhi = d.hi[od]!;
      for (let oh = 0; oh < OH; oh++) {
        const hlo = h.lo[oh]!;
        const hhi = h.hi[oh]!;
        for (let ow = 0; ow < OW; ow++, o++) {
          const wlo = w.lo[ow]!;
          const whi = w.hi[ow]!;
          let idx = (dlo * H + hlo) * W + wlo;
          if (dlo >= dhi || hlo >= hhi || wlo >= whi) {
            // An empty window (never from valid options): −∞ at the window's corner, as before.
            values[o] = Number.NEGATIVE_INFINITY;
            indices[o] = idx;
            continue;
          }
          // The first element compares against itself: not greater, and a NaN retakes itself.
          let m = data[base + idx]!;
          for (let id = dlo; id < dhi; id += ds) {
            for (let ih = hlo; ih < hhi; ih += hs) {
              for (let iw = wlo, at = (id * H + ih) * W + wlo; iw < whi; iw += ws, at += ws) {
                const v = data[base + at]!;
                // NaN wins, as in PyTorch.
                const took = +(v > m) | +(v !== v);
                idx ^= (idx ^ at) & -took;
                m = data[base + idx]!;
              }
            }
          }
          values[o] = m;
          indices[o] = idx;
        }
      }
    }
  }
  const shape = outShape(x!, a, [OD, OH, OW]);
  return [tensorOf(values, x!, shape), new Tensor(wrapCpu(indices, 'int32'), shape)];
}

/** Scatter-adds gradients to the positions of the maxima: [N,C,OH,OW] → [N,C,H,W] (or 3-D). */
function maxPoolBackwardKernel([g, idx]: readonly Tensor[], attrs: Attrs): Tensor {
  const { inSize } = attrs as unknown as PoolAttrs;
  const HW = inSize.reduce((a, b) => a * b, 1);
  const P = planes(g!.shape);
  const L = g!.numel() / Math.max(P, 1);
  const gs = denseOf(g!);
  const is = denseOf(idx!);
  const out = allocArray(g!.dtype, P * HW);
  for (let p = 0; p < P; p++) {
    const base = p * HW;
    for (let l = 0, o = p * L; l < L; l++, o++)
      out[base + is.data[is.offset + o]!]! += gs.data[gs.offset + o];
  }
  return tensorOf(out, g!, [g!.shape[0]!, g!.shape[1]!, ...inSize]);
}

/** Reads the values at the maxima's positions: [N,C,H,W] → indices' shape [N,C,OH,OW]. */
function maxPoolGatherKernel([x, idx]: readonly Tensor[]): Tensor {
  const HW = x!.shape.slice(2).reduce((a, b) => a * b, 1);
  const P = planes(idx!.shape);
  const L = idx!.numel() / Math.max(P, 1);
  const xs = denseOf(x!);
  const is = denseOf(idx!);
  const out = allocArray(x!.dtype, P * L);
  for (let p = 0; p < P; p++) {
    const base = xs.offset + p * HW;
    for (let l = 0, o = p * L; l < L; l++, o++) out[o] = xs.data[base + is.data[is.offset + o]!]!;
  }
  return tensorOf(out, x!, [...idx!.shape]);
}

/** Average pooling; `adjoint` spreads gradients back over the windows instead. */
function avgPool(src: Tensor, attrs: Attrs, adjoint: boolean): Tensor {
  const a = attrs as unknown as PoolAttrs;
  const { h, w, divisor } = a;
  const { d, D, H, W } = volume(a, a.inSize);
  const OD = d.lo.length;
  const OH = h.lo.length;
  const OW = w.lo.length;
  const P = planes(src.shape);
  const { data, offset } = denseOf(src);
  const out = allocArray(src.dtype, P * (adjoint ? D * H * W : OD * OH * OW));
  for (let p = 0; p < P; p++) {
    const inBase = p * D * H * W;
    let o = p * OD * OH * OW;
    for (let od = 0; od < OD; od++) {
      const dlo = d.lo[od]!;
      const dhi = d.hi[od]!;
      for (let oh = 0; oh < OH; oh++) {
        for (let ow = 0; ow < OW; ow++, o++) {
          const div = divisor ?? d.div[od]! * h.div[oh]! * w.div[ow]!;
          if (adjoint) {
            const v = data[offset + o]! / div;
            for (let id = dlo; id < dhi; id++)
              for (let ih = h.lo[oh]!; ih < h.hi[oh]!; ih++)
                for (let iw = w.lo[ow]!; iw < w.hi[ow]!; iw++) out[inBase + (id * H + ih) * W + iw]! += v;
            continue;
          }
          let s = 0;
          for (let id = dlo; id < dhi; id++)
            for (let ih = h.lo[oh]!; ih < h.hi[oh]!; ih++)
              for (let iw = w.lo[ow]!; iw < w.hi[ow]!; iw++)
                s += data[offset + inBase + (id * H + ih) * W + iw]!;
          out[o] = s / div;
        }
      }
    }
  }
  return tensorOf(out, src, outShape(src, a, adjoint ? [D, H, W] : [OD, OH, OW]));
}

registerKernel('cpu', 'maxPool2d', maxPoolKernel);
registerKernel('cpu', 'maxPoolBackward', maxPoolBackwardKernel);
registerKernel('cpu', 'maxPoolGather', maxPoolGatherKernel);
registerKernel('cpu', 'avgPool2d', ([x], attrs) => avgPool(x!, attrs, false));
registerKernel('cpu', 'avgPool2dBackward', ([g], attrs) => avgPool(g!, attrs, true));
// 3-D pooling runs the same kernels under its own names (a device may implement only 2-D ones).
registerKernel('cpu', 'maxPool3d', maxPoolKernel);
registerKernel('cpu', 'maxPool3dBackward', maxPoolBackwardKernel);
registerKernel('cpu', 'maxPool3dGather', maxPoolGatherKernel);
registerKernel('cpu', 'avgPool3d', ([x], attrs) => avgPool(x!, attrs, false));
registerKernel('cpu', 'avgPool3dBackward', ([g], attrs) => avgPool(g!, attrs, true));
