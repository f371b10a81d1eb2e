/** LoRA, adapters and the freezing helpers. */
import { manualSeed, randn, type Tensor } from '@torchlet/tensor';
import { describe, expect, it } from 'vitest';
import {
  Adapter,
  applyLoRA,
  countParameters,
  freeze,
  init,
  Linear,
  LoRALinear,
  Module,
  markOnlyLoRAAsTrainable,
  mergeLoRA,
  ReLU,
  Sequential,
  unfreeze,
} from './index.js';

const maxDiff = (a: Tensor, b: Tensor): number => a.sub(b).abs().max().item();

describe('LoRALinear', () => {
  manualSeed(0);
  it('starts equal to its base layer: A Gaussian, B zero, base weight frozen', () => {
    const base = new Linear(6, 4);
    const lora = LoRALinear.fromLinear(base, { r: 2, alpha: 4 });
    const x = randn([3, 6]);
    expect(maxDiff(lora.call(x), base.call(x))).toBe(0);
    expect(lora.lora_A.shape).toEqual([2, 6]);
    expect(lora.lora_B.shape).toEqual([4, 2]);
    expect(lora.lora_A.abs().max().item()).toBeGreaterThan(0);
    expect(lora.lora_B.abs().max().item()).toBe(0);
    expect(lora.scaling).toBe(2);
    expect(lora.weight).toBe(base.weight);
    expect(lora.weight.requiresGrad).toBe(false);
    expect(lora.namedParameters().map(([n]) => n)).toEqual(['weight', 'bias', 'lora_A', 'lora_B']);
  });

  it('merge and unmerge give the same outputs and restore the weight', () => {
    const lora = new LoRALinear(5, 3, { r: 2, alpha: 8 });
    init.normal_(lora.lora_B);
    const x = randn([4, 5]);
    const before = lora.call(x);
    const w0 = lora.weight.clone();
    lora.merge().merge();
    expect(lora.merged).toBe(true);
    expect(maxDiff(lora.call(x), before)).toBeLessThan(1e-5);
    expect(maxDiff(lora.weight, w0.add(lora.deltaWeight()))).toBeLessThan(1e-6);
    lora.unmerge().unmerge();
    expect(maxDiff(lora.weight, w0)).toBeLessThan(1e-6);
    expect(maxDiff(lora.call(x), before)).toBeLessThan(1e-6);
  });

  it('trains only A and B: the frozen weight gets no gradient', () => {
    const lora = new LoRALinear(4, 2, { r: 1 });
    lora
      .call(randn([3, 4]))
      .sum()
      .backward();
    expect(lora.weight.grad).toBeNull();
    expect(lora.lora_B.grad).not.toBeNull();
    expect(lora.lora_A.grad).not.toBeNull();
  });

  it('refuses a rank below 1', () => {
    expect(() => new LoRALinear(4, 2, { r: 0 })).toThrow(
      /LoRALinear: rank r must be a positive integer, got 0/,
    );
  });
});

class Block extends Module {
  q = new Linear(8, 8);
  v = new Linear(8, 8);
  ff = new Sequential(new Linear(8, 16), new ReLU(), new Linear(16, 8));
  override forward(x: Tensor): Tensor {
    return this.ff.call(this.q.call(x).add(this.v.call(x)));
  }
}

describe('applying LoRA to a model', () => {
  manualSeed(1);
  it('replaces the targeted Linear layers, keeps outputs, and leaves only LoRA trainable', () => {
    const model = new Block();
    const x = randn([2, 8]);
    const before = model.call(x);
    const keysBefore = Object.keys(model.stateDict());
    expect(applyLoRA(model, (name) => name === 'q' || name === 'v', { r: 2 })).toEqual(['q', 'v']);
    expect(model.q).toBeInstanceOf(LoRALinear);
    expect(maxDiff(model.call(x), before)).toBe(0);
    markOnlyLoRAAsTrainable(model);
    const trainable = model
      .namedParameters()
      .filter(([, p]) => p.requiresGrad)
      .map(([n]) => n);
    expect(trainable).toEqual(['q.lora_A', 'q.lora_B', 'v.lora_A', 'v.lora_B']);
    expect(countParameters(model, { trainableOnly: true })).toBe(4 * 2 * 8);
    expect(countParameters(model)).toBe(2 * 72 + 144 + 136 + 64);
    // The base layers' keys are still there, so a pre-LoRA checkpoint loads with strict: false.
    expect(Object.keys(model.stateDict())).toEqual(expect.arrayContaining(keysBefore));
    markOnlyLoRAAsTrainable(model, { bias: 'loraOnly' });
    expect(model.q.bias!.requiresGrad).toBe(true);
    expect((model.ff.at(0) as Linear).bias!.requiresGrad).toBe(false);
    mergeLoRA(model);
    expect((model.q as LoRALinear).merged).toBe(true);
    mergeLoRA(model, false);
    expect((model.v as LoRALinear).merged).toBe(false);
  });

  it('replaces layers inside containers too', () => {
    const model = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2));
    expect(applyLoRA(model, (name) => name === '2', { r: 1 })).toEqual(['2']);
    expect(model.at(2)).toBeInstanceOf(LoRALinear);
  });
});

describe('Adapter and freezing', () => {
  manualSeed(2);
  it('an adapter starts as the identity and learns through both projections', () => {
    const adapter = new Adapter(6, 2, { activation: 'gelu' });
    const x = randn([3, 6]);
    expect(maxDiff(adapter.call(x), x)).toBe(0);
    adapter.call(x).square().sum().backward();
    expect(adapter.up.weight.grad!.abs().max().item()).toBeGreaterThan(0);
    expect(adapter.namedParameters().map(([n]) => n)).toEqual([
      'down.weight',
      'down.bias',
      'up.weight',
      'up.bias',
    ]);
  });

  it('freeze and unfreeze all parameters or those a filter picks', () => {
    const model = new Block();
    freeze(model);
    expect(countParameters(model, { trainableOnly: true })).toBe(0);
    unfreeze(model, (name) => name.startsWith('ff.'));
    expect(countParameters(model, { trainableOnly: true })).toBe(144 + 136);
    freeze(model, (name) => name.endsWith('bias'));
    expect(countParameters(model, { trainableOnly: true })).toBe(128 + 128);
  });
});
