import { describe, expect, it } from 'vitest';
import { arange, manualSeed, randn, tensor } from '../index.js';

function close(a: number[], b: number[], tol = 1e-4): void {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => {
    expect(Math.abs(v - b[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i]!)));
  });
}

/** matmul through elementwise ops only, as a reference independent of gemm. */
function reference(a: ReturnType<typeof randn>, b: ReturnType<typeof randn>): number[] {
  return [...a.unsqueeze(-1).mul(b.unsqueeze(-3)).sum(-2).dataSync()];
}

describe('matmul', () => {
  it('multiplies 2x3 by 3x2', () => {
    const a = arange(6).reshape(2, 3);
    const b = arange(6).reshape(3, 2);
    expect(a.matmul(b).toArray()).toEqual([
      [10, 13],
      [28, 40],
    ]);
  });

  it('handles 1-D operands as PyTorch (dot, mv, vector @ matrix)', () => {
    const v = tensor([1, 2, 3]);
    const m = arange(6).reshape(3, 2);
    expect(v.matmul(v).item()).toBe(14);
    expect(v.matmul(m).toArray()).toEqual([16, 22]);
    expect(m.T.matmul(v).toArray()).toEqual([16, 22]);
  });

  it('broadcasts batch dims [2,1,4,3] @ [5,3,6] -> [2,5,4,6]', () => {
    manualSeed(1);
    const a = randn([2, 1, 4, 3]);
    const b = randn([5, 3, 6]);
    const c = a.matmul(b);
    expect(c.shape).toEqual([2, 5, 4, 6]);
    close([...c.dataSync()], reference(a, b));
  });

  it('folds a dense [B,M,K] @ [K,N] into one product, and handles a broadcast left operand', () => {
    manualSeed(2);
    const a = randn([3, 5, 7]);
    const b = randn([7, 4]);
    close([...a.matmul(b).dataSync()], reference(a, b));
    const a1 = randn([1, 5, 7]);
    const b3 = randn([7, 4]).expand(3, 7, 4);
    close([...a1.matmul(b3).dataSync()], reference(a1, b3));
  });

  it('multiplies transposed and sliced views without copying first', () => {
    manualSeed(3);
    const a = randn([40, 30], { dtype: 'float64' });
    const b = randn([50, 40], { dtype: 'float64' });
    close([...a.T.matmul(b.T).dataSync()], reference(a.T, b.T), 1e-10);
  });

  it('promotes int32 @ float32 to float32 and refuses bool', () => {
    const c = tensor([[1, 2]], { dtype: 'int32' }).matmul(tensor([[0.5], [0.25]]));
    expect(c.dtype).toBe('float32');
    expect(c.item()).toBe(1);
    expect(() => tensor([true]).matmul(tensor([true]))).toThrow(/bool/);
  });

  it('names both shapes when the inner dims differ', () => {
    expect(() => randn([2, 3]).matmul(randn([4, 5]))).toThrow(
      'matmul: shapes [2,3] and [4,5] cannot be multiplied (3 != 4)',
    );
  });
});
