import { type Attrs, registerKernel } from '../backend.js';
import { allocArray, type DType, isFloating, type TypedArray } from '../dtype.js';
import { Tensor } from '../tensor.js';
import { wrapCpu } from './backend.js';
import { type ReduceLayout, reducedShape, reduceLayout } from './reduce-layout.js';

/**
 * A fold over the reduced elements as JavaScript text: `acc` starts at `init`, each element `v`
 * replaces it by `step`, and `final` gives the output (with parameter `p0`). Compiled once into a
 * loop over a {@link ReduceLayout}: one accumulator per row when inner = 1, else an array of
 * `inner` float64 accumulators updated row by row (so reducing dim 0 streams memory in order).
 */
export interface FoldSpec {
  readonly init: string;
  readonly step: string;
  readonly final?: string;
  /** A different step for int32/bool inputs. */
  readonly intStep?: string;
  /**
   * How two partial accumulators `x`, `y` combine, for folds that may be split: such a fold runs
   * four independent accumulators per row, so the loop is not bound by one chain of dependent adds.
   */
  readonly merge?: string;
}

type FoldFn = (
  data: TypedArray,
  off: number,
  outer: number,
  size: number,
  inner: number,
  out: TypedArray,
  p0: number,
  acc: Float64Array,
) => void;

/** Compiled folds per spec object: [float step, integer step]. Specs are module constants. */
const folds = new WeakMap<FoldSpec, [FoldFn | undefined, FoldFn | undefined]>();

function compileFold(spec: FoldSpec, int: boolean): FoldFn {
  const step = int && spec.intStep ? spec.intStep : spec.step;
  const final = spec.final ?? 'acc';
  const lane = (k: number) => `{ const acc = a${k}; const v = d[base + r + ${k}]; a${k} = ${step}; }`;
  const merge = (x: string, y: string) => `(${spec.merge!.replace(/\bx\b/g, x).replace(/\by\b/g, y)})`;
  const rowFold = spec.merge
    ? `let a0 = ${spec.init}, a1 = ${spec.init}, a2 = ${spec.init}, a3 = ${spec.init}; let r = 0;
        for (; r + 3 < size; r += 4) { ${lane(0)} ${lane(1)} ${lane(2)} ${lane(3)} }
        let acc = ${merge(merge('a0', 'a1'), merge('a2', 'a3'))};
        for (; r < size; r++) { const v = d[base + r]; acc = ${step}; }`
    : `let acc = ${spec.init};
        for (let r = 0; r < size; r++) { const v = d[base + r]; acc = ${step}; }`;
  const body = `
    if (inner === 1) {
      for (let o = 0, base = off; o < outer; o++, base += size) {
        ${rowFold}
        out[o] = ${final};
      }
      return;
    }
    for (let o = 0; o < outer; o++) {
      A.fill(${spec.init}, 0, inner);
      for (let r = 0, base = off + o * size * inner; r < size; r++, base += inner) {
        for (let i = 0; i < inner; i++) { const v = d[base + i]; const acc = A[i]; A[i] = ${step}; }
      }
      for (let i = 0, q = o * inner; i < inner; i++, q++) { const acc = A[i]; out[q] = ${final}; }
    }`;
  return new Function('d', 'off', 'outer', 'size', 'inner', 'out', 'p0', 'A', body) as FoldFn;
}

/** Runs `spec` over `layout` into `out` (one value per (outer, inner) pair). */
export function runFold(spec: FoldSpec, layout: ReduceLayout, out: TypedArray, int: boolean, p0 = 0): void {
  let cached = folds.get(spec);
  if (!cached) folds.set(spec, (cached = [undefined, undefined]));
  const k = int && spec.intStep ? 1 : 0;
  const fn = (cached[k] ??= compileFold(spec, int));
  const { data, offset, outer, size, inner } = layout;
  // The accumulators are only read when inner > 1; allocArray keeps a small scratch cheap.
  fn(data, offset, outer, size, inner, out, p0, allocArray('float64', inner > 1 ? inner : 0) as Float64Array);
}

// max/min propagate NaN, as PyTorch does.
const MAX_STEP = 'v > acc || v !== v ? v : acc';
const MIN_STEP = 'v < acc || v !== v ? v : acc';

/** The folds behind the plain reductions; `norm` picks one by `p`. */
export const FOLDS = {
  sum: { init: '0', step: 'acc + v', merge: 'x + y' },
  prod: { init: '1', step: 'acc * v', intStep: 'Math.imul(acc, v)' },
  amax: { init: '-Infinity', step: MAX_STEP },
  amin: { init: 'Infinity', step: MIN_STEP },
  all: { init: '1', step: 'v === 0 ? 0 : acc' },
  any: { init: '0', step: 'v !== 0 ? 1 : acc' },
  countNonzero: { init: '0', step: 'v !== 0 ? acc + 1 : acc' },
  nansum: { init: '0', step: 'v === v ? acc + v : acc', merge: 'x + y' },
  norm2: { init: '0', step: 'acc + v * v', final: 'Math.sqrt(acc)', merge: 'x + y' },
  norm1: { init: '0', step: 'acc + Math.abs(v)', merge: 'x + y' },
  norm0: { init: '0', step: 'v !== 0 ? acc + 1 : acc' },
  normInf: { init: '0', step: 'Math.abs(v) > acc || v !== v ? Math.abs(v) : acc' },
  normNegInf: { init: 'Infinity', step: 'Math.abs(v) < acc || v !== v ? Math.abs(v) : acc' },
  normP: { init: '0', step: 'acc + Math.pow(Math.abs(v), p0)', final: 'Math.pow(acc, 1 / p0)' },
} satisfies Record<string, FoldSpec>;

/** The fold computing the `p`-norm. */
export function normFold(p: number): FoldSpec {
  if (p === 2) return FOLDS.norm2;
  if (p === 1) return FOLDS.norm1;
  if (p === 0) return FOLDS.norm0;
  if (p === Number.POSITIVE_INFINITY) return FOLDS.normInf;
  if (p === Number.NEGATIVE_INFINITY) return FOLDS.normNegInf;
  return FOLDS.normP;
}

function outTensor(data: TypedArray, dtype: DType, x: Tensor, attrs: Attrs): Tensor {
  return new Tensor(
    wrapCpu(data, dtype),
    reducedShape(x.shape, attrs.dims as number[], attrs.keepdim as boolean),
  );
}

/**
 * An additive fold over every dim but one middle run of a contiguous tensor (a bias gradient:
 * [N, C, H, W] summed over 0, 2 and 3), in two passes in memory order (the trailing dims, then the
 * leading ones) instead of first copying the tensor into reduction order. The partial sums stay
 * float64, so the result is the one-pass result up to float64 rounding. Null for other layouts.
 */
function foldAroundKept(spec: FoldSpec, x: Tensor, dims: readonly number[], dtype: DType): TypedArray | null {
  if (spec.merge !== 'x + y' || !x.isContiguous() || x.numel() === 0) return null;
  const kept = x.shape.map((_, d) => d).filter((d) => !dims.includes(d));
  const [first, last] = [kept[0], kept.at(-1)];
  if (first === undefined || last === undefined || first === 0 || last === x.ndim - 1) return null;
  if (last - first !== kept.length - 1) return null;
  const size = (from: number, to: number) => x.shape.slice(from, to).reduce((n, d) => n * d, 1);
  const [lead, keptSize, trail] = [size(0, first), size(first, last + 1), size(last + 1, x.ndim)];
  const partial = allocArray('float64', lead * keptSize);
  const data = x.storage.data as TypedArray;
  const int = !isFloating(x.dtype);
  runFold(spec, { data, offset: x.offset, outer: lead * keptSize, size: trail, inner: 1 }, partial, int);
  const out = allocArray(dtype, keptSize);
  runFold(spec, { data: partial, offset: 0, outer: 1, size: lead, inner: keptSize }, out, false);
  return out;
}

function foldKernel(spec: (attrs: Attrs) => FoldSpec) {
  return ([x]: readonly Tensor[], attrs: Attrs): Tensor => {
    const dtype = attrs.dtype as DType;
    const around = foldAroundKept(spec(attrs), x!, attrs.dims as number[], dtype);
    if (around) return outTensor(around, dtype, x!, attrs);
    const layout = reduceLayout(x!, attrs.dims as number[]);
    const out = allocArray(dtype, layout.outer * layout.inner);
    runFold(spec(attrs), layout, out, !isFloating(x!.dtype), (attrs.p as number | undefined) ?? 0);
    return outTensor(out, dtype, x!, attrs);
  };
}

for (const name of ['sum', 'prod', 'amax', 'amin', 'all', 'any', 'countNonzero', 'nansum'] as const) {
  registerKernel(
    'cpu',
    name,
    foldKernel(() => FOLDS[name]),
  );
}
registerKernel(
  'cpu',
  'norm',
  foldKernel((attrs) => normFold(attrs.p as number)),
);

/**
 * Index of the first largest (`sign` 1) or smallest (`sign` −1) element of each reduced row, and
 * its value; NaN counts as the extreme, as in PyTorch.
 */
function extremeWithIndex(
  layout: ReduceLayout,
  sign: number,
  values: TypedArray | null,
  indices: Int32Array,
) {
  const { data, offset, outer, size, inner } = layout;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = offset + o * size * inner + i;
      let best = data[base]!;
      let k = 0;
      for (let r = 1; r < size && best === best; r++) {
        const v = data[base + r * inner]!;
        if (sign * v > sign * best || v !== v) {
          best = v;
          k = r;
        }
      }
      indices[o * inner + i] = k;
      if (values) values[o * inner + i] = best;
    }
  }
}

function argKernel(sign: number, withValues: boolean) {
  return ([x]: readonly Tensor[], attrs: Attrs): Tensor | Tensor[] => {
    const layout = reduceLayout(x!, attrs.dims as number[]);
    const n = layout.outer * layout.inner;
    const indices = allocArray('int32', n) as Int32Array;
    const values = withValues ? allocArray(x!.dtype, n) : null;
    extremeWithIndex(layout, sign, values, indices);
    const idx = outTensor(indices, 'int32', x!, attrs);
    return values ? [outTensor(values, x!.dtype, x!, attrs), idx] : idx;
  };
}
registerKernel('cpu', 'argmax', argKernel(1, false));
registerKernel('cpu', 'argmin', argKernel(-1, false));
registerKernel('cpu', 'maxDim', argKernel(1, true));
registerKernel('cpu', 'minDim', argKernel(-1, true));

/**
 * Variance with `correction` (Bessel's when 1) by two passes, mean then squared deviations, which
 * is exact where a one-pass Σx² − (Σx)²/n cancels. Returns [var or std, mean].
 */
function varKernel([x]: readonly Tensor[], attrs: Attrs): Tensor[] {
  const layout = reduceLayout(x!, attrs.dims as number[]);
  const { data, offset, outer, size, inner } = layout;
  const dtype = x!.dtype;
  const n = outer * inner;
  const mean = allocArray('float64', n) as Float64Array;
  runFold(FOLDS.sum, layout, mean, false);
  for (let q = 0; q < n; q++) mean[q]! /= size;
  const sq = allocArray('float64', n) as Float64Array;
  for (let o = 0; o < outer; o++) {
    for (let r = 0; r < size; r++) {
      const base = offset + (o * size + r) * inner;
      for (let i = 0, q = o * inner; i < inner; i++, q++) {
        const dev = data[base + i]! - mean[q]!;
        sq[q]! += dev * dev;
      }
    }
  }
  const denom = Math.max(0, size - (attrs.correction as number));
  const out = allocArray(dtype, n);
  for (let q = 0; q < n; q++) {
    const v = sq[q]! / denom;
    out[q] = attrs.std ? Math.sqrt(v) : v;
  }
  const meanOut = allocArray(dtype, n);
  meanOut.set(mean);
  return [outTensor(out, dtype, x!, attrs), outTensor(meanOut, dtype, x!, attrs)];
}
registerKernel('cpu', 'var', varKernel);

/**
 * log Σ exp over the reduced dims, shifted by the row maximum as PyTorch does (an infinite
 * maximum is not subtracted, so rows of −∞ give −∞ and rows with +∞ give +∞).
 */
function logsumexpKernel([x]: readonly Tensor[], attrs: Attrs): Tensor {
  const layout = reduceLayout(x!, attrs.dims as number[]);
  const { data, offset, outer, size, inner } = layout;
  const n = outer * inner;
  const max = allocArray('float64', n) as Float64Array;
  runFold(FOLDS.amax, layout, max, false);
  for (let q = 0; q < n; q++) if (max[q] === Infinity || max[q] === -Infinity) max[q] = 0;
  const sums = allocArray('float64', n) as Float64Array;
  for (let o = 0; o < outer; o++) {
    for (let r = 0; r < size; r++) {
      const base = offset + (o * size + r) * inner;
      for (let i = 0, q = o * inner; i < inner; i++, q++) sums[q]! += Math.exp(data[base + i]! - max[q]!);
    }
  }
  const out = allocArray(x!.dtype, n);
  for (let q = 0; q < n; q++) out[q] = Math.log(sums[q]!) + max[q]!;
  return outTensor(out, x!.dtype, x!, attrs);
}
registerKernel('cpu', 'logsumexp', logsumexpKernel);
