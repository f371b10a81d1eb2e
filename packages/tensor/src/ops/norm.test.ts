import { describe, expect, it } from 'vitest';
import { linalg, norm, randn, tensor } from '../index.js';

const f64 = { dtype: 'float64' as const };

describe('norm', () => {
  it('x.norm(p, dims, keepdim) is torch.Tensor.norm and agrees with linalg.vectorNorm', () => {
    const x = randn([3, 4, 5], f64);
    expect(x.norm().item()).toBeCloseTo(linalg.vectorNorm(x).item(), 12);
    expect(x.norm(1, -1, true).shape).toEqual([3, 4, 1]);
    expect(x.norm(3, [0, 2]).toArray()).toEqual(linalg.vectorNorm(x, 3, [0, 2]).toArray());
    expect(x.norm('fro', [1, 2]).toArray()).toEqual(linalg.matrixNorm(x, 'fro').toArray());
    expect(norm(tensor([[3, -4]]), 1, 1).toArray()).toEqual([7]);
  });

  it("computes the nuclear norm for 'nuc' over two dims, as torch.norm", () => {
    const A = tensor(
      [
        [3, 0],
        [0, -4],
      ],
      f64,
    );
    expect(A.norm('nuc').item()).toBeCloseTo(7, 12);
    expect(norm(A.unsqueeze(0), 'nuc', [1, 2], true).shape).toEqual([1, 1, 1]);
  });

  it('names the caller in errors', () => {
    const i = tensor([1, 2], { dtype: 'int32' });
    expect(() => i.norm()).toThrow(/^norm: expected a floating tensor/);
    expect(() => linalg.vectorNorm(i)).toThrow(/^linalg\.vectorNorm: /);
    expect(() => randn([0, 2]).norm(Number.POSITIVE_INFINITY, 0)).toThrow(/^norm: cannot reduce over dim 0/);
  });
});
