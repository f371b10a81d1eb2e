import { arange, Generator, tensor } from '@torchlet/tensor';
import { describe, expect, it } from 'vitest';
import { oneHot, StandardScaler, trainTestSplit } from '../index.js';

describe('trainTestSplit', () => {
  const x = arange(20).reshape(10, 2);
  const y = tensor([0, 0, 0, 0, 0, 0, 1, 1, 1, 1], { dtype: 'int32' });

  it('splits rows consistently across tensors, reproducibly', () => {
    const [xTr, xTe, , yTe] = trainTestSplit([x, y], { testSize: 0.3, generator: new Generator(0) });
    expect(xTr!.shape).toEqual([7, 2]);
    expect(xTe!.shape).toEqual([3, 2]);
    const rows = (t: typeof x) => (t.toArray() as number[][]).map((r) => r[0]! / 2);
    expect(rows(xTe!).map((i) => (i >= 6 ? 1 : 0))).toEqual(yTe!.toArray());
    expect([...rows(xTr!), ...rows(xTe!)].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const again = trainTestSplit([x, y], { testSize: 0.3, generator: new Generator(0) });
    expect(again[1]!.toArray()).toEqual(xTe!.toArray());
    const [, tail] = trainTestSplit([y], { testSize: 2, shuffle: false });
    expect(tail!.toArray()).toEqual([1, 1]);
  });

  it('keeps class proportions with stratify', () => {
    const [, , yTr, yTe] = trainTestSplit([x, y], {
      testSize: 0.5,
      stratify: y,
      generator: new Generator(2),
    });
    const ones = (t: typeof y) => (t.toArray() as number[]).filter((v) => v === 1).length;
    expect(ones(yTe!)).toBe(2);
    expect(ones(yTr!)).toBe(2);
    expect(() => trainTestSplit([x], { testSize: 10 })).toThrow('leaves an empty part of 10 samples');
  });
});

describe('StandardScaler and oneHot', () => {
  it('fits on one split and transforms others with the same statistics', () => {
    const train = tensor([
      [1, 10],
      [3, 10],
    ]);
    // biome-ignore lint/suspicious/noFocusedTests: fit() is the scaler's method, not a focused test
    const s = new StandardScaler().fit(train);
    expect(Array.from(s.mean!)).toEqual([2, 10]);
    expect(Array.from(s.scale!)).toEqual([1, 1]);
    expect(s.transform(tensor([[4, 12]])).toArray()).toEqual([[2, 2]]);
    expect(s.inverseTransform(s.fitTransform(train)).toArray()).toEqual(train.toArray());
    expect(() => new StandardScaler().transform(train)).toThrow('StandardScaler.transform: call fit() first');
    expect(() => s.transform(tensor([[1, 2, 3]]))).toThrow('fitted on 2 features, got [1,3]');
  });

  it('one-hot encodes labels', () => {
    const h = oneHot(tensor([0, 2, 1], { dtype: 'int32' }), 3);
    expect(h.dtype).toBe('float32');
    expect(h.toArray()).toEqual([
      [1, 0, 0],
      [0, 0, 1],
      [0, 1, 0],
    ]);
    expect(oneHot(tensor([1], { dtype: 'int32' }), undefined, { dtype: 'int32' }).toArray()).toEqual([
      [0, 1],
    ]);
    expect(() => oneHot(tensor([3], { dtype: 'int32' }), 3)).toThrow(
      'oneHot: label 3 at index 0 is not in [0, 3)',
    );
  });
});
