import { type AxisWindows, type DType, registerKernel, runOnCpu, type Tensor } from '@torchlet/tensor';
import { GPU_DEVICE } from '../backend.js';
import { type ArgTypes, launch, program } from '../program.js';
import { arrayArgs, arrayValues, deviceTensor, filled, splitIndex } from './output.js';

/**
 * Max and average pooling over [N, C, H, W] with the windows the op resolved (sliding or
 * adaptive), one output element per thread. The backward kernels run gather-style, per input
 * pixel over the few output windows that contain it.
 */

interface PoolAttrs {
  h: AxisWindows;
  w: AxisWindows;
  inSize: number[];
  divisor?: number;
}

/** Most taps any window of `a` has. */
function span(a: AxisWindows): number {
  return a.lo.reduce((m, lo, o) => Math.max(m, Math.ceil((a.hi[o]! - lo) / a.step)), 0);
}

/** For each input position, the first and last output window containing it, and the widest such range. */
function reach(a: AxisWindows, size: number): { first: Float32Array; last: Float32Array; count: number } {
  const first = new Float32Array(size).fill(0);
  const last = new Float32Array(size).fill(-1);
  let count = 0;
  for (let i = 0; i < size; i++) {
    let f = -1;
    for (let o = 0; o < a.lo.length; o++) {
      if (a.lo[o]! <= i && i < a.hi[o]!) {
        if (f < 0) f = o;
        last[i] = o;
      }
    }
    if (f >= 0) {
      first[i] = f;
      count = Math.max(count, last[i]! - f + 1);
    }
  }
  return { first, last, count };
}

/**
 * The arguments every backward kernel shares: per input row and column, the first and last
 * output windows containing it (named `names`), then N, C, H, W and the most windows any input
 * row (KH) or column (KW) lies in.
 */
function reachArgs(
  p: PoolAttrs,
  g: Tensor,
  [H, W]: [number, number],
  names: [string, string, string, string],
): { args: ArgTypes; values: unknown[] } {
  const rh = reach(p.h, H);
  const rw = reach(p.w, W);
  return {
    args: { ...windowArgs(names), ...sizeArgs(['N', 'C', 'H', 'W', 'KH', 'KW']) },
    values: [rh.first, rh.last, rw.first, rw.last, g.shape[0], g.shape[1], H, W, rh.count, rw.count],
  };
}

function run(
  key: string,
  args: ArgTypes,
  body: string,
  values: unknown[],
  shape: number[],
  dtype: DType,
): Tensor {
  const kernel = program(key, () => ({ args, body }));
  return deviceTensor(
    launch(
      kernel,
      shape.reduce((a, b) => a * b, 1),
      values,
    ),
    dtype,
    shape,
  );
}

const SIZES = ['N', 'C', 'H', 'W', 'OH', 'OW', 'KH', 'KW', 'DH', 'DW'];
const sizeArgs = (names: string[]): ArgTypes =>
  Object.fromEntries(names.map((n) => [n, 'Integer'])) as ArgTypes;
const windowArgs = (names: string[]): ArgTypes =>
  Object.fromEntries(names.map((n) => [n, 'Array'])) as ArgTypes;

const MAX_INDEX = `${splitIndex('this.thread.x', ['n', 'c', 'oh', 'ow'], ['N', 'C', 'OH', 'OW'])}
const hlo = hl[oh];
const hhi = hh[oh];
const wlo = wl[ow];
const whi = wh[ow];
const base = xo + n * x0 + c * x1;
let best = xa[base + hlo * x2 + wlo * x3];
let at = hlo * W + wlo;
for (let a = 0; a < KH; a++) {
  const ih = hlo + a * DH;
  if (ih < hhi) {
    for (let b = 0; b < KW; b++) {
      const iw = wlo + b * DW;
      if (iw < whi) {
        const v = xa[base + ih * x2 + iw * x3];
        if (v > best) {
          best = v;
          at = ih * W + iw;
        }
      }
    }
  }
}
return at;`;

function maxPoolKernel(inputs: readonly Tensor[], attrs: Record<string, unknown>): Tensor[] {
  const x = inputs[0]!;
  if (x.dtype !== 'float32') return runOnCpu('maxPool2d', inputs, attrs) as Tensor[];
  const p = attrs as unknown as PoolAttrs;
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const shape = [N, C, p.h.lo.length, p.w.lo.length];
  if (x.numel() === 0) return [filled(0, x.dtype, shape), filled(0, 'int32', shape)];
  const args = { ...arrayArgs('x', 4), ...windowArgs(['hl', 'hh', 'wl', 'wh']), ...sizeArgs(SIZES) };
  const windows = [p.h.lo, p.h.hi, p.w.lo, p.w.hi].map((a) => Float32Array.from(a));
  const sizes = [N, C, H, W, shape[2], shape[3], span(p.h), span(p.w), p.h.step, p.w.step];
  const indices = run(
    'maxPool2d',
    args,
    MAX_INDEX,
    [...arrayValues(x), ...windows, ...sizes],
    shape,
    'int32',
  );
  return [maxPoolGather([x, indices]), indices];
}

// out[n, c, l] = x[n, c, idx / W, idx mod W]
const GATHER = `${splitIndex('this.thread.x', ['n', 'c', 'oh', 'ow'], ['N', 'C', 'OH', 'OW'])}
const at = ia[io + n * i0 + c * i1 + oh * i2 + ow * i3];
const iw = at % W;
const ih = (at - iw) / W;
return xa[xo + n * x0 + c * x1 + ih * x2 + iw * x3];`;

function maxPoolGather(inputs: readonly Tensor[]): Tensor {
  const [x, idx] = inputs as [Tensor, Tensor];
  const [N, C, OH, OW] = idx.shape as [number, number, number, number];
  if (idx.numel() === 0) return filled(0, x.dtype, idx.shape);
  const args = { ...arrayArgs('x', 4), ...arrayArgs('i', 4), ...sizeArgs(['N', 'C', 'W', 'OH', 'OW']) };
  const values = [...arrayValues(x), ...arrayValues(idx), N, C, x.shape[3]!, OH, OW];
  return run('maxPoolGather', args, GATHER, values, [...idx.shape], x.dtype);
}

// Per input pixel: Σ over the windows reaching it of the gradient of those whose maximum it was.
const MAX_BACKWARD = `${splitIndex('this.thread.x', ['n', 'c', 'ih', 'iw'], ['N', 'C', 'H', 'W'])}
const target = ih * W + iw;
const fh = hf[ih];
const lh = hl[ih];
const fw = wf[iw];
const lw = wl[iw];
const pi = io + n * i0 + c * i1;
const pg = go + n * g0 + c * g1;
let s = 0.0;
for (let a = 0; a < KH; a++) {
  const oh = fh + a;
  if (oh <= lh) {
    for (let b = 0; b < KW; b++) {
      const ow = fw + b;
      if (ow <= lw) {
        if (Math.abs(ia[pi + oh * i2 + ow * i3] - target) < 0.5) {
          s += ga[pg + oh * g2 + ow * g3];
        }
      }
    }
  }
}
return s;`;

function maxPoolBackwardKernel(inputs: readonly Tensor[], attrs: Record<string, unknown>): Tensor {
  const [g, idx] = inputs as [Tensor, Tensor];
  const p = attrs.windows as PoolAttrs | undefined;
  // Without the windows (the gradient of maxPoolGather) the reach of each input is unknown.
  if (!p || g.dtype !== 'float32') return runOnCpu('maxPoolBackward', inputs, attrs) as Tensor;
  const [H, W] = attrs.inSize as [number, number];
  const [N, C] = g.shape as [number, number];
  const shape = [N, C, H, W];
  if (g.numel() === 0) return filled(0, g.dtype, shape);
  const r = reachArgs(p, g, [H, W], ['hf', 'hl', 'wf', 'wl']);
  const args = { ...arrayArgs('g', 4), ...arrayArgs('i', 4), ...r.args };
  const values = [...arrayValues(g), ...arrayValues(idx), ...r.values];
  return run('maxPoolBackward', args, MAX_BACKWARD, values, shape, g.dtype);
}

const AVG = `${splitIndex('this.thread.x', ['n', 'c', 'oh', 'ow'], ['N', 'C', 'OH', 'OW'])}
const hlo = hl[oh];
const hhi = hh[oh];
const wlo = wl[ow];
const whi = wh[ow];
const base = xo + n * x0 + c * x1;
let s = 0.0;
for (let a = 0; a < KH; a++) {
  const ih = hlo + a;
  if (ih < hhi) {
    for (let b = 0; b < KW; b++) {
      const iw = wlo + b;
      if (iw < whi) {
        s += xa[base + ih * x2 + iw * x3];
      }
    }
  }
}
const dv = p0 > 0.0 ? p0 : hd[oh] * wd[ow];
return s / dv;`;

/** Window bounds and divisors of both axes, as kernel arrays. */
function windowArrays(p: PoolAttrs): Float32Array[] {
  return [p.h.lo, p.h.hi, p.h.div, p.w.lo, p.w.hi, p.w.div].map((a) => Float32Array.from(a));
}

const AVG_WINDOWS = ['hl', 'hh', 'hd', 'wl', 'wh', 'wd'];

function avgPoolKernel(inputs: readonly Tensor[], attrs: Record<string, unknown>): Tensor {
  const x = inputs[0]!;
  if (x.dtype !== 'float32') return runOnCpu('avgPool2d', inputs, attrs) as Tensor;
  const p = attrs as unknown as PoolAttrs;
  const [N, C] = x.shape as [number, number];
  const shape = [N, C, p.h.lo.length, p.w.lo.length];
  if (x.numel() === 0) return filled(0, x.dtype, shape);
  const args = {
    ...arrayArgs('x', 4),
    ...windowArgs(AVG_WINDOWS),
    ...sizeArgs(['N', 'C', 'OH', 'OW', 'KH', 'KW']),
    p0: 'Float' as const,
  };
  const spanOf = (a: AxisWindows) => a.lo.reduce((m, lo, o) => Math.max(m, a.hi[o]! - lo), 0);
  const values = [
    ...arrayValues(x),
    ...windowArrays(p),
    N,
    C,
    shape[2],
    shape[3],
    spanOf(p.h),
    spanOf(p.w),
    p.divisor ?? 0,
  ];
  return run('avgPool2d', args, AVG, values, shape, x.dtype);
}

// Per input pixel: Σ over the windows containing it of their gradient / divisor.
const AVG_BACKWARD = `${splitIndex('this.thread.x', ['n', 'c', 'ih', 'iw'], ['N', 'C', 'H', 'W'])}
const fh = hf[ih];
const lh = hr[ih];
const fw = wf[iw];
const lw = wr[iw];
const pg = go + n * g0 + c * g1;
let s = 0.0;
for (let a = 0; a < KH; a++) {
  const oh = fh + a;
  if (oh <= lh && hl[oh] <= ih && ih < hh[oh]) {
    for (let b = 0; b < KW; b++) {
      const ow = fw + b;
      if (ow <= lw && wl[ow] <= iw && iw < wh[ow]) {
        const dv = p0 > 0.0 ? p0 : hd[oh] * wd[ow];
        s += ga[pg + oh * g2 + ow * g3] / dv;
      }
    }
  }
}
return s;`;

function avgPoolBackwardKernel(inputs: readonly Tensor[], attrs: Record<string, unknown>): Tensor {
  const g = inputs[0]!;
  if (g.dtype !== 'float32') return runOnCpu('avgPool2dBackward', inputs, attrs) as Tensor;
  const p = attrs as unknown as PoolAttrs;
  const [H, W] = p.inSize as [number, number];
  const [N, C] = g.shape as [number, number];
  const shape = [N, C, H, W];
  if (g.numel() === 0) return filled(0, g.dtype, shape);
  const r = reachArgs(p, g, [H, W], ['hf', 'hr', 'wf', 'wr']);
  const args = { ...arrayArgs('g', 4), ...windowArgs(AVG_WINDOWS), ...r.args, p0: 'Float' as const };
  const values = [...arrayValues(g), ...windowArrays(p), ...r.values, p.divisor ?? 0];
  return run('avgPool2dBackward', args, AVG_BACKWARD, values, shape, g.dtype);
}

registerKernel(GPU_DEVICE, 'maxPool2d', maxPoolKernel);
registerKernel(GPU_DEVICE, 'maxPoolGather', maxPoolGather);
registerKernel(GPU_DEVICE, 'maxPoolBackward', maxPoolBackwardKernel);
registerKernel(GPU_DEVICE, 'avgPool2d', avgPoolKernel);
registerKernel(GPU_DEVICE, 'avgPool2dBackward', avgPoolBackwardKernel);
