import { manualSeed, ones, randn, type Tensor, tensor } from '@torchlet/tensor';
import { describe, expect, it } from 'vitest';
import { Dropout2d, Embedding, Heaviside, Linear, MaxPool2d, Upsample } from '../index.js';

describe('layer behaviour beyond the PyTorch fixtures', () => {
  it('Embedding.fromPretrained copies the weights and freezes them unless told otherwise', () => {
    const w = tensor([
      [1, 2],
      [3, 4],
    ]);
    const emb = Embedding.fromPretrained(w);
    expect(emb.weight.requiresGrad).toBe(false);
    expect(emb.call(tensor([1, 0], { dtype: 'int32' })).toArray()).toEqual([
      [3, 4],
      [1, 2],
    ]);
    expect(Embedding.fromPretrained(w, { freeze: false }).weight.requiresGrad).toBe(true);
    expect(() => emb.call(tensor([0.5]))).toThrow(/indices must be int32/);
  });

  it('MaxPool2d with returnIndices returns [values, indices], typed as a pair', () => {
    const [values, indices]: [Tensor, Tensor] = new MaxPool2d(2, { returnIndices: true }).call(
      tensor([
        [
          [
            [1, 5],
            [3, 2],
          ],
        ],
      ]),
    );
    expect(values.toArray()).toEqual([[[[5]]]]);
    expect(indices.toArray()).toEqual([[[[1]]]]);
  });

  it('Dropout2d drops whole channels', () => {
    manualSeed(1);
    const out = new Dropout2d(0.5).call(ones([4, 8, 3, 3]));
    for (const plane of out.reshape([32, 9]).toArray() as number[][]) expect(new Set(plane).size).toBe(1);
  });

  it('Heaviside is the perceptron step: 1 where x > 0', () => {
    expect(new Heaviside().call(tensor([-1, 0, 2])).toArray()).toEqual([0, 0, 1]);
    expect(new Heaviside(0.5).call(tensor([0])).toArray()).toEqual([0.5]);
  });

  it('Linear names its input mismatch', () => {
    expect(() => new Linear(3, 2).call(randn([4, 5]))).toThrow(
      /linear: input of shape \[4,5\] does not match weight of shape \[2,3\]/,
    );
  });

  it('Upsample needs exactly one of size and scaleFactor', () => {
    expect(() => new Upsample({})).toThrow(/exactly one of size and scaleFactor/);
  });
});
