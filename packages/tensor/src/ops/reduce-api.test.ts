import { describe, expect, it } from 'vitest';
import {
  addcdiv,
  addcmul,
  arange,
  cumsum,
  logsumexp,
  max,
  min,
  norm,
  softmax,
  std,
  tensor,
  var as variance,
  zeros,
} from '../index.js';

const f64 = { dtype: 'float64' as const };

describe('reduction API', () => {
  it('max/min without a dim return a 0-d tensor; with a dim a [values, indices] pair', () => {
    const x = tensor([
      [1, 5, 5],
      [7, 0, 7],
    ]);
    expect(max(x).shape).toEqual([]);
    expect(min(x).item()).toBe(0);
    const [values, indices] = max(x, 1);
    expect(values.toArray()).toEqual([5, 7]);
    expect(indices.toArray()).toEqual([1, 0]);
    expect(indices.dtype).toBe('int32');
    expect(x.min(0, true).indices.toArray()).toEqual([[0, 1, 0]]);
    expect(x.max(tensor([6, 6, 6])).toArray()).toEqual([
      [6, 6, 6],
      [7, 6, 7],
    ]);
  });

  it('var/std take correction, the unbiased alias and keepdim as options', () => {
    const x = tensor([1, 2, 3, 4], f64);
    expect(variance(x).item()).toBeCloseTo(5 / 3, 14);
    expect(x.var(0, { correction: 0 }).item()).toBe(1.25);
    expect(x.var(undefined, { unbiased: false }).item()).toBe(1.25);
    expect(std(x.reshape(2, 2), 1, { keepdim: true }).shape).toEqual([2, 1]);
    const [v, m] = x.varMean();
    expect([v.item(), m.item()]).toEqual([5 / 3, 2.5]);
  });

  it('logsumexp, norm and softmax are stable for large values', () => {
    const x = tensor([1000, 1000], f64);
    expect(logsumexp(x, 0).item()).toBeCloseTo(1000 + Math.LN2, 10);
    expect(softmax(x, 0).toArray()).toEqual([0.5, 0.5]);
    expect(norm(tensor([3, 4])).item()).toBe(5);
    expect(norm(tensor([[3, -4]]), Number.POSITIVE_INFINITY, 1).toArray()).toEqual([4]);
  });

  it('reduces non-last dims of contiguous and transposed tensors', () => {
    const x = arange(24, undefined, 1, f64).reshape(2, 3, 4);
    expect(x.sum(1).toArray()).toEqual([
      [12, 15, 18, 21],
      [48, 51, 54, 57],
    ]);
    expect(x.permute(2, 0, 1).sum(0).toArray()).toEqual(x.sum(2).toArray());
    expect(cumsum(x.T, 0).shape).toEqual([4, 3, 2]);
  });

  it('keeps float64 scalars exact (no float32 detour)', () => {
    const x = zeros([2], f64);
    expect(x.add(0.1).toArray()).toEqual([0.1, 0.1]);
    x.fill_(0.1);
    expect(x.toArray()).toEqual([0.1, 0.1]);
  });

  it('addcmul / addcdiv and their in-place forms', () => {
    const x = tensor([1, 2], f64);
    expect(addcmul(x, tensor([2, 3], f64), tensor([4, 5], f64), 0.5).toArray()).toEqual([5, 9.5]);
    expect(addcdiv(x, 1, tensor([4, 8], f64), 2).toArray()).toEqual([1.5, 2.25]);
    x.addcmul_(tensor([1, 1], f64), tensor([2, 2], f64), -1);
    expect(x.toArray()).toEqual([-1, 0]);
    x.addcdiv_(tensor([1, 1], f64), tensor([2, 4], f64));
    expect(x.toArray()).toEqual([-0.5, 0.25]);
  });

  it('refuses dtypes and values PyTorch refuses, naming the op', () => {
    const i = tensor([1, 2], { dtype: 'int32' });
    const b = tensor([true, false]);
    expect(() => i.mean()).toThrow(/^mean: /);
    expect(() => i.var()).toThrow(/^var: expected a floating tensor/);
    expect(() => norm(i)).toThrow(/^norm: /);
    expect(() => softmax(i, 0)).toThrow(/^softmax: /);
    expect(softmax(i, 0, 'float64').dtype).toBe('float64');
    expect(() => b.sub(b)).toThrow(/^sub: subtraction with a bool tensor/);
    expect(() => b.neg()).toThrow(/^neg: not supported for bool/);
    expect(() => i.pow(-1)).toThrow(/^pow: integers to negative integer powers/);
    expect(() => i.floorDivide(tensor([1, 0], { dtype: 'int32' }))).toThrow(/ZeroDivisionError/);
    expect(() => i.gelu()).toThrow(/^gelu: not implemented for int32/);
    expect(() => max(zeros([0]))).toThrow(/^max: expected a non-empty tensor/);
    expect(() => tensor([[1, 2]]).sum(2)).toThrow(/^sum: dim 2 is out of range/);
  });
});
