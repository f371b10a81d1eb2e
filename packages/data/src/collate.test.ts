import { tensor } from '@torchlet/tensor';
import { describe, expect, it } from 'vitest';
import { defaultCollate } from './index.js';

describe('defaultCollate', () => {
  it('stacks tensors into a leading batch dim', () => {
    const b = defaultCollate([tensor([1, 2]), tensor([3, 4]), tensor([5, 6]).reshape(2)]);
    expect(b.shape).toEqual([3, 2]);
    expect(b.toArray()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
  });

  it('turns integers into int32, other numbers into float32, booleans into bool', () => {
    expect(defaultCollate([1, 2]).dtype).toBe('int32');
    expect(defaultCollate([1, 2.5]).dtype).toBe('float32');
    expect(defaultCollate([true, false]).toArray()).toEqual([true, false]);
  });

  it('collates tuples, objects and typed arrays element-wise', () => {
    const b = defaultCollate([
      [tensor([1]), 0, { id: 'a', v: Float32Array.of(1, 2) }],
      [tensor([2]), 1, { id: 'b', v: Float32Array.of(3, 4) }],
    ] as const);
    expect(b[0].shape).toEqual([2, 1]);
    expect(b[1].toArray()).toEqual([0, 1]);
    expect(b[2].id).toEqual(['a', 'b']);
    expect(b[2].v.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(defaultCollate([Uint8Array.of(255)]).dtype).toBe('int32');
  });

  it('explains mismatched samples', () => {
    expect(() => defaultCollate([tensor([1, 2]), tensor([1, 2, 3])])).toThrow(
      'defaultCollate: every sample must be a float32 tensor of shape [2], got float32 [3] at batch position 1',
    );
    expect(() => defaultCollate([[1, 2], [1]])).toThrow(
      'every sample in a batch must be an array of length 2',
    );
    expect(() => defaultCollate([{ y: 1 }, { y: 'a' }])).toThrow(
      'every sample.y must be a number, got string',
    );
    expect(() => defaultCollate([null])).toThrow('defaultCollate: sample must be a tensor');
    expect(() => defaultCollate([])).toThrow('cannot collate an empty batch');
  });
});
