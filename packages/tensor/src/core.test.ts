import { describe, expect, it } from 'vitest';
import { arange, manualSeed, rand, randn, tensor, zeros } from './index.js';

describe('tensor core', () => {
  it('creates from nested arrays and prints like PyTorch', () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(x.shape).toEqual([2, 2]);
    expect(x.dtype).toBe('float32');
    expect(x.toString()).toBe('tensor([[1., 2.],\n        [3., 4.]])');
  });

  it('broadcasts [3,1] with [1,4] to [3,4]', () => {
    const a = arange(3).reshape(3, 1);
    const b = arange(4).reshape(1, 4);
    expect(a.add(b).toArray()).toEqual([
      [0, 1, 2, 3],
      [1, 2, 3, 4],
      [2, 3, 4, 5],
    ]);
  });

  it('adds non-contiguous views', () => {
    const a = arange(6).reshape(2, 3);
    expect(a.T.add(a.T).toArray()).toEqual([
      [0, 6],
      [2, 8],
      [4, 10],
    ]);
  });

  it('promotes int32 with a float scalar to float32', () => {
    const a = tensor([1, 2], { dtype: 'int32' });
    expect(a.add(1.5).dtype).toBe('float32');
    expect(a.add(1).dtype).toBe('int32');
    expect(a.div(2).toArray()).toEqual([0.5, 1]);
  });

  it('reduces over dims with keepdim', () => {
    const a = arange(6).reshape(2, 3);
    expect(a.sum().item()).toBe(15);
    expect(a.sum(0).toArray()).toEqual([3, 5, 7]);
    expect(a.sum(-1, true).toArray()).toEqual([[3], [12]]);
    expect(a.mean(1).toArray()).toEqual([1, 4]);
    expect(a.argmax(1).toArray()).toEqual([2, 2]);
  });

  it('multiplies matrices and batches', () => {
    const a = arange(6).reshape(2, 3);
    const b = arange(6).reshape(3, 2);
    expect(a.matmul(b).toArray()).toEqual([
      [10, 13],
      [28, 40],
    ]);
    const batch = arange(12).reshape(2, 2, 3);
    expect(batch.matmul(b).shape).toEqual([2, 2, 2]);
    expect(() => a.matmul(a)).toThrow('matmul: shapes [2,3] and [2,3] cannot be multiplied (3 != 2)');
  });

  it('draws reproducible random numbers', () => {
    manualSeed(0);
    const a = rand([5]).toArray();
    manualSeed(0);
    expect(rand([5]).toArray()).toEqual(a);
    // torch.manual_seed(0); torch.rand(3)
    manualSeed(0);
    expect(Array.from(rand([3]).dataSync())).toEqual(
      [0.49625658988952637, 0.7682217955589294, 0.08847743272781372].map(Math.fround),
    );
    expect(randn([1000]).mean().item()).toBeLessThan(0.15);
  });

  it('writes in place into views and bumps the version', () => {
    const z = zeros([2, 3]);
    const col = z.T.reshape(3, 2);
    expect(col.isContiguous()).toBe(false);
    z.T.add_(1);
    expect(z.sum().item()).toBe(6);
    expect(z.version).toBe(1);
  });

  it('casts NaN to true and adds bools as logical or, as PyTorch', () => {
    expect(tensor([Number.NaN, 0, -0, 2, -1]).bool().toArray()).toEqual([true, false, false, true, true]);
    expect(
      tensor([true, false])
        .add(tensor([true, true]))
        .toArray(),
    ).toEqual([true, true]);
  });

  it('computes relu on dense float32 exactly as the expression kernel (NaN, -0, inf, subnormals)', () => {
    const special = [
      Number.NaN,
      -0,
      0,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      1e-45,
      -1e-45,
      3.4e38,
      -2.5,
      2.5,
    ];
    const values = [...special, ...Array.from(randn([290]).dataSync())];
    const dense = tensor(values).reshape(20, 15);
    const strided = dense.T.contiguous().T; // same values, non-contiguous: the expression kernel
    expect(strided.isContiguous()).toBe(false);
    const fast = Array.from(dense.relu().dataSync());
    const reference = Array.from(strided.relu().dataSync());
    expect(fast.map((v, i) => Object.is(v, reference[i])).every(Boolean)).toBe(true);
    expect(Object.is(fast[1], -0)).toBe(true);
  });
});
