import { type Attrs, registerKernel } from '../backend.js';
import { allocArray, type TypedArray } from '../dtype.js';
import { Tensor } from '../tensor.js';
import { wrapCpu } from './backend.js';
import { reduceLayout } from './reduce-layout.js';

/**
 * Softmax (or log-softmax) along one dim in three passes over each [size] column of the
 * [outer, size, inner] layout: maximum, Σ exp(x − max), then the normalized output. The inner
 * dim is the loop's innermost, so softmax over a non-last dim streams memory in order.
 */
function softmaxKernel(log: boolean) {
  return ([x]: readonly Tensor[], attrs: Attrs): Tensor => {
    const dim = attrs.dim as number;
    const src = x!.isContiguous() ? x! : x!.contiguous();
    const { data, offset, outer, size, inner } = reduceLayout(src, [dim]);
    const out = allocArray(x!.dtype, x!.numel());
    if (inner === 1) {
      lastDimSoftmax(data, offset, out, outer, size, log);
      return new Tensor(wrapCpu(out, x!.dtype), [...x!.shape]);
    }
    const max = allocArray('float64', inner) as Float64Array;
    const sum = allocArray('float64', inner) as Float64Array;
    for (let o = 0; o < outer; o++) {
      const base = offset + o * size * inner;
      const outBase = o * size * inner;
      max.fill(Number.NEGATIVE_INFINITY);
      sum.fill(0);
      for (let r = 0; r < size; r++) {
        const row = base + r * inner;
        for (let i = 0; i < inner; i++) {
          const v = data[row + i]!;
          if (v > max[i]! || v !== v) max[i] = v;
        }
      }
      if (log) {
        sumExp(data, base, null, 0, size, inner, max, sum);
        writeLogSoftmax(data, base, out, outBase, size, inner, max, sum);
      } else {
        // exp is computed once: stored in the output, then scaled by 1 / Σ.
        sumExp(data, base, out, outBase, size, inner, max, sum);
        scaleRows(out, outBase, size, inner, sum);
      }
    }
    return new Tensor(wrapCpu(out, x!.dtype), [...x!.shape]);
  };
}

/**
 * The common case of a softmax over the innermost dim: each row's maximum and sum stay in locals,
 * with the same arithmetic as the general loops (so results are identical).
 */
function lastDimSoftmax(
  data: TypedArray,
  offset: number,
  out: TypedArray,
  outer: number,
  size: number,
  log: boolean,
): void {
  for (let o = 0, base = offset, q = 0; o < outer; o++, base += size, q += size) {
    let max = Number.NEGATIVE_INFINITY;
    for (let r = 0; r < size; r++) {
      const v = data[base + r]!;
      if (v > max || v !== v) max = v;
    }
    let sum = 0;
    if (log) {
      for (let r = 0; r < size; r++) sum += Math.exp(data[base + r]! - max);
      const logSum = Math.log(sum);
      for (let r = 0; r < size; r++) out[q + r] = data[base + r]! - max - logSum;
    } else {
      for (let r = 0; r < size; r++) {
        const e = Math.exp(data[base + r]! - max);
        sum += e;
        out[q + r] = e;
      }
      const scale = 1 / sum;
      for (let r = 0; r < size; r++) out[q + r]! *= scale;
    }
  }
}

/** sum[i] = Σ_r exp(x[r, i] − max[i]), also storing each exp into `out` when given. */
function sumExp(
  data: TypedArray,
  base: number,
  out: TypedArray | null,
  outBase: number,
  size: number,
  inner: number,
  max: Float64Array,
  sum: Float64Array,
): void {
  for (let r = 0; r < size; r++) {
    const row = base + r * inner;
    const o = outBase + r * inner;
    for (let i = 0; i < inner; i++) {
      const e = Math.exp(data[row + i]! - max[i]!);
      sum[i]! += e;
      if (out) out[o + i] = e;
    }
  }
}

function scaleRows(out: TypedArray, outBase: number, size: number, inner: number, sum: Float64Array): void {
  for (let i = 0; i < inner; i++) sum[i] = 1 / sum[i]!;
  for (let r = 0; r < size; r++) {
    const o = outBase + r * inner;
    for (let i = 0; i < inner; i++) out[o + i]! *= sum[i];
  }
}

function writeLogSoftmax(
  data: TypedArray,
  base: number,
  out: TypedArray,
  outBase: number,
  size: number,
  inner: number,
  max: Float64Array,
  sum: Float64Array,
): void {
  for (let i = 0; i < inner; i++) sum[i] = Math.log(sum[i]!);
  for (let r = 0; r < size; r++) {
    const row = base + r * inner;
    const o = outBase + r * inner;
    for (let i = 0; i < inner; i++) out[o + i] = data[row + i]! - max[i]! - sum[i]!;
  }
}

registerKernel('cpu', 'softmax', softmaxKernel(false));
registerKernel('cpu', 'logSoftmax', softmaxKernel(true));
