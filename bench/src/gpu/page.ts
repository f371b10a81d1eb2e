/**
 * Browser side of the device benchmark (bundled by ../gpu.ts and run in headless Chromium): the
 * same work in torchlet's gpu device (gpu.js on WebGL2), TensorFlow.js's webgl backend and
 * torchlet's CPU kernels, in one page, interleaved round by round. Every timed call ends with a
 * readback, so queued GPU work is counted.
 */
import * as tf from '@tensorflow/tfjs';
import '@torchlet/autograd';
import { gpuMode } from '@torchlet/gpu';
import { buildModel, type ModelName } from '@torchlet/mnist/models';
import { CrossEntropyLoss } from '@torchlet/nn';
import { Adam } from '@torchlet/optim';
import { conv2d, manualSeed, randint, randn, type Tensor, tidy } from '@torchlet/tensor';
import { tfjsMnistModel } from '../tfjs-model.js';

const IMPLS = ['torchlet gpu', 'tfjs webgl', 'torchlet cpu'] as const;
type Impl = (typeof IMPLS)[number];

/** A row builds, per implementation, the call to time (null: that implementation cannot run it). */
interface Row {
  name: string;
  make(impl: Impl): (() => unknown) | null;
}

function matmulRow(n: number): Row {
  return {
    name: `matmul ${n}×${n} + readback`,
    make(impl) {
      if (impl === 'tfjs webgl') {
        const [a, b] = [tf.randomNormal([n, n]), tf.randomNormal([n, n])];
        return () => tf.tidy(() => tf.matMul(a, b).dataSync());
      }
      const device = impl === 'torchlet gpu' ? 'gpu' : 'cpu';
      const [a, b] = [randn([n, n]).to(device), randn([n, n]).to(device)];
      return () => tidy(() => a.matmul(b).dataSync());
    },
  };
}

function convRow(): Row {
  const [x, w] = [
    [64, 32, 14, 14],
    [64, 32, 3, 3],
  ];
  return {
    name: 'conv2d 64×32×14×14 ⊛ 64×32×3×3 + readback',
    make(impl) {
      if (impl === 'tfjs webgl') {
        const xs = tf.randomNormal([64, 14, 14, 32]) as tf.Tensor4D;
        const ws = tf.randomNormal([3, 3, 32, 64]) as tf.Tensor4D;
        return () => tf.tidy(() => tf.conv2d(xs, ws, 1, 'same').dataSync());
      }
      const device = impl === 'torchlet gpu' ? 'gpu' : 'cpu';
      const [xs, ws] = [randn(x!).to(device), randn(w!).to(device)];
      return () => tidy(() => conv2d(xs, ws, null, { padding: 1 }).dataSync());
    },
  };
}

function trainRow(model: ModelName): Row {
  return {
    name: `${model.toUpperCase()} training step (batch 64, Adam)`,
    make(impl) {
      if (impl === 'tfjs webgl') return tfjsStep(model);
      const device = impl === 'torchlet gpu' ? 'gpu' : 'cpu';
      manualSeed(0);
      const net = buildModel(model).to(device);
      const opt = new Adam(net.parameters(), { lr: 1e-3 });
      const loss = new CrossEntropyLoss();
      const x = randn([64, 1, 28, 28]).to(device);
      const y = randint(0, 10, [64]).to(device);
      return () =>
        tidy(() => {
          opt.zeroGrad();
          const l = loss.call(net.call(x) as Tensor, y);
          l.backward();
          opt.step();
          return l.item();
        });
    },
  };
}

function tfjsStep(model: ModelName): () => Promise<unknown> {
  const net = tfjsMnistModel(tf, model);
  const x = tf.randomNormal([64, 28, 28, 1]);
  const y = tf.oneHot(tf.randomUniform([64], 0, 10, 'int32') as tf.Tensor1D, 10);
  return () => net.trainOnBatch(x, y);
}

/** Milliseconds per call over at least `budgetMs` (and at least 2 calls; the first warms up). */
async function msPerCall(fn: () => unknown, budgetMs: number): Promise<number> {
  await fn();
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    await fn();
    calls++;
    elapsed = performance.now() - start;
  } while (elapsed < budgetMs || calls < 2);
  return elapsed / calls;
}

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Result of one row: median milliseconds per implementation (null: could not run). */
export interface RowResult {
  name: string;
  ms: Record<Impl, number | null>;
}

async function run(
  rounds: number,
  budgetMs: number,
  only?: string,
): Promise<{ mode: string; rows: RowResult[] }> {
  await tf.setBackend('webgl');
  await tf.ready();
  const rows = [matmulRow(256), matmulRow(512), convRow(), trainRow('mlp'), trainRow('cnn')].filter(
    (r) => !only || r.name.toLowerCase().includes(only),
  );
  const results: RowResult[] = [];
  for (const row of rows) {
    const calls = new Map<Impl, (() => unknown) | null>(IMPLS.map((i) => [i, row.make(i)]));
    const times = new Map<Impl, number[]>(IMPLS.map((i) => [i, []]));
    for (let r = 0; r < rounds; r++) {
      for (const impl of IMPLS) {
        const call = calls.get(impl);
        if (call) times.get(impl)!.push(await msPerCall(call, budgetMs));
      }
    }
    const ms = Object.fromEntries(
      IMPLS.map((i) => [i, calls.get(i) ? median(times.get(i)!) : null]),
    ) as Record<Impl, number | null>;
    results.push({ name: row.name, ms });
  }
  return { mode: gpuMode(), rows: results };
}

(globalThis as { runGpuBench?: typeof run }).runGpuBench = run;
