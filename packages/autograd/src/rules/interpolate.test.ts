import {
  type InterpolateOptions,
  interpolate,
  manualSeed,
  randn,
  type Tensor,
  tensor,
} from '@torchlet/tensor';
import { describe, expect, it } from 'vitest';
import { gradcheck, gradgradcheck, runBackward } from '../index.js';
import { expectAllClose, gradFixtures } from './test-utils/linalg-grads.js';

const f64 = { dtype: 'float64' as const };
const leaf = (x: Tensor): Tensor => x.detach().requiresGrad_();

function optionsOf(o: Record<string, unknown>): InterpolateOptions {
  return {
    mode: o.mode as InterpolateOptions['mode'],
    ...(o.size !== undefined ? { size: o.size as number[] } : { scaleFactor: o.scale_factor as number }),
    ...(o.align_corners !== undefined ? { alignCorners: o.align_corners as boolean } : {}),
  };
}

describe('interpolate gradient', () => {
  it('gradchecks and gradgradchecks every mode, up and down, 3-D and 4-D', () => {
    manualSeed(0);
    const x4 = leaf(randn([1, 2, 3, 4], f64));
    const x3 = leaf(randn([2, 1, 5], f64));
    const cases: [Tensor, InterpolateOptions][] = [
      [x4, { size: [5, 7], mode: 'bilinear' }],
      [x4, { size: [2, 3], mode: 'bilinear', alignCorners: true }],
      [x4, { scaleFactor: [1.5, 0.5], mode: 'bilinear' }],
      [x4, { size: [7, 3], mode: 'nearest' }],
      [x4, { scaleFactor: 2, mode: 'nearest-exact' }],
      [x3, { size: 9, mode: 'linear' }],
      [x3, { size: 3, mode: 'linear', alignCorners: true }],
      [x3, { size: 8 }],
    ];
    for (const [x, options] of cases) {
      expect(gradcheck((y) => interpolate(y, options), [x])).toBe(true);
    }
    expect(gradgradcheck((y) => interpolate(y, { size: [5, 7], mode: 'bilinear' }).square(), [x4])).toBe(
      true,
    );
  });

  it('gradchecks a permuted (non-contiguous) input', () => {
    manualSeed(1);
    const x = leaf(randn([1, 2, 4, 3], f64));
    expect(
      gradcheck((y) => interpolate(y.permute(0, 1, 3, 2), { size: [4, 6], mode: 'bilinear' }), [x]),
    ).toBe(true);
  });

  it('matches PyTorch gradients', () => {
    for (const c of gradFixtures.filter((f) => f.name === 'interpolate')) {
      const x = leaf(tensor(c.x, f64));
      const [g] = runBackward({
        outputs: [interpolate(x, optionsOf(c.options!))],
        gradOutputs: [tensor(c.cot[0], f64)],
        inputs: [x],
        retainGraph: false,
        createGraph: false,
      });
      expectAllClose(g!, c.grad, 1e-12);
    }
  });
});
