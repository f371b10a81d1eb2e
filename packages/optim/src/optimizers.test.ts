import '@torchlet/autograd';
import { describe, it } from 'vitest';
import { expectClose, OPTIMIZERS, type OptimizerFixtures, readFixture, testProblem, trainStep } from './test-utils/fixtures.js';

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
