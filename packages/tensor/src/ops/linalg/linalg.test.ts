import { describe, expect, it } from 'vitest';
import {
  DTypeError,
  eye,
  linalg,
  manualSeed,
  randn,
  ShapeError,
  type Tensor,
  tensor,
  trace,
} from '../../index.js';
import { expectClose, fixtures } from '../test-utils/linalg-fixtures.js';

const f64 = { dtype: 'float64' as const };
const t64 = (x: unknown) => tensor(x as number[], f64);

/** Flips the sign of each column of `got` to match `ref` (eigen/singular vectors are defined up to sign). */
function alignColumns(got: Tensor, ref: Tensor): Tensor {
  const signs = got.mul(ref).sum(-2, true).sign();
  return got.mul(signs);
}

function expectOrthonormalColumns(q: Tensor, tol = 1e-10): void {
  const k = q.shape[q.ndim - 1]!;
  expectClose(
    q.mT.matmul(q),
    eye(k, k, f64)
      .expand([...q.shape.slice(0, -2), k, k])
      .toArray(),
    tol,
  );
}

describe('linalg.det / slogdet / inv / solve', () => {
  it('matches PyTorch on known, batched and permutation matrices', () => {
    for (const c of fixtures.det) expectClose(linalg.det(t64(c.A)), c.det, 1e-12);
    for (const c of fixtures.slogdet) {
      const { sign, logabsdet } = linalg.slogdet(t64(c.A));
      expectClose(sign, c.sign);
      expectClose(logabsdet, c.logabsdet, 1e-12);
    }
    for (const c of fixtures.inv) expectClose(linalg.inv(t64(c.A)), c.inv, 1e-12);
    for (const c of fixtures.solve) expectClose(linalg.solve(t64(c.A), t64(c.B)), c.X, 1e-12);
  });

  it('gives det 4 for the 3x3 second-difference matrix, in float32 too', () => {
    const a = tensor([
      [2, -1, 0],
      [-1, 2, -1],
      [0, -1, 2],
    ]);
    const d = linalg.det(a);
    expect(d.dtype).toBe('float32');
    expect(d.item()).toBeCloseTo(4, 5);
    expect(a.det().item()).toBeCloseTo(4, 5);
    expect(linalg.logdet(a).item()).toBeCloseTo(Math.log(4), 5);
  });

  it('returns det 0 for a singular matrix but refuses to invert or solve with it', () => {
    const s = tensor([
      [1, 2],
      [2, 4],
    ]);
    expect(linalg.det(s).item()).toBe(0);
    expect(linalg.slogdet(s).logabsdet.item()).toBe(Number.NEGATIVE_INFINITY);
    expect(() => linalg.inv(s)).toThrow(/linalg.inv: the diagonal element 2 is zero.*singular/);
    expect(() => linalg.solve(s, tensor([1, 2]))).toThrow(/linalg.solve: .*singular/);
    expect(() => linalg.inv(s.unsqueeze(0).expand(3, 2, 2))).toThrow(/\(Batch element 0\)/);
  });

  it('rejects non-square and integer input with the op name', () => {
    expect(() => linalg.det(randn([2, 3]))).toThrow(ShapeError);
    expect(() => linalg.inv(randn([2, 3]))).toThrow(
      /linalg.inv: A must be batches of square matrices, but they are 2 by 3/,
    );
    expect(() => linalg.det(randn([3]))).toThrow(/at least 2 dimensions/);
    expect(() =>
      linalg.det(
        tensor(
          [
            [1, 2],
            [3, 4],
          ],
          { dtype: 'int32' },
        ),
      ),
    ).toThrow(DTypeError);
    expect(() => linalg.solve(eye(3), randn([4]))).toThrow(/incompatible shapes/);
  });

  it('reads transposed (non-contiguous) input through its strides', () => {
    manualSeed(1);
    const a = randn([4, 4], f64).add(eye(4, 4, f64).mul(3));
    expectClose(linalg.inv(a.mT), linalg.inv(a).mT.toArray(), 1e-12);
    expectClose(linalg.solve(a, eye(4, 4, f64), { left: false }), linalg.inv(a).toArray(), 1e-12);
  });

  it('raises matrices to integer powers', () => {
    for (const c of fixtures.matrixPower) expectClose(linalg.matrixPower(t64(c.A), c.n), c.out, 1e-12);
  });
});

describe('linalg.cholesky / qr', () => {
  it('matches PyTorch, lower and upper', () => {
    const c = fixtures.cholesky;
    expectClose(linalg.cholesky(t64(c.A)), c.L, 1e-12);
    expectClose(linalg.cholesky(t64(c.A), { upper: true }), c.U, 1e-12);
  });

  it('refuses a matrix that is not positive-definite', () => {
    const a = tensor([
      [1, 2],
      [2, 1],
    ]);
    expect(() => linalg.cholesky(a)).toThrow(/leading minor of order 2 is not positive-definite/);
  });

  it('matches PyTorch Q and R (same Householder signs) in every mode', () => {
    for (const c of fixtures.qr) {
      const { Q, R } = linalg.qr(t64(c.A), { mode: c.mode });
      expectClose(R, c.R, 1e-12);
      if (c.mode !== 'r') expectClose(Q, c.Q, 1e-12);
      else expect(Q.numel()).toBe(0);
    }
  });

  it('gives orthonormal Q in float32 with A = QR', () => {
    manualSeed(2);
    const a = randn([6, 4]);
    const { Q, R } = linalg.qr(a);
    expect(Q.dtype).toBe('float32');
    expectClose(Q.matmul(R), a.toArray(), 1e-5);
    expectClose(Q.mT.matmul(Q), eye(4).toArray(), 1e-6);
  });
});

describe('linalg.eigh / svd', () => {
  it('gives eigenvalues -2, 2 for the Hessian of (1 - w1 w2)^2 at the origin', () => {
    const { eigenvalues, eigenvectors } = linalg.eigh(
      tensor([
        [0, -2],
        [-2, 0],
      ]),
    );
    expectClose(eigenvalues, [-2, 2], 1e-6);
    expectOrthonormalColumns(eigenvectors.to('float64'), 1e-6);
  });

  it('matches PyTorch eigenvalues and eigenvectors (up to sign), batched', () => {
    for (const c of fixtures.eigh) {
      const A = t64(c.A);
      const { eigenvalues, eigenvectors } = linalg.eigh(A);
      expectClose(eigenvalues, c.eigenvalues, 1e-12);
      expectClose(alignColumns(eigenvectors, t64(c.eigenvectors)), c.eigenvectors, 1e-9);
      expectClose(eigenvectors.mul(eigenvalues.unsqueeze(-2)).matmul(eigenvectors.mT), c.A, 1e-12);
    }
  });

  it('reads only the lower triangle by default, the upper with UPLO U', () => {
    const c = fixtures.eighLower;
    expectClose(linalg.eigvalsh(t64(c.A)), c.eigenvalues, 1e-12);
    expectClose(linalg.eigvalsh(t64(c.A), { UPLO: 'U' }), c.upper, 1e-12);
  });

  it('matches PyTorch singular values and vectors (up to sign) for tall, wide and rank-deficient input', () => {
    for (const c of fixtures.svd) {
      const A = t64(c.A);
      const { U, S, Vh } = linalg.svd(A, { fullMatrices: false });
      expectClose(S, c.S, 1e-12);
      expectClose(U.mul(S.unsqueeze(-2)).matmul(Vh), c.A, 1e-12);
      expectClose(linalg.svdvals(A), c.S, 1e-12);
      // Vectors of the (near-)zero singular values of the rank-2 matrix are not unique.
      const k = c.S.flat().filter((s: number) => s > 1e-8).length;
      if (k === c.S.length) {
        expectClose(alignColumns(U, t64(c.U)), c.U, 1e-9);
        expectClose(alignColumns(Vh.mT, t64(c.Vh).mT).mT, c.Vh, 1e-9);
      }
    }
  });

  it('completes U and Vh to square orthogonal matrices with fullMatrices', () => {
    for (const c of fixtures.svd) {
      const A = t64(c.A);
      const { U, S, Vh } = linalg.svd(A);
      const [m, n] = A.shape.slice(-2) as [number, number];
      expect(U.shape.slice(-2)).toEqual([m, m]);
      expect(Vh.shape.slice(-2)).toEqual([n, n]);
      expectOrthonormalColumns(U);
      expectOrthonormalColumns(Vh.mT);
      expectClose(S, c.S, 1e-12);
    }
  });

  it('returns S = [3√5, √5] for [[3, 0], [4, 5]] in float32', () => {
    const { S } = linalg.svd(
      tensor([
        [3, 0],
        [4, 5],
      ]),
    );
    expect(S.dtype).toBe('float32');
    expectClose(S, [3 * Math.sqrt(5), Math.sqrt(5)], 1e-6);
  });

  it('computes numerical rank and pseudo-inverse as PyTorch', () => {
    for (const c of fixtures.matrixRank) {
      const r = linalg.matrixRank(t64(c.A));
      expect(r.dtype).toBe('int32');
      expect(r.toArray()).toEqual(c.rank);
    }
    expect(linalg.matrixRank(t64(fixtures.matrixRank[0].A), { tol: 1e6 }).item()).toBe(0);
    for (const c of fixtures.pinv) expectClose(linalg.pinv(t64(c.A)), c.pinv, 1e-10);
  });
});

describe('norms, trace and cross', () => {
  const ordOf = (o: number | string) => (o === 'inf' ? Infinity : o === '-inf' ? -Infinity : o);

  it('matches PyTorch vector norms of every order', () => {
    for (const c of fixtures.vectorNorm) {
      expectClose(
        linalg.vectorNorm(t64(c.x), ordOf(c.ord) as number, c.dim, c.keepdim ?? false),
        c.out,
        1e-12,
      );
    }
  });

  it('matches PyTorch matrix norms of every order, over any two dims', () => {
    for (const c of fixtures.matrixNorm) {
      const out = linalg.matrixNorm(t64(c.A), ordOf(c.ord) as never, c.dim ?? [-2, -1], c.keepdim ?? false);
      expectClose(out, c.out, 1e-12);
    }
    for (const c of fixtures.norm) expectClose(linalg.norm(t64(c.A), c.ord, c.dim), c.out, 1e-12);
  });

  it('takes the trace of square and rectangular matrices', () => {
    const m = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(trace(m).item()).toBe(6);
    expect(m.T.trace().item()).toBe(6);
    expect(
      trace(
        tensor(
          [
            [1, 2],
            [3, 4],
          ],
          { dtype: 'int32' },
        ),
      ).dtype,
    ).toBe('int32');
    expect(() => trace(randn([2, 2, 2]))).toThrow(/trace: expected a matrix/);
  });

  it('computes cross products as PyTorch, broadcasting', () => {
    const c = fixtures.cross;
    expectClose(linalg.cross(t64(c.a), t64(c.b)), c.out, 1e-12);
    expect(() => linalg.cross(randn([2, 4]), randn([2, 4]))).toThrow(/size 3/);
  });
});
