import { type Attrs, registerKernel } from '../backend.js';
import { allocArray, type TypedArray } from '../dtype.js';
import type { AxisWindows } from '../ops/window.js';
import { Tensor } from '../tensor.js';
import { wrapCpu } from './backend.js';
import { denseOf } from './im2col.js';

/**
 * Pooling over [N, C, H, W] seen as N·C planes, with the windows of each axis precomputed by the
 * op (strided, padded, dilated or adaptive: the kernels do not care). Max pooling returns the
 * flat index `h·W + w` of each maximum within its plane, as PyTorch.
 */

interface PoolAttrs {
  h: AxisWindows;
  w: AxisWindows;
  /** Constant divisor (average pooling's divisorOverride); else per-axis divisors multiply. */
  divisor?: number;
  /** [H, W] of the pooled input, for the backward kernels. */
  inSize: number[];
}

function planes(shape: readonly number[]): number {
  return shape[0]! * shape[1]!;
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
  const { h, w } = attrs as unknown as PoolAttrs;
  const [N, C, H, W] = x!.shape as [number, number, number, number];
  const OH = h.lo.length;
  const OW = w.lo.length;
  const { data, offset } = denseOf(x!);
  const values = allocArray(x!.dtype, N * C * OH * OW);
  const indices = new Int32Array(N * C * OH * OW);
  const hs = h.step;
  const ws = w.step;
  let o = 0;
  for (let p = 0; p < N * C; p++) {
    const base = offset + p * H * W;
    for (let oh = 0; oh < OH; oh++) {
      const hlo = h.lo[oh]!;
      const hhi = h.hi[oh]!;
      for (let ow = 0; ow < OW; ow++, o++) {
        const wlo = w.lo[ow]!;
        const whi = w.hi[ow]!;
        let idx = hlo * W + wlo;
        if (hlo >= hhi || wlo >= whi) {
          // An empty window (never from valid options): −∞ at the window's corner, as before.
          values[o] = Number.NEGATIVE_INFINITY;
          indices[o] = idx;
          continue;
        }
        let m = data[base + idx]!;
        for (let ih = hlo; ih < hhi; ih += hs) {
          for (let iw = ih === hlo ? wlo + ws : wlo, at = ih * W + iw; iw < whi; iw += ws, at += ws) {
            const v = data[base + at]!;
            // NaN wins, as in PyTorch.
            const took = +(v > m) | +(v !== v);
            idx ^= (idx ^ at) & -took;
            m = data[base + idx]!;
          }
        }
        values[o] = m;
        indices[o] = idx;
      }
    }
  }
  const shape = [N, C, OH, OW];
  return [tensorOf(values, x!, shape), new Tensor(wrapCpu(indices, 'int32'), shape)];
}

/** Scatter-adds gradients to the positions of the maxima: [N,C,OH,OW] → [N,C,H,W]. */
function maxPoolBackwardKernel([g, idx]: readonly Tensor[], attrs: Attrs): Tensor {
  const [H, W] = (attrs as unknown as PoolAttrs).inSize as [number, number];
  const P = planes(g!.shape);
  const L = g!.numel() / Math.max(P, 1);
  const gs = denseOf(g!);
  const is = denseOf(idx!);
  const out = allocArray(g!.dtype, P * H * W);
  for (let p = 0; p < P; p++) {
    const base = p * H * W;
    for (let l = 0, o = p * L; l < L; l++, o++)
      out[base + is.data[is.offset + o]!]! += gs.data[gs.offset + o];
  }
  return tensorOf(out, g!, [g!.shape[0]!, g!.shape[1]!, H, W]);
}

/** Reads the values at the maxima's positions: [N,C,H,W] → indices' shape [N,C,OH,OW]. */
function maxPoolGatherKernel([x, idx]: readonly Tensor[]): Tensor {
  const [, , H, W] = x!.shape as [number, number, number, number];
  const P = planes(idx!.shape);
  const L = idx!.numel() / Math.max(P, 1);
  const xs = denseOf(x!);
  const is = denseOf(idx!);
  const out = allocArray(x!.dtype, P * L);
  for (let p = 0; p < P; p++) {
    const base = xs.offset + p * H * W;
    for (let l = 0, o = p * L; l < L; l++, o++) out[o] = xs.data[base + is.data[is.offset + o]!]!;
  }
  return tensorOf(out, x!, [...idx!.shape]);
}

/** Average pooling; `adjoint` spreads gradients back over the windows instead. */
function avgPool(src: Tensor, attrs: Attrs, adjoint: boolean): Tensor {
  const { h, w, divisor, inSize } = attrs as unknown as PoolAttrs;
  const [H, W] = inSize as [number, number];
  const OH = h.lo.length;
  const OW = w.lo.length;
  const P = planes(src.shape);
  const { data, offset } = denseOf(src);
  const out = allocArray(src.dtype, P * (adjoint ? H * W : OH * OW));
  for (let p = 0; p < P; p++) {
    const inBase = p * H * W;
    const outBase = p * OH * OW;
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const div = divisor ?? h.div[oh]! * w.div[ow]!;
        if (adjoint) {
          const v = data[offset + outBase + oh * OW + ow]! / div;
          for (let ih = h.lo[oh]!; ih < h.hi[oh]!; ih++)
            for (let iw = w.lo[ow]!; iw < w.hi[ow]!; iw++) out[inBase + ih * W + iw]! += v;
          continue;
        }
        let s = 0;
        for (let ih = h.lo[oh]!; ih < h.hi[oh]!; ih++)
          for (let iw = w.lo[ow]!; iw < w.hi[ow]!; iw++) s += data[offset + inBase + ih * W + iw]!;
        out[outBase + oh * OW + ow] = s / div;
      }
    }
  }
  return tensorOf(out, src, [src.shape[0]!, src.shape[1]!, ...(adjoint ? [H, W] : [OH, OW])]);
}

registerKernel('cpu', 'maxPool2d', maxPoolKernel);
registerKernel('cpu', 'maxPoolBackward', maxPoolBackwardKernel);
registerKernel('cpu', 'maxPoolGather', maxPoolGatherKernel);
registerKernel('cpu', 'avgPool2d', ([x], attrs) => avgPool(x!, attrs, false));
registerKernel('cpu', 'avgPool2dBackward', ([g], attrs) => avgPool(g!, attrs, true));
