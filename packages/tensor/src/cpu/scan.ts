import { type Attrs, registerKernel } from '../backend.js';
import { allocArray, type DType, isFloating, type TypedArray } from '../dtype.js';
import { logaddexp } from '../ops/math-helpers.js';
import { Tensor } from '../tensor.js';
import { wrapCpu } from './backend.js';
import { type ReduceLayout, reduceLayout } from './reduce-layout.js';

/**
 * Scans (cumulative folds) along one dim, as JavaScript text like the folds of `reduce.ts`: `acc`
 * starts at `init` and each element `v` replaces it by `step`. `reverse` scans from the end;
 * `exclusive` writes each position's accumulator before including it (used by gradients).
 */
interface ScanSpec {
  readonly init: string;
  readonly step: string;
  readonly intStep?: string;
}

type ScanFn = (
  d: TypedArray,
  off: number,
  outer: number,
  size: number,
  inner: number,
  out: TypedArray,
  A: Float64Array,
  reverse: boolean,
  exclusive: boolean,
) => void;

const SCANS = {
  cumsum: { init: '0', step: 'acc + v' },
  cumprod: { init: '1', step: 'acc * v', intStep: 'Math.imul(acc, v)' },
  logcumsumexp: { init: '-Infinity', step: 'logaddexp(acc, v)' },
} satisfies Record<string, ScanSpec>;

const compiled = new Map<string, ScanFn>();

function compileScan(spec: ScanSpec, int: boolean, helper: (a: number, b: number) => number): ScanFn {
  const step = int && spec.intStep ? spec.intStep : spec.step;
  const body = `return function (d, off, outer, size, inner, out, A, reverse, exclusive) {
    const first = reverse ? size - 1 : 0;
    const dir = reverse ? -1 : 1;
    for (let o = 0; o < outer; o++) {
      A.fill(${spec.init}, 0, inner);
      for (let k = 0, r = first; k < size; k++, r += dir) {
        const at = (o * size + r) * inner;
        for (let i = 0; i < inner; i++) {
          const v = d[off + at + i];
          const acc = A[i];
          const next = ${step};
          A[i] = next;
          out[at + i] = exclusive ? acc : next;
        }
      }
    }
  };`;
  return new Function('logaddexp', body)(helper) as ScanFn;
}

/** The contiguous layout of `x` along `dim`, and its output buffer of `dtype`. */
function scanLayout(x: Tensor, dim: number): ReduceLayout {
  return reduceLayout(x.isContiguous() ? x : x.contiguous(), [dim]);
}

function scanKernel(name: keyof typeof SCANS) {
  return ([x]: readonly Tensor[], attrs: Attrs): Tensor => {
    const dtype = attrs.dtype as DType;
    const input = x!.dtype === dtype ? x! : x!.to(dtype);
    const int = !isFloating(dtype);
    const key = `${name}|${int}`;
    let fn = compiled.get(key);
    if (!fn) compiled.set(key, (fn = compileScan(SCANS[name], int, logaddexp)));
    const { data, offset, outer, size, inner } = scanLayout(input, attrs.dim as number);
    const out = allocArray(dtype, input.numel());
    fn(data, offset, outer, size, inner, out, new Float64Array(inner), !!attrs.reverse, !!attrs.exclusive);
    return new Tensor(wrapCpu(out, dtype), [...x!.shape]);
  };
}
registerKernel('cpu', 'cumsum', scanKernel('cumsum'));
registerKernel('cpu', 'cumprod', scanKernel('cumprod'));
registerKernel('cpu', 'logcumsumexp', scanKernel('logcumsumexp'));

/**
 * Running maximum (`sign` 1) or minimum (−1) and the index where it was attained: ties move the
 * index forward and the first NaN sticks, as PyTorch's cummax/cummin.
 */
function cumExtremeKernel(sign: number) {
  return ([x]: readonly Tensor[], attrs: Attrs): Tensor[] => {
    const { data, offset, outer, size, inner } = scanLayout(x!, attrs.dim as number);
    const values = allocArray(x!.dtype, x!.numel());
    const indices = new Int32Array(x!.numel());
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        let best = 0;
        let k = 0;
        for (let r = 0; r < size; r++) {
          const at = (o * size + r) * inner + i;
          const v = data[offset + at]!;
          if (r === 0 || (best === best && (v !== v || sign * v >= sign * best))) {
            best = v;
            k = r;
          }
          values[at] = best;
          indices[at] = k;
        }
      }
    }
    return [
      new Tensor(wrapCpu(values, x!.dtype), [...x!.shape]),
      new Tensor(wrapCpu(indices, 'int32'), [...x!.shape]),
    ];
  };
}
registerKernel('cpu', 'cummax', cumExtremeKernel(1));
registerKernel('cpu', 'cummin', cumExtremeKernel(-1));
