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
    const max = new Float64Array(inner);
    const sum = new Float64Array(inner);
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
      for (let r = 0; r < size; r++) {
        const row = base + r * inner;
        for (let i = 0; i < inner; i++) sum[i]! += Math.exp(data[row + i]! - max[i]!);
      }
      writeRows(data, base, out, outBase, size, inner, max, sum, log);
    }
    return new Tensor(wrapCpu(out, x!.dtype), [...x!.shape]);
  };
}

function writeRows(
  data: TypedArray,
  base: number,
  out: TypedArray,
  outBase: number,
  size: number,
  inner: number,
  max: Float64Array,
  sum: Float64Array,
  log: boolean,
): void {
  if (log) {
    for (let i = 0; i < inner; i++) sum[i] = Math.log(sum[i]!);
    for (let r = 0; r < size; r++) {
      const row = base + r * inner;
      const o = outBase + r * inner;
      for (let i = 0; i < inner; i++) out[o + i] = data[row + i]! - max[i]! - sum[i]!;
    }
    return;
  }
  for (let i = 0; i < inner; i++) sum[i] = 1 / sum[i]!;
  for (let r = 0; r < size; r++) {
    const row = base + r * inner;
    const o = outBase + r * inner;
    for (let i = 0; i < inner; i++) out[o + i] = Math.exp(data[row + i]! - max[i]!) * sum[i]!;
  }
}

registerKernel('cpu', 'softmax', softmaxKernel(false));
registerKernel('cpu', 'logSoftmax', softmaxKernel(true));
