/**
 * torchlet vs TensorFlow.js (cpu and wasm backends): every row runs in all three, interleaved
 * round by round so drifts in machine speed hit all columns alike; medians over rounds.
 *
 *   pnpm bench                 prints the table
 *   node dist/run.js --write   also writes RESULTS.md
 *   node dist/run.js --rounds 3 --budget 100 --only conv
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasWasmGemm } from '@torchlet/tensor';
import { ROWS, type Row } from './rows.js';
import { loadTfjs } from './tfjs.js';
import { median, msPerCall } from './timing.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
};
const rounds = Number(option('rounds', '5'));
const budget = Number(option('budget', '200'));
const only = option('only', '');
const IMPLS = ['torchlet', 'tfjs cpu', 'tfjs wasm'] as const;

const tf = await loadTfjs();
const rows = ROWS.filter((r) => r.name.includes(only));

/**
 * Prepared calls per row and implementation (tfjs inputs live in the backend that made them); null
 * where the implementation cannot run the row (tfjs-wasm has no Conv2DBackpropFilter kernel).
 */
const calls = new Map<Row, ((() => void) | null)[]>();
const log = console.log;
console.log = () => {}; // tfjs prints a banner on first use in Node
for (const row of rows) {
  const fns: ((() => void) | null)[] = [row.torchlet(), null, null];
  if (row.tfjs) {
    for (const [i, backend] of [
      [1, 'cpu'],
      [2, 'wasm'],
    ] as const) {
      await tf.setBackend(backend);
      const fn = row.tfjs(tf);
      try {
        fn(); // also warms up: JIT tiers, wasm compilation, buffer growth
        fns[i] = fn;
      } catch (e) {
        process.stderr.write(`${row.name} on tfjs ${backend}: ${(e as Error).message}\n`);
      }
    }
  }
  fns[0]!();
  calls.set(row, fns);
}
console.log = log;

const samples = new Map<Row, number[][]>(rows.map((r) => [r, IMPLS.map(() => [])]));
for (let round = 0; round < rounds; round++) {
  for (const row of rows) {
    const fns = calls.get(row)!;
    for (let i = 0; i < fns.length; i++) {
      const fn = fns[i];
      const taken = samples.get(row)![i]!;
      // A cell 20× over budget (tfjs cpu's convolution backward takes minutes) is timed once.
      if (!fn || (taken.length > 0 && taken[0]! > 20 * budget)) continue;
      if (i > 0) await tf.setBackend(i === 1 ? 'cpu' : 'wasm');
      taken.push(msPerCall(fn, budget));
    }
  }
  process.stderr.write(`round ${round + 1}/${rounds} done\n`);
}

function cell(row: Row, ms: number | undefined): string {
  if (ms === undefined) return '—';
  const t = ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
  if (!row.unit) return `${t} ms`;
  const rate = row.unit === 'GFLOP/s' ? row.work / ms / 1e6 : row.work / ms / 1e3;
  return `${t} ms (${rate.toFixed(rate >= 100 ? 0 : 1)} ${row.unit})`;
}

const lines = [
  '| benchmark | torchlet | tfjs cpu | tfjs wasm | tfjs cpu ÷ torchlet | tfjs wasm ÷ torchlet |',
  '| --- | --- | --- | --- | --- | --- |',
];
const medians = new Map<Row, number[]>();
for (const row of rows) {
  const m = samples.get(row)!.map((s) => (s.length ? median(s) : Number.NaN));
  medians.set(row, m);
  const ratio = (i: number) => (Number.isNaN(m[i]!) ? '—' : `${(m[i]! / m[0]!).toFixed(2)}×`);
  lines.push(
    `| ${row.name} | ${cell(row, m[0])} | ${cell(row, Number.isNaN(m[1]!) ? undefined : m[1])} | ${cell(row, Number.isNaN(m[2]!) ? undefined : m[2])} | ${ratio(1)} | ${ratio(2)} |`,
  );
}
const step = [...medians].find(([r]) => r.name.startsWith('MNIST'))?.[1][0];
const table = lines.join('\n');
console.log(table);
if (step !== undefined)
  console.log(`\nMNIST epoch estimate (938 steps of 64): ${((step * 938) / 1000).toFixed(0)} s`);

if (args.includes('--write')) {
  const date = new Date().toISOString().slice(0, 10);
  const text = `# Benchmarks: torchlet vs TensorFlow.js

Run: ${date}, Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), single-threaded.
torchlet gemm kernels: ${hasWasmGemm() ? 'WebAssembly SIMD' : 'plain JS'}. TensorFlow.js ${tf.version.tfjs} with its \`cpu\`
backend (plain JS) and its \`wasm\` backend (XNNPACK, SIMD). Medians of ${rounds} interleaved rounds of
≥ ${budget} ms each (a cell over ${(20 * budget) / 1000} s per call is timed once); ratios above 1 mean torchlet
is faster. tfjs-wasm has no \`Conv2DBackpropFilter\` kernel, so it cannot run the backward rows. tfjs convolutions run in its native NHWC
layout, torchlet's in NCHW. Reproduce with \`pnpm bench\` (or \`node dist/run.js --write\` in bench/).

${table}
${step !== undefined ? `\nMNIST CNN epoch estimate (938 steps of 64 images): **${((step * 938) / 1000).toFixed(0)} s**.\n` : ''}`;
  writeFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'RESULTS.md'), text);
}
