import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TrainConfig } from './config.js';
import { silentReporter } from './reporter.js';
import { CHECKPOINT, run } from './train.js';

function config(out: string, overrides: Partial<TrainConfig> = {}): TrainConfig {
  return {
    model: 'mlp',
    epochs: 1,
    batchSize: 64,
    lr: 1e-3,
    optimizer: 'adam',
    scheduler: 'none',
    weightDecay: 0,
    augment: false,
    seed: 0,
    backend: 'cpu',
    limit: 2000,
    out,
    ...overrides,
  };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'mnist-'));

describe('mnist trainer', () => {
  it(
    'trains an MLP on 2,000 images to a sensible accuracy and leaves its artifacts',
    { timeout: 120_000 },
    async () => {
      const out = tmp();
      const result = await run(config(out), silentReporter());
      expect(result.history).toHaveLength(1);
      expect(result.history[0]!.testAcc).toBeGreaterThan(0.8);
      for (const f of [
        'checkpoint.safetensors',
        'best.safetensors',
        'model.safetensors',
        'model.json',
        'metrics.json',
        'metrics.csv',
        'curves.svg',
        'confusion.svg',
        'predictions.svg',
        'weights.svg',
      ]) {
        expect(existsSync(join(out, f)), f).toBe(true);
      }
    },
  );

  it('trains on the gpu device (gpu.js) like on the CPU', async () => {
    const small = { limit: 640, plots: false };
    const cpu = await run(config(tmp(), small), silentReporter());
    const gpu = await run(config(tmp(), { ...small, backend: 'gpu' }), silentReporter());
    const [c, g] = [cpu.history[0]!, gpu.history[0]!];
    // float32 on both, summed in different orders: the curves agree closely, not bit for bit.
    expect(Math.abs(g.trainLoss - c.trainLoss)).toBeLessThan(1e-3);
    expect(Math.abs(g.testAcc - c.testAcc)).toBeLessThan(0.01);
  });

  it('resumes an interrupted run to exactly the uninterrupted result', async () => {
    const tiny = { epochs: 2, limit: 640, plots: false };
    const full = await run(config(tmp(), tiny), silentReporter());
    const out = tmp();
    let batches = 0;
    const first = await run(config(out, tiny), silentReporter(), { shouldStop: () => ++batches === 13 });
    expect(first.interrupted).toBe(true);
    const resumed = await run(config(out, tiny), silentReporter(), { resume: true });
    expect(resumed.history.map((h) => [h.trainLoss, h.testLoss, h.testAcc])).toEqual(
      full.history.map((h) => [h.trainLoss, h.testLoss, h.testAcc]),
    );
  }, 120_000);

  it('refuses a corrupt checkpoint and leaves it untouched', async () => {
    const out = tmp();
    const path = join(out, CHECKPOINT);
    writeFileSync(path, Buffer.from([1, 2, 3, 4]));
    await expect(run(config(out), silentReporter(), { resume: true })).rejects.toThrow(/corrupt/);
    expect([...readFileSync(path)]).toEqual([1, 2, 3, 4]);
  });

  it('names the paths tried when the data is missing', async () => {
    await expect(run(config(tmp(), { dataDir: '/nonexistent/mnist' }), silentReporter())).rejects.toThrow(
      /nonexistent/,
    );
  });
});
