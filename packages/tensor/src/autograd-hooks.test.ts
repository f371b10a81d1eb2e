import { describe, expect, it } from 'vitest';
import { enableGrad, isGradEnabled, noGrad, tensor } from './index.js';

// This file imports only @torchlet/tensor: the tensor package must work without autograd.
describe('without @torchlet/autograd', () => {
  it('computes on tensors that require grad without recording', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(2).exp();
    expect(x.requiresGrad).toBe(true);
    expect(y.gradFn).toBeNull();
    expect(y.requiresGrad).toBe(false);
  });

  it('explains how to get backward()', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => x.sum().backward()).toThrow(
      /autograd is not installed; add @torchlet\/autograd and import it once/,
    );
  });

  it('still has grad mode', () => {
    expect(isGradEnabled()).toBe(true);
    noGrad(() => {
      expect(isGradEnabled()).toBe(false);
      enableGrad(() => expect(isGradEnabled()).toBe(true));
    });
    expect(isGradEnabled()).toBe(true);
  });
});
