// Quick throughput check of elementwise ops, reductions and softmax on the CPU backend.
// Run after `pnpm --filter @torchlet/tensor build`: node packages/tensor/scripts/perf-elementwise-reduce.mjs
import { randn } from '../dist/index.js';

function time(label, elements, fn, reps = 20) {
  fn();
  fn();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) fn();
  const ms = (performance.now() - t0) / reps;
  console.log(
    `${label.padEnd(44)} ${ms.toFixed(2).padStart(7)} ms  ${(elements / ms / 1e3).toFixed(0).padStart(5)} Melem/s`,
  );
}

const N = 1_000_000;
const a = randn([N]);
const b = randn([N]);
const m = randn([1000, 1000]);
const row = randn([1000]);
const tall = randn([200_000, 5]);
const row5 = randn([5]);
time('add contiguous 1M f32', N, () => a.add(b));
time('add broadcast [1000,1000]+[1000]', N, () => m.add(row));
time('add broadcast [200000,5]+[5] (tiny rows)', N, () => tall.add(row5));
time('add transposed [1000,1000].T + [1000,1000]', N, () => m.T.add(m));
time('exp 1M f32', N, () => a.exp());
time('sum all 1M', N, () => a.sum());
time('sum dim 0 of [1000,1000]', N, () => m.sum(0));
time('sum dim 1 of [1000,1000]', N, () => m.sum(1));
time('sum dim 0 of [1000,1000].T', N, () => m.T.sum(0));
time('amax dim 0 of [1000,1000]', N, () => m.amax(0));
time('var dim 0 of [1000,1000]', N, () => m.var(0));
time('softmax dim -1 of [1000,1000]', N, () => m.softmax(-1));
time('softmax dim 0 of [1000,1000]', N, () => m.softmax(0));
time('logSoftmax dim -1 of [1000,1000]', N, () => m.logSoftmax(-1));
time('cumsum dim 1 of [1000,1000]', N, () => m.cumsum(1));
time('max(dim 1) of [1000,1000]', N, () => m.max(1));
