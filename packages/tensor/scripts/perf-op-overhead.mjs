// Per-op overhead of tiny ops on [64,10] float32, which dominates small models.
// Run after `pnpm --filter @torchlet/tensor build` (and @torchlet/autograd for the grad modes):
//   node packages/tensor/scripts/perf-op-overhead.mjs            # this checkout
//   node packages/tensor/scripts/perf-op-overhead.mjs /tmp/old   # compare with a copy holding
//                                                                # tensor/dist and autograd/dist
// Each mode runs in a child process (importing autograd cannot be undone), alternating between
// the checkouts so machine load affects both alike; the table shows minimum over 25 samples, µs per op.
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(new URL('../..', import.meta.url));
const MODES = ['plain', 'autograd', 'requiresGrad'];

async function child(root, mode) {
  const T = await import(pathToFileURL(`${root}/tensor/dist/index.js`).href);
  if (mode !== 'plain') await import(pathToFileURL(`${root}/autograd/dist/index.js`).href);
  const a = T.randn([64, 10]);
  const b = T.randn([64, 10]);
  if (mode === 'requiresGrad') a.requiresGrad = true;
  const cases = {
    'a.add(b)': () => a.add(b),
    'a.neg()': () => a.neg(),
    'a.mul(2)': () => a.mul(2),
    'a.sum()': () => a.sum(),
    'a.sum(1)': () => a.sum(1),
    'a.reshape([640])': () => a.reshape([640]),
    'a.T': () => a.T,
    'a.logSoftmax(1)': () => a.logSoftmax(1),
    'a.max(1)': () => a.max(1),
    'a.norm()': () => (a.norm ? a.norm() : T.norm(a)),
  };
  const out = {};
  for (const [name, fn] of Object.entries(cases)) {
    const reps = 2000;
    for (let i = 0; i < reps; i++) fn();
    const samples = [];
    for (let s = 0; s < 25; s++) {
      const t0 = performance.now();
      for (let i = 0; i < reps; i++) fn();
      samples.push(((performance.now() - t0) * 1000) / reps);
    }
    samples.sort((x, y) => x - y);
    out[name] = samples[0];
  }
  return out;
}

if (process.argv[2] === '--child') {
  console.log(JSON.stringify(await child(process.argv[3], process.argv[4])));
} else {
  const roots = [here, ...process.argv.slice(2)];
  const self = fileURLToPath(import.meta.url);
  const results = roots.map(() => ({}));
  for (const mode of MODES) {
    for (let r = 0; r < roots.length; r++) {
      const json = execFileSync(process.execPath, [self, '--child', roots[r], mode], { encoding: 'utf8' });
      results[r][mode] = JSON.parse(json);
    }
  }
  for (const mode of MODES) {
    console.log(`\n${mode} (µs/op${roots.length > 1 ? '; ratio = this / other' : ''})`);
    for (const name of Object.keys(results[0][mode])) {
      const cur = results[0][mode][name];
      const cols = [name.padEnd(18), cur.toFixed(2).padStart(8)];
      for (let r = 1; r < roots.length; r++) {
        const old = results[r][mode][name];
        cols.push(old.toFixed(2).padStart(8), `${(cur / old).toFixed(2)}x`.padStart(7));
      }
      console.log(cols.join(' '));
    }
  }
}
