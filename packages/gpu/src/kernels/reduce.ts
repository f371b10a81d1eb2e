import { type Attrs, type DType, registerKernel, runOnCpu, type Tensor } from '@torchlet/tensor';
import { GPU_DEVICE } from '../backend.js';
import { compensatedAdd, type FoldPass, reduceTensor } from './reduce-program.js';

/**
 * Reductions as device folds, accumulating in float32 with Kahan compensation (the CPU
 * accumulates in float64; long sums agree to float32 rounding). NaN propagation follows the GPU's comparisons. int32 sums and
 * products run on the CPU: their float32 accumulators would be exact only below 2^24.
 */

const SUM: FoldPass = { init: '0.0', step: compensatedAdd('v', 's') };
const MAX: FoldPass = { init: 'first', step: 'if (v > acc) { acc = v; }' };
const MIN: FoldPass = { init: 'first', step: 'if (v < acc) { acc = v; }' };
const COUNT: FoldPass = { init: '0.0', step: 'if (v !== 0.0) { acc += 1.0; }' };

/** Folds of the plain reductions, by kernel name. */
const FOLDS: Record<string, FoldPass> = {
  sum: SUM,
  prod: { init: '1.0', step: 'acc *= v;' },
  amax: MAX,
  amin: MIN,
  all: { init: '1.0', step: 'if (v === 0.0) { acc = 0.0; }' },
  any: { init: '0.0', step: 'if (v !== 0.0) { acc = 1.0; }' },
  countNonzero: COUNT,
};

/** Value for an empty reduction (only sums, products and logical folds allow one). */
const EMPTY: Record<string, number> = { prod: 1, all: 1 };

for (const [name, fold] of Object.entries(FOLDS)) {
  registerKernel(GPU_DEVICE, name, ([x], attrs) => {
    const dtype = attrs.dtype as DType;
    if ((name === 'sum' || name === 'prod') && dtype !== 'float32') return runOnCpu(name, [x!], attrs);
    return reduceTensor(name, x!, attrs, dtype, [fold], undefined, EMPTY[name] ?? 0);
  });
}

/** The p-norm's fold: (Σ|v|^p)^(1/p), max/min |v| for ±∞, the nonzero count for 0. */
function normFold(p: number): [string, FoldPass] {
  if (p === 2) return ['2', { init: '0.0', step: compensatedAdd('v * v', 'n'), final: 'Math.sqrt(acc)' }];
  if (p === 1) return ['1', { init: '0.0', step: compensatedAdd('Math.abs(v)', 'a') }];
  if (p === 0) return ['0', COUNT];
  if (p === Number.POSITIVE_INFINITY)
    return ['inf', { init: '0.0', step: 'if (Math.abs(v) > acc) { acc = Math.abs(v); }' }];
  if (p === Number.NEGATIVE_INFINITY) {
    return ['-inf', { init: 'Math.abs(first)', step: 'if (Math.abs(v) < acc) { acc = Math.abs(v); }' }];
  }
  return [
    'p',
    { init: '0.0', step: compensatedAdd('Math.pow(Math.abs(v), p0)', 'p'), final: 'Math.pow(acc, 1.0 / p0)' },
  ];
}

registerKernel(GPU_DEVICE, 'norm', ([x], attrs) => {
  const p = attrs.p as number;
  const [key, fold] = normFold(p);
  return reduceTensor(`norm${key}`, x!, attrs, attrs.dtype as DType, [fold], [p, 0]);
});

/** Number of elements each output reduces. */
function countOf(x: Tensor, attrs: Attrs): number {
  return (attrs.dims as number[]).reduce((n, d) => n * x.shape[d]!, 1);
}

// Two passes, mean then squared deviations, as the CPU kernel (no Σx² − (Σx)²/n cancellation).
registerKernel(GPU_DEVICE, 'var', ([x], attrs) => {
  const n = countOf(x!, attrs);
  const denom = Math.max(0, n - (attrs.correction as number));
  const mean: FoldPass = { init: '0.0', step: compensatedAdd('v', 'm'), final: 'acc / p1' };
  const dev: FoldPass = {
    init: '0.0',
    step: `const e = v - pre0;\n${compensatedAdd('e * e', 'd')}`,
    final: attrs.std ? 'Math.sqrt(acc / p0)' : 'acc / p0',
  };
  const key = attrs.std ? 'std' : 'var';
  return [
    reduceTensor(key, x!, attrs, x!.dtype, [mean, dev], [denom, n], Number.NaN),
    reduceTensor('mean', x!, attrs, x!.dtype, [mean], [0, n], Number.NaN),
  ];
});

/** log Σ exp shifted by the row maximum (the first pass). */
export const LOGSUMEXP: readonly FoldPass[] = [
  MAX,
  { init: '0.0', step: compensatedAdd('Math.exp(v - pre0)', 'l'), final: 'Math.log(acc) + pre0' },
];

registerKernel(GPU_DEVICE, 'logsumexp', ([x], attrs) =>
  reduceTensor('logsumexp', x!, attrs, x!.dtype, LOGSUMEXP),
);

/** Index (first on ties) or value of each row's largest (`>`) or smallest (`<`) element. */
function extremeIndex(cmp: '>' | '<', what: 'at' | 'acc'): FoldPass[] {
  return [
    {
      init: 'first',
      step: `if (v ${cmp} acc) { acc = v; at = r; }`,
      final: what,
    },
  ];
}

function argKernel(name: string, cmp: '>' | '<', withValues: boolean) {
  registerKernel(GPU_DEVICE, name, ([x], attrs) => {
    const indices = reduceTensor(`${name}:at`, x!, attrs, 'int32', extremeIndex(cmp, 'at'));
    if (!withValues) return indices;
    return [reduceTensor(`${name}:value`, x!, attrs, x!.dtype, extremeIndex(cmp, 'acc')), indices];
  });
}
argKernel('argmax', '>', false);
argKernel('argmin', '<', false);
argKernel('maxDim', '>', true);
argKernel('minDim', '<', true);
