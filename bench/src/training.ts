/**
 * MNIST training speed: torchlet vs TensorFlow.js (cpu and wasm backends) on the trainer's MLP
 * (784-128-10) and CNN, Adam 1e-3, batch 64. Steps are timed round after round, interleaved, and
 * extrapolated to an epoch (938 steps); the MLP also trains one full epoch in each implementation
 * for accuracy. A peer that cannot train a model is reported as such.
 *
 *   node dist/training.js [--rounds 3] [--no-full] [--write]
 */
import '@torchlet/autograd';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as TF from '@tensorflow/tfjs';
import { MNIST } from '@torchlet/data';
import { buildModel, type ModelName } from '@torchlet/mnist/models';
import { CrossEntropyLoss } from '@torchlet/nn';
import { Adam } from '@torchlet/optim';
import { fromTypedArray, manualSeed, noGrad, type Tensor } from '@torchlet/tensor';
import { loadTfjs } from './tfjs.js';
import { tfjsMnistModel } from './tfjs-model.js';
import { median } from './timing.js';

const args = process.argv.slice(2);
const rounds = Number(args[args.indexOf('--rounds') + 1] ?? 3) || 3;
const full = !args.includes('--no-full');
const BATCH = 64;
const MEAN = 0.1307;
const STD = 0.3081;

const train = new MNIST({ train: true });
const test = new MNIST({ train: false });
const steps = Math.floor(train.length / BATCH) + (train.length % BATCH ? 1 : 0);

/** Each split's pixels and labels, read out once (`dataSync` copies). */
const arrays = new Map<MNIST, { pixels: Float32Array; labels: Int32Array }>(
  [train, test].map((ds) => [
    ds,
    { pixels: ds.data.dataSync() as Float32Array, labels: ds.targets.dataSync() as Int32Array },
  ]),
);

/** Standardized pixels and labels of images [start, start + n) as plain arrays. */
function slice(ds: MNIST, start: number, n: number): { x: Float32Array; y: Int32Array } {
  const { pixels, labels } = arrays.get(ds)!;
  const x = pixels.subarray(start * 784, (start + n) * 784);
  return { x: x.map((v) => (v - MEAN) / STD), y: labels.subarray(start, start + n) };
}

/** A trainer of one implementation: `step(k)` trains on batch k; `accuracy()` on the test set. */
interface Impl {
  step(k: number): Promise<void> | void;
  accuracy(): Promise<number> | number;
}

function torchletImpl(name: ModelName): Impl {
  manualSeed(0);
  const model = buildModel(name);
  const opt = new Adam(model.parameters(), { lr: 1e-3 });
  const loss = new CrossEntropyLoss();
  return {
    step(k) {
      const n = Math.min(BATCH, train.length - k * BATCH);
      const { x, y } = slice(train, k * BATCH, n);
      opt.zeroGrad();
      loss
        .call(
          model.call(fromTypedArray(x, [n, 1, 28, 28], 'float32')) as Tensor,
          fromTypedArray(y, [n], 'int32'),
        )
        .backward();
      opt.step();
    },
    accuracy() {
      const { x, y } = slice(test, 0, test.length);
      const pred = noGrad(() =>
        (model.call(fromTypedArray(x, [test.length, 1, 28, 28], 'float32')) as Tensor).argmax(1).dataSync(),
      ) as Int32Array;
      return pred.reduce((c, p, i) => c + (p === y[i] ? 1 : 0), 0) / test.length;
    },
  };
}

function tfjsImpl(tf: typeof TF, name: ModelName): Impl {
  const model = tfjsMnistModel(tf, name);
  const batch = (ds: MNIST, start: number, n: number) => {
    const { x, y } = slice(ds, start, n);
    return [tf.tensor4d(x, [n, 28, 28, 1]), tf.oneHot(tf.tensor1d(y, 'int32'), 10)] as const;
  };
  return {
    async step(k) {
      const [x, y] = batch(train, k * BATCH, Math.min(BATCH, train.length - k * BATCH));
      await model.trainOnBatch(x, y);
      tf.dispose([x, y]);
    },
    accuracy() {
      const [x, y] = batch(test, 0, test.length);
      const acc = tf.tidy(
        () => (model.predict(x) as TF.Tensor).argMax(1).equal(y.argMax(1)).mean().dataSync()[0]!,
      );
      tf.dispose([x, y]);
      return acc;
    },
  };
}

const tf = await loadTfjs();
const IMPLS = ['torchlet', 'tfjs cpu', 'tfjs wasm'] as const;
type ImplName = (typeof IMPLS)[number];

async function make(impl: ImplName, model: ModelName): Promise<Impl> {
  if (impl === 'torchlet') return torchletImpl(model);
  await tf.setBackend(impl === 'tfjs cpu' ? 'cpu' : 'wasm');
  return tfjsImpl(tf, model);
}

/** Seconds per step, per implementation, interleaved by round; null where it cannot train. */
async function stepTimes(
  model: ModelName,
  stepsPerCell: Record<ImplName, number>,
): Promise<Record<ImplName, number | string>> {
  const impls = new Map<ImplName, Impl | string>();
  for (const name of IMPLS) {
    try {
      const impl = await make(name, model);
      await impl.step(0); // warm-up: JIT, wasm compilation, buffer growth
      impls.set(name, impl);
    } catch (e) {
      impls.set(name, `cannot train: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  const samples = new Map<ImplName, number[]>(IMPLS.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    for (const name of IMPLS) {
      const impl = impls.get(name)!;
      const count = stepsPerCell[name];
      if (typeof impl === 'string' || count === 0 || (r > 0 && count === 1)) continue;
      if (name !== 'torchlet') await tf.setBackend(name === 'tfjs cpu' ? 'cpu' : 'wasm');
      const t = performance.now();
      for (let k = 1; k <= count; k++) await impl.step(k + r * count);
      samples.get(name)!.push((performance.now() - t) / 1000 / count);
    }
    process.stderr.write(`${model}: round ${r + 1}/${rounds}\n`);
  }
  const out = {} as Record<ImplName, number | string>;
  for (const name of IMPLS) {
    const impl = impls.get(name)!;
    out[name] = typeof impl === 'string' ? impl : median(samples.get(name)!);
  }
  return out;
}

/** One full epoch: seconds and test accuracy. */
async function fullEpoch(name: ImplName, model: ModelName): Promise<{ seconds: number; acc: number }> {
  const impl = await make(name, model);
  const t = performance.now();
  for (let k = 0; k < steps; k++) await impl.step(k);
  const seconds = (performance.now() - t) / 1000;
  return { seconds, acc: await impl.accuracy() };
}

const log = console.log;
console.log = () => {}; // tfjs prints a banner on first use in Node
const mlp = await stepTimes('mlp', { torchlet: 40, 'tfjs cpu': 10, 'tfjs wasm': 40 });
const cnn = await stepTimes('cnn', { torchlet: 5, 'tfjs cpu': 1, 'tfjs wasm': 5 });
const epochs: Partial<Record<ImplName, { seconds: number; acc: number }>> | null = full ? {} : null;
if (epochs)
  for (const name of ['torchlet', 'tfjs wasm', 'tfjs cpu'] as const)
    epochs[name] = await fullEpoch(name, 'mlp');
console.log = log;

const fmt = (s: number) => (s >= 100 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(1)} s`);
const row = (label: string, t: Record<ImplName, number | string>) => {
  const base = t.torchlet as number;
  const cells = IMPLS.map((n) =>
    typeof t[n] === 'number'
      ? `${fmt((t[n] as number) * steps)} (${((t[n] as number) * 1000).toFixed(0)} ms/step)`
      : String(t[n]),
  );
  const ratios = (['tfjs cpu', 'tfjs wasm'] as const).map((n) =>
    typeof t[n] === 'number' ? `${((t[n] as number) / base).toFixed(2)}×` : '—',
  );
  return `| ${label} | ${cells.join(' | ')} | ${ratios.join(' | ')} |`;
};
const lines = [
  `## MNIST training (batch ${BATCH}, Adam 1e-3; epoch = ${steps} steps, extrapolated from interleaved step timings, medians of ${rounds} rounds)`,
  '',
  '| model | torchlet | tfjs cpu | tfjs wasm | tfjs cpu ÷ torchlet | tfjs wasm ÷ torchlet |',
  '| --- | --- | --- | --- | --- | --- |',
  row('MLP 784-128-10', mlp),
  row('CNN conv32-pool-conv64-pool-128-10', cnn),
];
if (epochs) {
  lines.push('', '| one full MLP epoch | time | test accuracy |', '| --- | --- | --- |');
  for (const [name, r] of Object.entries(epochs))
    lines.push(`| ${name} | ${fmt(r.seconds)} | ${(100 * r.acc).toFixed(2)}% |`);
}
const table = lines.join('\n');
console.log(table);
if (args.includes('--write')) {
  const results = join(dirname(fileURLToPath(import.meta.url)), '..', 'RESULTS.md');
  const text = readFileSync(results, 'utf8');
  const marker = '## MNIST training';
  const head = text.includes(marker) ? text.slice(0, text.indexOf(marker)) : `${text.trimEnd()}\n\n`;
  writeFileSync(results, `${head}${table}\n`);
}
