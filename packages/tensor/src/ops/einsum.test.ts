import { describe, expect, it } from 'vitest';
import { einsum, randn, ShapeError, tensor } from '../index.js';
import { expectClose, fixtures } from './test-utils/linalg-fixtures.js';

const t64 = (x: unknown) => tensor(x as number[], { dtype: 'float64' });

describe('einsum', () => {
  it('matches PyTorch on contractions, diagonals, ellipsis and implicit output', () => {
    for (const c of fixtures.einsum) {
      const ops = (c.operands as unknown[]).map(t64);
      expectClose(einsum(c.equation, ...ops), c.out, 1e-12);
    }
  });

  it('accepts operands as one array and ignores spaces', () => {
    const a = randn([2, 3]);
    const b = randn([3, 4]);
    expectClose(einsum('ij, jk -> ik', [a, b]), a.matmul(b).toArray(), 1e-6);
  });

  it('reads non-contiguous operands (transposed, expanded)', () => {
    const a = randn([4, 3]).T;
    const b = randn([1, 4]).expand(3, 4);
    expectClose(einsum('ij,ij->i', a, b), a.mul(b).sum(1).toArray(), 1e-6);
    expectClose(einsum('ij,kj->ik', a, b), a.matmul(b.T).toArray(), 1e-6);
  });

  it('takes the trace with a repeated subscript', () => {
    expect(
      einsum(
        'ii',
        tensor([
          [1, 2],
          [3, 4],
        ]),
      ).item(),
    ).toBe(5);
  });

  it('reports malformed equations and mismatched sizes', () => {
    const a = randn([2, 3]);
    expect(() => einsum('ij,jk->ik', a)).toThrow(/names 2 operand\(s\) but 1 tensor/);
    expect(() => einsum('ijk->i', a)).toThrow(/3 subscript\(s\) for operand 0 but it has 2 dim/);
    expect(() => einsum('ij,jk->ik', a, randn([4, 2]))).toThrow(ShapeError);
    expect(() => einsum('ij->iz', a)).toThrow(/output subscript 'z' does not appear/);
    expect(() => einsum('ij->ii', a)).toThrow(/appears more than once/);
    expect(() => einsum('i1->i', a)).toThrow(/invalid subscript '1'/);
    expect(() => einsum('ii->i', a)).toThrow(/repeated for operand 0 but the sizes don't match/);
  });
});
