import { Generator, manualSeed } from '@torchlet/tensor';
import { describe, expect, it } from 'vitest';
import {
  BatchSampler,
  RandomSampler,
  SequentialSampler,
  SubsetRandomSampler,
  WeightedRandomSampler,
} from './index.js';

const sorted = (a: number[]) => [...a].sort((p, q) => p - q);

describe('samplers', () => {
  it('SequentialSampler counts up', () => {
    expect([...new SequentialSampler(4)]).toEqual([0, 1, 2, 3]);
    expect(new SequentialSampler({ length: 7 }).length).toBe(7);
  });

  it('RandomSampler permutes, differently each pass, reproducibly from a seed', () => {
    const s = new RandomSampler(10, { generator: new Generator(3) });
    const first = [...s];
    const second = [...s];
    expect(sorted(first)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(second).not.toEqual(first);
    expect([...new RandomSampler(10, { generator: new Generator(3) })]).toEqual(first);
    manualSeed(5);
    const a = [...new RandomSampler(10)];
    manualSeed(5);
    expect([...new RandomSampler(10)]).toEqual(a);
  });

  it('RandomSampler draws numSamples, with or without replacement', () => {
    const withRep = [
      ...new RandomSampler(3, { replacement: true, numSamples: 50, generator: new Generator(0) }),
    ];
    expect(withRep).toHaveLength(50);
    expect(withRep.every((i) => i >= 0 && i < 3)).toBe(true);
    const chained = [...new RandomSampler(3, { numSamples: 6, generator: new Generator(0) })];
    expect(sorted(chained)).toEqual([0, 0, 1, 1, 2, 2]);
  });

  it('SubsetRandomSampler permutes only the given indices', () => {
    const s = new SubsetRandomSampler([10, 20, 30], { generator: new Generator(0) });
    expect(sorted([...s])).toEqual([10, 20, 30]);
    expect(s.length).toBe(3);
  });

  it('WeightedRandomSampler follows the weights', () => {
    const draws = [...new WeightedRandomSampler([1, 0, 3], 4000, { generator: new Generator(0) })];
    const counts = [0, 1, 2].map((k) => draws.filter((i) => i === k).length);
    expect(counts[1]).toBe(0);
    expect(counts[2]! / counts[0]!).toBeGreaterThan(2.6);
    expect(counts[2]! / counts[0]!).toBeLessThan(3.4);
    const noRep = [
      ...new WeightedRandomSampler([5, 1, 1, 0], 3, { replacement: false, generator: new Generator(1) }),
    ];
    expect(sorted(noRep)).toEqual([0, 1, 2]);
    expect(() => new WeightedRandomSampler([1, 0], 2, { replacement: false })).toThrow(
      'cannot draw 2 samples without replacement from 1 positive weights',
    );
    expect(() => new WeightedRandomSampler([1, -1], 2)).toThrow(
      'weights must be finite and non-negative, got -1 at 1',
    );
  });

  it('BatchSampler groups indices, dropping or keeping the last short batch', () => {
    expect([...new BatchSampler(new SequentialSampler(5), 2)]).toEqual([[0, 1], [2, 3], [4]]);
    expect([...new BatchSampler(new SequentialSampler(5), 2, true)]).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(new BatchSampler(new SequentialSampler(5), 2).length).toBe(3);
    expect(new BatchSampler(new SequentialSampler(5), 2, true).length).toBe(2);
    expect(() => new BatchSampler(new SequentialSampler(5), 0)).toThrow(
      'batchSize must be a positive integer, got 0',
    );
  });
});
