import { arange, randn, type Tensor, tensor } from '@torchlet/tensor';
import { describe, expect, it } from 'vitest';
import { defineFunction, gradcheck, gradgradcheck, runBackward } from './index.js';

const f64 = { dtype: 'float64' as const, requiresGrad: true };

describe('backward', () => {
  it('computes d/dx (2x+1)^3 = 6, 54, 150 at 0, 1, 2', () => {
    const x = tensor([0, 1, 2], f64);
    x.mul(2).add(1).pow(3).sum().backward();
    expect(x.grad!.toArray()).toEqual([6, 54, 150]);
  });

  it('accumulates across calls and through broadcasting', () => {
    const w = tensor([[1], [2]], f64);
    const x = arange(3, undefined, 1, { dtype: 'float64' });
    w.mul(x).sum().backward();
    w.mul(x).sum().backward();
    expect(w.grad!.toArray()).toEqual([[6], [6]]);
  });

  it('refuses a second backward through a freed graph', () => {
    const x = tensor([1, 2], f64);
    const y = x.exp().sum();
    y.backward();
    expect(() => y.backward()).toThrow(/second time/);
  });

  it('refuses backward on a non-scalar without a gradient', () => {
    const x = tensor([1, 2], f64);
    expect(() => x.exp().backward()).toThrow(/only for scalar outputs/);
  });

  it('detects in-place modification of a saved tensor', () => {
    const x = tensor([1, 2], f64);
    const y = x.exp();
    const z = y.mul(y).sum();
    y.detach().add_(1);
    expect(() => z.backward()).toThrow(/modified in place/);
  });

  it('gives the Hessian of (1 - w1 w2)^2 at the origin', () => {
    const w1 = tensor([0], f64);
    const w2 = tensor([0], f64);
    const l = w1.mul(w2).neg().add(1).pow(2).sum();
    const [g1, g2] = runBackward({
      outputs: [l],
      gradOutputs: [tensor(1, { dtype: 'float64' })],
      inputs: [w1, w2],
      retainGraph: true,
      createGraph: true,
    });
    const row1 = runBackward({
      outputs: [g1!.sum()],
      gradOutputs: [tensor(1, { dtype: 'float64' })],
      inputs: [w1, w2],
      retainGraph: true,
      createGraph: false,
    });
    const row2 = runBackward({
      outputs: [g2!.sum()],
      gradOutputs: [tensor(1, { dtype: 'float64' })],
      inputs: [w1, w2],
      retainGraph: true,
      createGraph: false,
    });
    expect([row1.map((t) => t!.item()), row2.map((t) => t!.item())]).toEqual([
      [0, -2],
      [-2, 0],
    ]);
  });
});

describe('gradcheck', () => {
  const unary = [
    'exp',
    'log',
    'sqrt',
    'tanh',
    'sigmoid',
    'sin',
    'cos',
    'relu',
    'gelu',
    'silu',
    'softplus',
    'erf',
    'abs',
    'reciprocal',
  ] as const;
  for (const op of unary) {
    it(`checks ${op}`, () => {
      const x = randn([3, 4], { dtype: 'float64' }).abs().add(0.1).requiresGrad_();
      expect(gradcheck((t) => (t as unknown as Record<string, () => typeof t>)[op]!.call(t), [x])).toBe(true);
    });
  }
  it('checks broadcasting binary ops on non-contiguous inputs', () => {
    const a = randn([4, 3], { dtype: 'float64' }).requiresGrad_();
    const b = randn([4], { dtype: 'float64' }).abs().add(0.5).requiresGrad_();
    expect(gradcheck((x, y) => x.T.mul(y).div(y.add(1)).sub(x.T), [a, b])).toBe(true);
  });
  it('checks matmul, sum, amax and their second derivatives', () => {
    const a = randn([2, 3, 4], { dtype: 'float64' }).requiresGrad_();
    const b = randn([4, 5], { dtype: 'float64' }).requiresGrad_();
    expect(gradcheck((x, y) => x.matmul(y).amax(-1).sum(0), [a, b])).toBe(true);
    expect(gradgradcheck((x, y) => x.matmul(y).tanh(), [a, b])).toBe(true);
  });
});

describe('gradcheck catches and explains', () => {
  it('a wrong gradient rule', () => {
    const wrong = defineFunction({
      name: 'wrongSquare',
      forward: (_ctx, x: Tensor) => x.square(),
      backward: (_ctx, g) => g!.mul(3),
    });
    const x = randn([3], { dtype: 'float64' }).requiresGrad_();
    expect(gradcheck((t) => wrong(t), [x], { raiseException: false })).toBe(false);
    expect(() => gradcheck((t) => wrong(t), [x])).toThrow(
      /gradients do not match\ninput 0 \[3\] element 0: analytical/,
    );
  });

  it('inputs it cannot check', () => {
    const f32 = randn([2]).requiresGrad_();
    expect(() => gradcheck((t) => t.exp(), [f32])).toThrow(/should be float64.*float32 for input 0/);
    const expanded = randn([1, 3], { dtype: 'float64' }).requiresGrad_().expand([2, 3]);
    expect(() => gradcheck((t) => t.exp(), [expanded])).toThrow(/expanded view.*expand inside fn/);
    expect(() => gradcheck((t) => t.exp(), [randn([2], { dtype: 'float64' })])).toThrow(
      /no input requires grad/,
    );
  });
});
