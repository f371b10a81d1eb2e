import '@torchlet/autograd';
import { type Tensor, tensor, zeros } from '@torchlet/tensor';
import { describe, expect, it } from 'vitest';
import { Adam, LBFGS, type OptimizerStateDict, SGD } from './index.js';
import {
  OPTIMIZERS,
  type OptimizerFixtures,
  readFixture,
  testProblem,
  trainStep,
} from './test-utils/fixtures.js';

const fx = readFixture<OptimizerFixtures>('optimizers.json');
const param = (n = 2) => zeros([n], { requiresGrad: true });

describe('param groups', () => {
  it('fills each group from the defaults and keeps per-group overrides', () => {
    const [a, b] = [param(), param()];
    const opt = new SGD([{ params: [a] }, { params: b, lr: 0.5 }], { lr: 0.1, momentum: 0.9 });
    expect(opt.paramGroups.map((g) => [g.lr, g.momentum])).toEqual([
      [0.1, 0.9],
      [0.5, 0.9],
    ]);
    opt.addParamGroup({ params: [param()], weightDecay: 0.01 });
    expect(opt.paramGroups[2]).toMatchObject({ lr: 0.1, weightDecay: 0.01 });
  });

  it('uses a changed group lr on the next step', () => {
    const w = tensor([1], { requiresGrad: true });
    const opt = new SGD([w], { lr: 0.1 });
    opt.paramGroups[0]!.lr = 0.5;
    w.sum().backward();
    opt.step();
    expect(w.item()).toBeCloseTo(0.5, 6);
  });

  it('skips parameters without gradients and returns the closure loss', () => {
    const [a, b] = [tensor([1], { requiresGrad: true }), tensor([1], { requiresGrad: true })];
    const opt = new SGD([a, b], { lr: 1 });
    const loss = opt.step(() => {
      const l = a.mul(3).sum();
      l.backward();
      return l;
    });
    expect(loss?.item()).toBe(3);
    expect([a.item(), b.item()]).toEqual([-2, 1]);
  });
});

describe('zeroGrad', () => {
  it('sets gradients to null by default and to zeros with setToNone: false', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const opt = new SGD([w]);
    w.sum().backward();
    opt.zeroGrad({ setToNone: false });
    expect(w.grad?.toArray()).toEqual([0, 0]);
    opt.zeroGrad();
    expect(w.grad).toBeNull();
  });
});

describe('bad input', () => {
  it('names unknown options, in the constructor and in groups', () => {
    expect(() => new SGD([param()], { lr: 0.1, momentun: 0.9 } as never)).toThrow(
      "SGD: unknown option 'momentun' (known options: lr, momentum, dampening, weightDecay, nesterov, maximize, momentumStyle)",
    );
    expect(() => new Adam([{ params: [param()], beta: [0.9, 0.99] } as never])).toThrow(
      "Adam: param group 0: unknown option 'beta'",
    );
  });

  it('refuses a negative learning rate and betas outside [0, 1)', () => {
    expect(() => new SGD([param()], { lr: -0.1 })).toThrow('SGD: invalid lr -0.1 (expected lr >= 0)');
    expect(() => new Adam([param()], { betas: [0.9, 1] })).toThrow(
      'Adam: invalid betas[1] 1 (expected 0 <= betas[1] < 1)',
    );
    expect(() => new Adam([param()], { betas: [-0.1, 0.9] })).toThrow('Adam: invalid betas[0] -0.1');
    expect(() => new Adam([{ params: [param()], lr: Number.NaN }])).toThrow('Adam: invalid lr NaN');
  });

  it('refuses a parameter in two groups', () => {
    const p = param();
    expect(() => new SGD([{ params: [p] }, { params: [p, param()] }])).toThrow(
      'SGD: some parameters appear in more than one parameter group (groups 0 and 1)',
    );
    const opt = new SGD([p]);
    expect(() => opt.addParamGroup({ params: [p] })).toThrow(
      'SGD: some parameters appear in more than one parameter group',
    );
  });

  it('refuses non-leaf, integer and missing parameters', () => {
    const p = param();
    expect(() => new SGD([p.mul(2)])).toThrow(
      "SGD: can't optimize a non-leaf tensor (param group 0 param 0)",
    );
    expect(() => new SGD([zeros([2], { dtype: 'int32' })])).toThrow(
      'SGD: can only optimize floating tensors',
    );
    expect(() => new SGD([])).toThrow('SGD: got an empty parameter list');
    expect(() => new SGD([param()], { nesterov: true })).toThrow('SGD: invalid nesterov true');
    expect(() => new SGD([param()], { momentum: 0.9, momentumStyle: 'ema', dampening: 0.1 })).toThrow(
      "SGD: invalid dampening 0.1 (expected 0 with momentumStyle 'ema')",
    );
  });

  it('LBFGS needs a closure and a single group', () => {
    expect(() => new LBFGS([param()]).step()).toThrow('LBFGS: step() requires a closure');
    expect(() => new LBFGS([{ params: [param()] }, { params: [param()] }])).toThrow(
      "LBFGS: doesn't support per-parameter options",
    );
  });
});

/** Replaces tensors by nested arrays, to check the rest of a state dict is plain JSON. */
function jsonWithTensors(sd: OptimizerStateDict): string {
  return JSON.stringify(sd, (_k, v) =>
    v && typeof v === 'object' && 'storage' in v ? (v as Tensor).toArray() : v,
  );
}

describe('state dicts', () => {
  const names = [...new Set(fx.cases.map((c) => c.name))];
  for (const name of names) {
    const options = fx.cases.find((c) => c.name === name && Object.keys(c.options).length > 1)?.options ?? {};
    it(`${name}: resuming from a state dict gives exactly the same next steps`, () => {
      const run = testProblem(fx);
      const opt = new OPTIMIZERS[name]!([run.w, run.b], options);
      for (let i = 0; i < 3; i++) trainStep(opt, run.loss);
      const saved = opt.stateDict();
      expect(() => jsonWithTensors(saved)).not.toThrow();

      const resumed = testProblem(fx);
      resumed.w.detach().copy_(run.w);
      resumed.b.detach().copy_(run.b);
      const opt2 = new OPTIMIZERS[name]!([resumed.w, resumed.b], options);
      opt2.loadStateDict(saved);
      for (let i = 0; i < 2; i++) {
        trainStep(opt, run.loss);
        trainStep(opt2, resumed.loss);
      }
      expect(Array.from(resumed.w.dataSync())).toEqual(Array.from(run.w.dataSync()));
      expect(Array.from(resumed.b.dataSync())).toEqual(Array.from(run.b.dataSync()));
    });
  }

  it('uses PyTorch layout: state keyed by parameter index, groups listing indices', () => {
    const [a, b, c] = [param(), param(), param()];
    const opt = new Adam([{ params: [a, b] }, { params: [c], lr: 0.1 }]);
    for (const p of [a, c]) p.sum().backward();
    opt.step();
    const sd = opt.stateDict();
    expect(Object.keys(sd.state)).toEqual(['0', '2']);
    expect(sd.state[0]!.step).toBe(1);
    expect(sd.paramGroups.map((g) => g.params)).toEqual([[0, 1], [2]]);
    expect(sd.paramGroups[1]).toMatchObject({ lr: 0.1, betas: [0.9, 0.999], amsgrad: false });
  });

  it('is a snapshot: later steps do not change it', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const opt = new SGD([w], { lr: 0.1, momentum: 0.9 });
    w.sum().backward();
    opt.step();
    const sd = opt.stateDict();
    const before = (sd.state[0]!.momentumBuffer as Tensor).toArray();
    opt.step();
    expect((sd.state[0]!.momentumBuffer as Tensor).toArray()).toEqual(before);
  });

  it('casts loaded state to the parameter dtype and refuses mismatched groups', () => {
    const w64 = zeros([2], { dtype: 'float64', requiresGrad: true });
    const opt = new Adam([w64]);
    w64.sum().backward();
    opt.step();
    const w32 = param();
    const opt32 = new Adam([w32]);
    opt32.loadStateDict(opt.stateDict());
    expect((opt32.state.get(w32)!.expAvg as Tensor).dtype).toBe('float32');
    expect(() =>
      new Adam([{ params: [param()] }, { params: [param()] }]).loadStateDict(opt.stateDict()),
    ).toThrow('Adam.loadStateDict: the state dict has 1 parameter groups, the optimizer has 2');
    expect(() => new Adam([param(), param()]).loadStateDict(opt.stateDict())).toThrow(
      'Adam.loadStateDict: parameter group 0 has 1 parameters in the state dict but 2 in the optimizer',
    );
  });
});

describe('LBFGS', () => {
  it('converges on a small full-batch least-squares problem', () => {
    // y = 2·x₀ − 3·x₁ + 0.5, exactly; 20 points.
    const xs = Array.from({ length: 20 }, (_, i) => [Math.sin(i), Math.cos(3 * i)]);
    const x = tensor(xs);
    const y = tensor(xs.map(([a, b]) => 2 * a! - 3 * b! + 0.5));
    const w = zeros([2], { requiresGrad: true });
    const b = zeros([1], { requiresGrad: true });
    for (const lineSearchFn of [null, 'strongWolfe'] as const) {
      w.detach().copy_(zeros([2]));
      b.detach().copy_(zeros([1]));
      const opt = new LBFGS([w, b], { lr: lineSearchFn ? 1 : 0.5, lineSearchFn, maxIter: 50 });
      const closure = () => {
        opt.zeroGrad();
        const loss = x.matmul(w).add(b).sub(y).square().mean();
        loss.backward();
        return loss;
      };
      for (let i = 0; i < 5; i++) opt.step(closure);
      expect(closure().item()).toBeLessThan(1e-6);
      expect(Array.from(w.dataSync()).map((v) => Number(v.toFixed(3)))).toEqual([2, -3]);
      expect(b.item()).toBeCloseTo(0.5, 3);
    }
  });
});
