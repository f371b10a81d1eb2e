// MNIST DataLoader throughput (samples/s): plain (batch fast path) and with per-sample augmentation,
// in-process (numWorkers 0) and with 2 worker threads. Run with `pnpm bench` (builds first).
import { DataLoader } from '../dist/index.js';
import { makeMnist } from './mnist-dataset.mjs';

const workerModule = new URL('./mnist-dataset.mjs', import.meta.url);
const batchSize = 64;

const t0 = performance.now();
const datasets = { plain: makeMnist(), augmented: makeMnist({ args: [{ augment: true }] }) };
console.log(`MNIST train load + float conversion: ${(performance.now() - t0).toFixed(0)} ms (both datasets)`);

/** Runs `batches` batches; throughput counts from the first batch, so worker start-up is reported apart. */
async function measure(name, numWorkers, batches) {
  const augment = name === 'augmented';
  const loader = new DataLoader(datasets[name], {
    batchSize,
    shuffle: true,
    numWorkers,
    workerDataset: { module: workerModule, export: 'makeMnist', args: [{ augment }] },
  });
  const start = performance.now();
  let first = 0;
  let n = 0;
  let k = 0;
  for await (const [x] of loader) {
    if (k === 0) first = performance.now();
    else n += x.shape[0];
    if (++k > batches) break;
  }
  const secs = (performance.now() - first) / 1000;
  const rate = n / secs;
  console.log(
    `${name.padEnd(9)} numWorkers ${numWorkers}: ${rate.toFixed(0).padStart(8)} samples/s` +
      `  (${n} samples, first batch after ${(first - start).toFixed(0)} ms)`,
  );
}

await measure('plain', 0, 900);
await measure('plain', 2, 900);
await measure('augmented', 0, 150);
await measure('augmented', 2, 150);
