import { describe, expect, it } from 'vitest';
import * as torch from './index.js';

describe('torchlet umbrella', () => {
  it('trains a small regression end to end through one import', () => {
    torch.manualSeed(0);
    const model = new torch.nn.Sequential(
      new torch.nn.Linear(2, 16),
      new torch.nn.Tanh(),
      new torch.nn.Linear(16, 1),
    );
    const opt = new torch.optim.Adam(model.parameters(), { lr: 0.05 });
    const x = torch.randn([64, 2]);
    const y = x.sum(1, true);
    let first = 0;
    let last = 0;
    for (let step = 0; step < 100; step++) {
      opt.zeroGrad();
      const loss = torch.nn.F.mseLoss(model.call(x), y);
      loss.backward();
      opt.step();
      if (step === 0) first = loss.item();
      last = loss.item();
    }
    expect(last).toBeLessThan(first / 20);
  });

  it('exposes autograd transforms and data loaders', () => {
    expect(typeof torch.autograd.gradcheck).toBe('function');
    expect(typeof torch.data.DataLoader).toBe('function');
    expect(typeof torch.nn.init.xavierUniform_).toBe('function');
  });
});

describe('torchlet/gpu', () => {
  it('registers the gpu device when imported', async () => {
    const { gpuMode } = await import('./gpu.js');
    const x = torch.tensor([1, 2, 3]).to('gpu');
    expect(x.device).toBe('gpu');
    expect(typeof gpuMode()).toBe('string');
    expect(x.mul(2).toArray()).toEqual([2, 4, 6]);
  });
});
