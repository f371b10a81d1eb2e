import '@torchlet/autograd';
import { arange, tensor } from '@torchlet/tensor';
import { describe, expect, it } from 'vitest';
import { Adagrad, ExponentialMovingAverage, emaSeries, type Optimizer, RMSprop, SGD } from './index.js';

/**
 * The tutorials' two-step traces (seed 004 §6.3): L = ½w², w₀ = 1, lr 0.01, float32, printed to
 * four decimals. Returns w after each step.
 */
function trace(make: (w: ReturnType<typeof tensor>) => Optimizer, steps = 2): string[] {
  const w = tensor([1], { requiresGrad: true });
  const opt = make(w);
  const out: string[] = [];
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    w.square().mul(0.5).sum().backward();
    opt.step();
    out.push(w.item().toFixed(4));
  }
  return out;
}

describe("the tutorials' optimizer traces (PyTorch forms, the defaults)", () => {
  it('SGD: 0.9900 → 0.9801', () => {
    expect(trace((w) => new SGD([w], { lr: 0.01 }))).toEqual(['0.9900', '0.9801']);
  });
  it('SGD with momentum 0.9: 0.9900 → 0.9711', () => {
    expect(trace((w) => new SGD([w], { lr: 0.01, momentum: 0.9 }))).toEqual(['0.9900', '0.9711']);
  });
  it('Adagrad: 0.9900 → 0.9830', () => {
    expect(trace((w) => new Adagrad([w], { lr: 0.01 }))).toEqual(['0.9900', '0.9830']);
  });
  it('RMSprop with alpha 0.9: 0.9684 → 0.9458', () => {
    expect(trace((w) => new RMSprop([w], { lr: 0.01, alpha: 0.9 }))).toEqual(['0.9684', '0.9458']);
  });
});

describe("the tutorials' written forms (options)", () => {
  it("momentumStyle 'ema' follows v = βv + (1−β)g from v₀ = 0 (seed 000 §2.1.5)", () => {
    // v₁ = 0.1·1 → w₁ = 1 − 0.01·0.1; v₂ = 0.9·0.1 + 0.1·w₁ → w₂ = w₁ − 0.01·v₂.
    const w1 = 1 - 0.01 * 0.1;
    const w2 = w1 - 0.01 * (0.9 * 0.1 + 0.1 * w1);
    expect(trace((w) => new SGD([w], { lr: 0.01, momentum: 0.9, momentumStyle: 'ema' }))).toEqual([
      w1.toFixed(4),
      w2.toFixed(4),
    ]);
  });

  it('epsInsideSqrt divides by √(s + ε) (seed 000 §2.1.5 RMSProp)', () => {
    const w = tensor([1], { dtype: 'float64', requiresGrad: true });
    const opt = new RMSprop([w], { lr: 0.01, alpha: 0.9, eps: 0.01, epsInsideSqrt: true });
    w.square().mul(0.5).sum().backward();
    opt.step();
    expect(w.item()).toBeCloseTo(1 - 0.01 / Math.sqrt(0.1 + 0.01), 6);
  });

  it("squareAvgInit 'firstGrad' starts the RMS at σ₀ = |g₀| (seed 003)", () => {
    const w = tensor([2], { dtype: 'float64', requiresGrad: true });
    const opt = new RMSprop([w], { lr: 0.1, alpha: 0.9, eps: 0, squareAvgInit: 'firstGrad' });
    const grads: number[] = [];
    const expected: number[] = [2];
    let s = 0;
    for (let i = 0; i < 3; i++) {
      opt.zeroGrad();
      w.square().mul(0.5).sum().backward();
      const g = w.grad!.item();
      grads.push(g);
      s = i === 0 ? g * g : 0.9 * s + 0.1 * g * g;
      expected.push(expected[i]! - (0.1 * g) / Math.sqrt(s));
      opt.step();
      expect(w.item()).toBeCloseTo(expected[i + 1]!, 12);
    }
    // The first step is lr·g/|g| = lr, whatever the gradient's size.
    expect(expected[1]).toBeCloseTo(1.9, 12);
  });
});

describe('exponential moving average of a series (seed 004 §6.3.2)', () => {
  it('starts from the first value and smooths with β = 0.9', () => {
    const temps = [10, 20, 30, 25];
    const smoothed = emaSeries(temps, 0.9);
    expect(smoothed[0]).toBe(10);
    expect(smoothed[1]).toBeCloseTo(0.9 * 10 + 0.1 * 20, 12);
    expect(smoothed[3]).toBeCloseTo(0.9 * (0.9 * 11 + 3) + 2.5, 12);
  });

  it('accepts a tensor and a zero start with bias correction', () => {
    const series = emaSeries(arange(1, 4), 0.5, { init: 'zero', biasCorrection: true });
    // (0.5·1) / 0.5 = 1; (0.25 + 1) / 0.75; ((0.625) + 1.5) / 0.875
    expect(series).toEqual([1, 1.25 / 0.75, 2.125 / 0.875]);
    const avg = new ExponentialMovingAverage(0.9);
    expect(avg.value).toBeNaN();
    avg.update(tensor([4]));
    expect(avg.value).toBe(4);
    expect(() => new ExponentialMovingAverage(1)).toThrow(
      'ExponentialMovingAverage: invalid beta 1 (expected 0 <= beta < 1)',
    );
  });
});
