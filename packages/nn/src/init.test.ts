import { manualSeed, type Tensor, zeros } from '@torchlet/tensor';
import { describe, expect, it } from 'vitest';
import { Conv2d, Conv3d, ConvTranspose2d, Embedding, init, Linear } from './index.js';

function stats(t: Tensor): { mean: number; std: number; min: number; max: number } {
  const v = Array.from(t.dataSync());
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  return { mean, std, min: Math.min(...v), max: Math.max(...v) };
}

describe('calculateGain', () => {
  it('matches torch.nn.init.calculate_gain', () => {
    expect(init.calculateGain('linear')).toBe(1);
    expect(init.calculateGain('conv2d')).toBe(1);
    expect(init.calculateGain('sigmoid')).toBe(1);
    expect(init.calculateGain('tanh')).toBeCloseTo(5 / 3, 12);
    expect(init.calculateGain('relu')).toBeCloseTo(Math.SQRT2, 12);
    expect(init.calculateGain('leakyRelu')).toBeCloseTo(Math.sqrt(2 / (1 + 0.01 ** 2)), 12);
    expect(init.calculateGain('leaky_relu', 0.2)).toBeCloseTo(Math.sqrt(2 / 1.04), 12);
    expect(init.calculateGain('selu')).toBe(0.75);
    expect(() => init.calculateGain('swish')).toThrow(/unsupported nonlinearity 'swish'/);
  });
});

describe('initializers', () => {
  const big = () => zeros([256, 400]);

  it('kaimingUniform_ stays within gain·√(3/fan) and has the matching spread', () => {
    const t = init.kaimingUniform_(big(), { nonlinearity: 'relu' });
    const bound = Math.SQRT2 * Math.sqrt(3 / 400);
    const s = stats(t);
    expect(s.max).toBeLessThanOrEqual(bound);
    expect(s.min).toBeGreaterThanOrEqual(-bound);
    expect(s.std).toBeCloseTo(bound / Math.sqrt(3), 3);
  });

  it('kaimingNormal_ uses fanIn or fanOut', () => {
    expect(stats(init.kaimingNormal_(big(), { nonlinearity: 'relu' })).std).toBeCloseTo(
      Math.sqrt(2 / 400),
      3,
    );
    expect(stats(init.kaimingNormal_(big(), { mode: 'fanOut', nonlinearity: 'relu' })).std).toBeCloseTo(
      Math.sqrt(2 / 256),
      3,
    );
  });

  it('xavier uniform and normal follow gain·√(2/(fanIn+fanOut))', () => {
    const std = Math.sqrt(2 / 656);
    const u = stats(init.xavierUniform_(big()));
    expect(u.max).toBeLessThanOrEqual(std * Math.sqrt(3));
    expect(u.std).toBeCloseTo(std, 3);
    expect(stats(init.xavierNormal_(big(), 2)).std).toBeCloseTo(2 * std, 3);
  });

  it('truncNormal_ stays within [a, b]', () => {
    const s = stats(init.truncNormal_(big(), { mean: 1, std: 2, a: 0, b: 3 }));
    expect(s.min).toBeGreaterThanOrEqual(0);
    expect(s.max).toBeLessThanOrEqual(3);
    // Mean of N(1, 2²) truncated to [0, 3]: μ + σ(φ(α) − φ(β))/(Φ(β) − Φ(α)) ≈ 1.4133.
    expect(s.mean).toBeCloseTo(1.4133, 1);
  });

  it('orthogonal_ gives orthonormal rows or columns scaled by gain', () => {
    for (const shape of [
      [3, 5],
      [5, 3],
    ]) {
      const q = init.orthogonal_(zeros(shape), 2);
      const gram = shape[0]! < shape[1]! ? q.matmul(q.T) : q.T.matmul(q);
      const n = Math.min(shape[0]!, shape[1]!);
      const g = gram.dataSync();
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) expect(g[i * n + j]).toBeCloseTo(i === j ? 4 : 0, 5);
    }
  });

  it('constant_, ones_, zeros_ and eye_ fill as named', () => {
    expect(Array.from(init.constant_(zeros([2]), 3).dataSync())).toEqual([3, 3]);
    expect(Array.from(init.ones_(zeros([2])).dataSync())).toEqual([1, 1]);
    expect(Array.from(init.zeros_(init.ones_(zeros([2]))).dataSync())).toEqual([0, 0]);
    expect(init.eye_(zeros([2, 3])).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
  });

  it('runs on parameters that require grad without recording', () => {
    const layer = new Linear(3, 3);
    init.normal_(layer.weight, 0, 0.1);
    expect(layer.weight.gradFn).toBeNull();
    expect(layer.weight.requiresGrad).toBe(true);
  });
});

describe('default layer initialization is PyTorch’s', () => {
  it('Linear, Conv2d and Conv3d draw weight and bias from U(−1/√fanIn, 1/√fanIn)', () => {
    for (const [layer, fanIn] of [
      [new Linear(50, 400), 50],
      [new Conv2d(4, 300, 3), 36],
      [new Conv3d(4, 100, [2, 3, 3], { groups: 2 }), 36],
      [new ConvTranspose2d(300, 4, 3), 36],
    ] as const) {
      const bound = 1 / Math.sqrt(fanIn);
      const w = stats(layer.weight);
      expect(w.max).toBeLessThanOrEqual(bound);
      expect(w.min).toBeGreaterThanOrEqual(-bound);
      expect(w.std).toBeCloseTo(bound / Math.sqrt(3), 2);
      expect(Math.max(Math.abs(stats(layer.bias!).min), stats(layer.bias!).max)).toBeLessThanOrEqual(bound);
    }
  });

  it('is reproducible under manualSeed', () => {
    manualSeed(42);
    const a = new Linear(3, 2).weight.dataSync();
    manualSeed(42);
    expect(new Linear(3, 2).weight.dataSync()).toEqual(a);
  });

  it('Embedding draws N(0, 1) with the padding row zeroed', () => {
    const emb = new Embedding(500, 40, { paddingIdx: -1 });
    expect(emb.paddingIdx).toBe(499);
    expect(stats(emb.weight).std).toBeCloseTo(1, 1);
    expect(Array.from(emb.weight.dataSync().slice(499 * 40))).toEqual(new Array(40).fill(0));
  });
});
