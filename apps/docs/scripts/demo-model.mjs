// Produces the draw-a-digit demo's default model, generated/models/mnist/model.safetensors (and
// model.json), by running the MNIST trainer; skipped when the model is already there (it is a
// cache: delete it or pass --force to train again). Needs the trainer built
// (`pnpm --filter @torchlet/mnist... build`; the root `pnpm docs` does it).

import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the demo ships: an MLP with augmented training (see README.md for the measurements). */
export const DEMO_MODEL_ARGS = ['--model', 'mlp', '--augment', '--epochs', '3'];

const docs = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(docs, 'generated/models/mnist');
const cli = join(docs, '../mnist/dist/cli.js');

if (existsSync(join(out, 'model.safetensors')) && !process.argv.includes('--force')) {
  console.log(`demo model: cached in ${out}`);
  process.exit(0);
}
if (!existsSync(cli)) {
  console.error(
    `demo model: ${cli} is missing; build the trainer first: pnpm --filter @torchlet/mnist... build`,
  );
  process.exit(1);
}
const run = mkdtempSync(join(tmpdir(), 'torchlet-demo-model-'));
try {
  console.log(`demo model: training ${DEMO_MODEL_ARGS.join(' ')}`);
  const res = spawnSync(process.execPath, [cli, ...DEMO_MODEL_ARGS, '--no-plots', '--out', run], {
    stdio: 'inherit',
  });
  if (res.status !== 0) {
    console.error(`demo model: the trainer failed (exit ${res.status ?? res.signal})`);
    process.exit(1);
  }
  mkdirSync(out, { recursive: true });
  for (const f of ['model.json', 'model.safetensors']) copyFileSync(join(run, f), join(out, f));
  console.log(`demo model: written to ${out}`);
} finally {
  rmSync(run, { recursive: true, force: true });
}
