// Gradients of piecewise ops select the upstream gradient rather than multiply it by a mask, as
// PyTorch's backward kernels do: values from torch 1.13 for x = [NaN, −1, 0, 2].
import { clamp, floor, type Tensor, tensor } from '@torchlet/tensor';
import { describe, expect, it } from 'vitest';
import './../index.js';

const CASES: [string, (x: Tensor) => Tensor, number[], number[]][] = [
  ['relu', (x) => x.relu(), [1, 0, 0, 1], [Infinity, 0, 0, Infinity]],
  ['threshold(0.5, −3)', (x) => x.threshold(0.5, -3), [1, 0, 0, 1], [Infinity, 0, 0, Infinity]],
  ['hardtanh', (x) => x.hardtanh(), [1, 0, 1, 0], [Infinity, 0, Infinity, 0]],
  ['hardsigmoid', (x) => x.hardsigmoid(), [0, 1 / 6, 1 / 6, 1 / 6], [0, Infinity, Infinity, Infinity]],
  ['clamp(−0.5, 0.5)', (x) => clamp(x, -0.5, 0.5), [0, 0, 1, 0], [0, 0, Infinity, 0]],
  ['floor', (x) => floor(x), [0, 0, 0, 0], [0, 0, 0, 0]],
  ['pow(0)', (x) => x.pow(0), [0, 0, 0, 0], [0, 0, 0, 0]],
];

describe('masked gradients at NaN inputs and infinite upstream gradients (PyTorch values)', () => {
  it.each(CASES)('%s', (_, f, unit, infinite) => {
    for (const [g, expected] of [
      [1, unit],
      [Infinity, infinite],
    ] as const) {
      const x = tensor([Number.NaN, -1, 0, 2], { requiresGrad: true });
      f(x).backward(tensor([g, g, g, g]));
      const got = Array.from(x.grad!.dataSync());
      got.forEach((v, i) => {
        expect(v).toBeCloseTo(expected[i]!, 6);
      });
    }
  });
});
