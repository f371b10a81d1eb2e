import { tensor } from '@torchlet/tensor';
import { describe, expect, it } from 'vitest';
import { packPaddedSequence, packSequence, padPackedSequence, padSequence } from './index.js';

// Values from torch.nn.utils.rnn (torch 1.13) for the sequences [4, 5], [1, 2, 3], [6].
const seqs = () => [tensor([4, 5]), tensor([1, 2, 3]), tensor([6])];

describe('packed sequences', () => {
  it('packs unsorted sequences longest first and remembers the order', () => {
    const p = packSequence(seqs(), { enforceSorted: false });
    expect(p.data.toArray()).toEqual([1, 4, 6, 2, 5, 3]);
    expect(p.batchSizes.toArray()).toEqual([3, 2, 1]);
    expect(p.sortedIndices!.toArray()).toEqual([1, 0, 2]);
    expect(p.unsortedIndices!.toArray()).toEqual([1, 0, 2]);
  });

  it('pads sequences and unpacks to the original order with lengths', () => {
    expect(padSequence(seqs(), { batchFirst: true, paddingValue: -1 }).toArray()).toEqual([
      [4, 5, -1],
      [1, 2, 3],
      [6, -1, -1],
    ]);
    const p = packSequence(seqs(), { enforceSorted: false });
    const [x, lengths] = padPackedSequence(p, { batchFirst: true, paddingValue: 9, totalLength: 4 });
    expect(x.toArray()).toEqual([
      [4, 5, 9, 9],
      [1, 2, 3, 9],
      [6, 9, 9, 9],
    ]);
    expect(lengths.toArray()).toEqual([2, 3, 1]);
  });

  it('refuses unsorted lengths when sorting is enforced, bad lengths and short totals', () => {
    const padded = padSequence(seqs());
    expect(() => packPaddedSequence(padded, [2, 3, 1])).toThrow(/decreasing order .* enforceSorted: false/);
    expect(() => packPaddedSequence(padded, [3, 0, 1])).toThrow(/positive integer, got 0/);
    expect(() => packPaddedSequence(padded, [4, 2, 1])).toThrow(/exceeds the 3 padded time steps/);
    expect(() => packPaddedSequence(padded, [3, 2])).toThrow(/B = 2 sequences, got \[3, ?3\]/);
    expect(() => padPackedSequence(packSequence([tensor([1, 2])]), { totalLength: 1 })).toThrow(/shorter/);
  });
});
