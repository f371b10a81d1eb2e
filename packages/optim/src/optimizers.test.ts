import '@torchlet/autograd';
import { Generator, randn } from '@torchlet/tensor';
import { describe, it } from 'vitest';
import { Adam } from './index.js';
import { fusedKernels } from './optimizers/fused-cpu.js';
import {
  expectClose,
  OPTIMIZERS,
  type OptimizerFixtures,
  readFixture,
  testProblem,
  trainStep,
} from './test-utils/fixtures.js';

const fx = readFixture<OptimizerFixtures>('optimizers.json');

describe('optimizer trajectories match PyTorch (float64)', () => {
  for (const c of fx.cases) {
    it(`${c.name} ${JSON.stringify(c.options)} (${c.trajectory.length} steps, ${c.source})`, () => {
      const { w, b, loss } = testProblem(fx);
      const opt = new OPTIMIZERS[c.name]!([w, b], c.options);
      // L-BFGS runs many inner iterations per step, so rounding differences compound a little.
      const rtol = c.name === 'LBFGS' ? 1e-7 : 1e-10;
      c.trajectory.forEach(([wExp, bExp], step) => {
        trainStep(opt, loss);
        try {
          expectClose(Array.from(w.dataSync()), wExp, rtol);
          expectClose(Array.from(b.dataSync()), bExp.flat(), rtol);
        } catch (e) {
          throw new Error(`after step ${step + 1}: ${(e as Error).message}`);
        }
      });
    });
  }
});

describe('fused CPU loops agree with the composed tensor-op updates', () => {
  const fusedNames = new Set(['SGD', 'Adam', 'AdamW']);
  for (const c of fx.cases.filter((x) => fusedNames.has(x.name))) {
    it(`${c.name} ${JSON.stringify(c.options)} without fusion`, () => {
      fusedKernels.enabled = false;
      try {
        const { w, b, loss } = testProblem(fx);
        const opt = new OPTIMIZERS[c.name]!([w, b], c.options);
        for (const [wExp, bExp] of c.trajectory) {
          trainStep(opt, loss);
          expectClose(Array.from(w.dataSync()), wExp, 1e-10);
          expectClose(Array.from(b.dataSync()), bExp.flat(), 1e-10);
        }
      } finally {
        fusedKernels.enabled = true;
      }
    });
  }

  it('float32 parameters give the same steps either way (to float32 rounding)', () => {
    const run = (fused: boolean) => {
      fusedKernels.enabled = fused;
      const w = randn([50], { generator: new Generator(3) });
      w.requiresGrad_(true);
      const opt = new Adam([w], { lr: 0.01, amsgrad: true, weightDecay: 0.1 });
      for (let i = 0; i < 5; i++) {
        opt.zeroGrad();
        w.square().sum().backward();
        opt.step();
      }
      fusedKernels.enabled = true;
      return Array.from(w.dataSync());
    };
    expectClose(run(true), run(false), 1e-5, 1e-6);
  });
});
