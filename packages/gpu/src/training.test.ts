// One training step (forward, cross-entropy, backward, Adam) on the device equals the CPU's, and
// runs without a single CPU fallback.
import {
  AvgPool2d,
  Conv2d,
  CrossEntropyLoss,
  Flatten,
  Linear,
  MaxPool2d,
  type Module,
  ReLU,
  Sequential,
} from '@torchlet/nn';
import { Adam } from '@torchlet/optim';
import { manualSeed, onCpuFallback, randn, type Tensor, tensor } from '@torchlet/tensor';
import { describe, expect, it } from 'vitest';
import './index.js';

/** Two Adam steps of `make()` on `device`; returns the losses, final parameters and fallbacks. */
function train(make: () => Module, x: Tensor, y: Tensor, device: string) {
  manualSeed(7);
  const model = make().to(device);
  const optimizer = new Adam(model.parameters(), { lr: 1e-2 });
  const loss = new CrossEntropyLoss();
  const fallbacks = new Set<string>();
  const stop = onCpuFallback((kernel) => fallbacks.add(kernel));
  const losses: number[] = [];
  try {
    for (let step = 0; step < 2; step++) {
      optimizer.zeroGrad();
      const l = loss.forward(model.forward(x.to(device)), y.to(device));
      l.backward();
      optimizer.step();
      losses.push(l.item());
    }
  } finally {
    stop();
  }
  return {
    losses,
    params: model.parameters().map((p) => p.detach().to('cpu')),
    fallbacks: [...fallbacks].sort(),
  };
}

function maxRelError(a: Tensor, b: Tensor): number {
  const av = a.dataSync();
  const bv = b.dataSync();
  let m = 0;
  for (let i = 0; i < av.length; i++) m = Math.max(m, Math.abs(av[i]! - bv[i]!) / (1 + Math.abs(av[i]!)));
  return m;
}

function compare(make: () => Module, x: Tensor, y: Tensor): string[] {
  const cpu = train(make, x, y, 'cpu');
  const gpu = train(make, x, y, 'gpu');
  expect(cpu.fallbacks).toEqual([]);
  for (const [i, l] of gpu.losses.entries()) expect(l).toBeCloseTo(cpu.losses[i]!, 4);
  // Adam normalizes each step to ≈ lr, so float32 differences stay near lr·ε relative.
  for (const [i, p] of cpu.params.entries()) expect(maxRelError(p, gpu.params[i]!)).toBeLessThan(1e-4);
  return gpu.fallbacks;
}

describe('a training step on the gpu device equals the CPU step', () => {
  manualSeed(1);
  const labels = (n: number, c: number) =>
    tensor(
      Array.from({ length: n }, (_, i) => (i * 7) % c),
      { dtype: 'int32' },
    );

  it('MLP (Linear, ReLU, cross-entropy, Adam)', () => {
    const x = randn([16, 20]);
    const make = () => new Sequential(new Linear(20, 32), new ReLU(), new Linear(32, 10));
    expect(compare(make, x, labels(16, 10))).toEqual([]);
  });

  it('CNN (Conv2d, ReLU, MaxPool2d, AvgPool2d, Linear)', () => {
    const x = randn([4, 1, 12, 12]);
    const make = () =>
      new Sequential(
        new Conv2d(1, 4, 3, { padding: 1 }),
        new ReLU(),
        new MaxPool2d(2),
        new Conv2d(4, 6, 3, { stride: 2, padding: 1 }),
        new ReLU(),
        new AvgPool2d(3),
        new Flatten(),
        new Linear(6, 10),
      );
    expect(compare(make, x, labels(4, 10))).toEqual([]);
  });
});
