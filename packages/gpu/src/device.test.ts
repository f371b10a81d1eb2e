import { tensor } from '@torchlet/tensor';
import { describe, expect, it } from 'vitest';
import { configureGpu, destroyGpu, gpuMode } from './index.js';

describe('the gpu.js context', () => {
  it('can be destroyed and reconfigured; kernels compile afresh for the new context', () => {
    const x = tensor([1, -2, 3]);
    expect(x.to('gpu').relu().toArray()).toEqual([1, 0, 3]);
    destroyGpu();
    configureGpu({ mode: 'cpu' });
    expect(gpuMode()).toBe('cpu');
    expect(x.to('gpu').relu().mul(2).toArray()).toEqual([2, 0, 6]);
    destroyGpu();
    configureGpu({});
    expect(x.to('gpu').relu().toArray()).toEqual([1, 0, 3]);
  });

  it('refuses reconfiguration while in use', () => {
    tensor([1]).to('gpu');
    expect(() => configureGpu({ mode: 'cpu' })).toThrow(/already in use; call destroyGpu\(\) first/);
  });
});
