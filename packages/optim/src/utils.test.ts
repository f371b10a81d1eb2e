import '@torchlet/autograd';
import { tensor } from '@torchlet/tensor';
import { describe, expect, it } from 'vitest';
import {
  AveragedModel,
  clipGradNorm_,
  clipGradValue_,
  emaAvgFn,
  parametersToVector,
  vectorToParameters,
} from './index.js';

function withGrads(grads: number[][]) {
  return grads.map((g) => {
    const p = tensor(
      g.map(() => 0),
      { requiresGrad: true, dtype: 'float64' },
    );
    p.grad = tensor(g, { dtype: 'float64' });
    return p;
  });
}

describe('clipGradNorm_', () => {
  it('returns the total 2-norm and scales gradients down to maxNorm', () => {
    const ps = withGrads([
      [3, 0],
      [0, 4],
    ]);
    const total = clipGradNorm_(ps, 1);
    expect(total.item()).toBe(5);
    const coef = 1 / (5 + 1e-6);
    expect(ps[0]!.grad!.toArray()).toEqual([3 * coef, 0]);
    expect(ps[1]!.grad!.toArray()).toEqual([0, 4 * coef]);
  });

  it('leaves gradients under the limit alone and supports other norms', () => {
    const ps = withGrads([[1, -2], [2]]);
    expect(clipGradNorm_(ps, 10).item()).toBeCloseTo(3, 12);
    expect(ps[0]!.grad!.toArray()).toEqual([1, -2]);
    expect(clipGradNorm_(ps, 10, { normType: Number.POSITIVE_INFINITY }).item()).toBe(2);
    expect(clipGradNorm_(ps, 10, { normType: 1 }).item()).toBe(5);
    expect(clipGradNorm_(ps, 10, { normType: 3 }).item()).toBeCloseTo(17 ** (1 / 3), 12);
  });

  it('errors on a non-finite norm when asked, naming the option', () => {
    const ps = withGrads([[Number.NaN, 1]]);
    expect(() => clipGradNorm_(ps, 1, { errorIfNonfinite: true })).toThrow(
      'clipGradNorm_: the total norm of order 2 of the gradients is non-finite (NaN)',
    );
    expect(clipGradNorm_(ps, 1).item()).toBeNaN();
    expect(clipGradNorm_(withGrads([]), 1).item()).toBe(0);
  });
});

describe('clipGradValue_', () => {
  it('clamps every gradient entry', () => {
    const ps = withGrads([[-3, 0.5, 2]]);
    clipGradValue_(ps, 1);
    expect(ps[0]!.grad!.toArray()).toEqual([-1, 0.5, 1]);
    expect(() => clipGradValue_(ps, -1)).toThrow('clipGradValue_: invalid clipValue -1');
  });
});

describe('parametersToVector / vectorToParameters', () => {
  it('round-trips parameters through one flat vector', () => {
    const a = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true },
    );
    const b = tensor([5, 6], { requiresGrad: true });
    const v = parametersToVector([a, b]);
    expect(v.toArray()).toEqual([1, 2, 3, 4, 5, 6]);
    vectorToParameters(v.mul(10), [a, b]);
    expect(a.toArray()).toEqual([
      [10, 20],
      [30, 40],
    ]);
    expect(b.toArray()).toEqual([50, 60]);
    expect(() => vectorToParameters(v, [a])).toThrow(
      'vectorToParameters: expected a 1-D vector of 4 elements, got shape [6]',
    );
  });
});

describe('AveragedModel', () => {
  it('averages weights equally by default (SWA)', () => {
    const w = tensor([0, 0], { dtype: 'float64', requiresGrad: true });
    const swa = new AveragedModel([w]);
    for (const v of [1, 2, 6]) {
      w.detach().copy_(tensor([v, v], { dtype: 'float64' }));
      swa.updateParameters([w]);
    }
    expect(swa.numAveraged).toBe(3);
    expect(swa.averaged[0]!.toArray()).toEqual([3, 3]);
    const target = tensor([0, 0], { dtype: 'float64', requiresGrad: true });
    swa.copyTo({ parameters: () => [target] });
    expect(target.toArray()).toEqual([3, 3]);
  });

  it('keeps an exponential moving average with decay', () => {
    const w = tensor([1], { dtype: 'float64', requiresGrad: true });
    const ema = new AveragedModel([w], { decay: 0.9 });
    ema.updateParameters([w]);
    w.detach().copy_(tensor([11], { dtype: 'float64' }));
    ema.updateParameters([w]);
    expect(ema.averaged[0]!.item()).toBeCloseTo(0.9 * 1 + 0.1 * 11, 12);
    const restored = new AveragedModel([w], { avgFn: emaAvgFn(0.9) });
    restored.loadStateDict(ema.stateDict());
    expect(restored.averaged[0]!.item()).toBeCloseTo(2, 12);
    expect(() => new AveragedModel([w], { decay: 0.9, avgFn: emaAvgFn(0.5) })).toThrow(
      "AveragedModel: give either 'decay' or 'avgFn', not both",
    );
  });
});
