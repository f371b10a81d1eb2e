import 'torchlet/gpu';
import { memory } from 'torchlet';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, Playground } from './playground.js';

describe('playground', () => {
  it('trains: the loss falls and accuracy rises on two moons', () => {
    const pg = new Playground({ ...DEFAULT_CONFIG });
    const before = pg.losses[0]!;
    pg.train(60);
    expect(pg.losses).toHaveLength(61);
    expect(pg.losses.at(-1)!).toBeLessThan(0.5 * before);
    expect(pg.accuracy()).toBeGreaterThan(0.85);
    const grid = pg.probabilityGrid(8);
    expect(grid).toHaveLength(8 * 8 * pg.classes);
  });

  it('trains the same on the gpu device, releasing each step’s device memory', () => {
    const cpu = new Playground({ ...DEFAULT_CONFIG });
    const gpu = new Playground({ ...DEFAULT_CONFIG, device: 'gpu' });
    cpu.train(10);
    gpu.train(5);
    const steady = memory().storages;
    gpu.train(5);
    // tidy frees each step's intermediates, zeroGrad the old gradients, Adam its old moments.
    expect(memory().storages).toBe(steady);
    gpu.losses.forEach((l, i) => {
      expect(l).toBeCloseTo(cpu.losses[i]!, 4);
    });
  });
});
