import { einsum, eye, linalg, manualSeed, randn, type Tensor, tensor, trace } from '@torchlet/tensor';
import { describe, expect, it } from 'vitest';
import { gradcheck, gradgradcheck, runBackward } from '../index.js';
import { expectAllClose, gradFixtures as fixtures } from './test-utils/linalg-grads.js';

const f64 = { dtype: 'float64' as const };
const leaf = (x: Tensor): Tensor => x.detach().requiresGrad_();

/** A random well-conditioned (diagonally shifted) square leaf. */
function wellConditioned(shape: number[]): Tensor {
  const n = shape[shape.length - 1]!;
  return leaf(randn(shape, f64).add(eye(n, n, f64).mul(3)));
}

/** Gradient of Σ⟨fᵢ(x), cotᵢ⟩ with respect to x. */
function gradOf(f: (x: Tensor) => Tensor | Tensor[], x: Tensor, cots: Tensor[]): Tensor {
  const outs = [f(x)].flat();
  const [g] = runBackward({
    outputs: outs,
    gradOutputs: cots,
    inputs: [x],
    retainGraph: false,
    createGraph: false,
  });
  return g!;
}

describe('det, slogdet, inv, solve gradients', () => {
  it('gradchecks and gradgradchecks det, inv and slogdet on batches', () => {
    manualSeed(0);
    const a = wellConditioned([2, 3, 3]);
    expect(gradcheck((x) => linalg.det(x), [a])).toBe(true);
    expect(gradgradcheck((x) => linalg.det(x), [a])).toBe(true);
    expect(gradcheck((x) => linalg.inv(x), [a])).toBe(true);
    expect(gradgradcheck((x) => linalg.inv(x), [a])).toBe(true);
    expect(gradcheck((x) => linalg.slogdet(x).logabsdet, [a])).toBe(true);
    expect(gradcheck((x) => linalg.logdet(x.matmul(x.mT)), [a])).toBe(true);
  });

  it('gradchecks det and inv of a transposed (non-contiguous) input', () => {
    manualSeed(1);
    const a = wellConditioned([4, 4]);
    expect(gradcheck((x) => linalg.det(x.mT), [a])).toBe(true);
    expect(gradcheck((x) => linalg.inv(x.mT), [a])).toBe(true);
  });

  it('gradchecks and gradgradchecks solve with matrix, vector and broadcast right-hand sides', () => {
    manualSeed(2);
    const a = wellConditioned([3, 3]);
    const b = leaf(randn([2, 3, 2], f64));
    const v = leaf(randn([3], f64));
    expect(gradcheck((x, y) => linalg.solve(x, y), [a, b])).toBe(true);
    expect(gradgradcheck((x, y) => linalg.solve(x, y), [a, b])).toBe(true);
    expect(gradcheck((x, y) => linalg.solve(x, y), [a, v])).toBe(true);
    expect(gradcheck((x, y) => linalg.solve(x, y.unsqueeze(0), { left: false }), [a, v])).toBe(true);
  });

  it('gives the cofactor matrix as the gradient of det at a singular matrix', () => {
    const a = tensor(
      [
        [1, 2],
        [2, 4],
      ],
      { ...f64, requiresGrad: true },
    );
    linalg.det(a).backward();
    expectAllClose(a.grad!, [
      [4, -2],
      [-2, 1],
    ]);
  });

  it('matches PyTorch gradients', () => {
    const ops: Record<string, (x: Tensor) => Tensor | Tensor[]> = {
      det: (x) => linalg.det(x),
      slogdet: (x) => linalg.slogdet(x).logabsdet,
      inv: (x) => linalg.inv(x),
    };
    for (const c of fixtures.filter((f) => f.name in ops)) {
      const g = gradOf(
        ops[c.name]!,
        leaf(tensor(c.x, f64)),
        c.cot.map((v) => tensor(v, f64)),
      );
      expectAllClose(g, c.grad);
    }
  });
});

describe('decomposition gradients', () => {
  const spd = (x: Tensor) => x.matmul(x.mT).add(eye(x.shape[0]!, x.shape[0]!, f64));

  it('gradchecks cholesky (lower and upper) through a symmetric positive-definite input', () => {
    manualSeed(3);
    const x = leaf(randn([4, 4], f64));
    expect(gradcheck((y) => linalg.cholesky(spd(y)), [x])).toBe(true);
    expect(gradcheck((y) => linalg.cholesky(spd(y), { upper: true }), [x])).toBe(true);
  });

  it('gradchecks qr (Q and R) for tall and square input', () => {
    manualSeed(4);
    for (const shape of [
      [5, 3],
      [3, 3],
      [2, 4, 2],
    ]) {
      const x = leaf(randn(shape, f64));
      expect(gradcheck((y) => Object.values(linalg.qr(y)), [x])).toBe(true);
    }
    expect(() =>
      gradOf((y) => linalg.qr(y, { mode: 'r' }).R, leaf(randn([3, 3], f64)), [randn([3, 3], f64)]),
    ).toThrow(/mode 'r'/);
  });

  it('gradchecks eigh eigenvalues and (sign-invariant) eigenvectors', () => {
    manualSeed(5);
    const x = leaf(randn([2, 4, 4], f64));
    const sym = (y: Tensor) => y.add(y.mT);
    expect(gradcheck((y) => linalg.eigvalsh(sym(y)), [x])).toBe(true);
    expect(
      gradcheck(
        (y) => {
          const { eigenvalues, eigenvectors } = linalg.eigh(sym(y));
          return [eigenvalues, eigenvectors.mul(eigenvectors)];
        },
        [x],
      ),
    ).toBe(true);
  });

  it('gives eigenvalue gradients of a repeated eigenvalue without NaN (eigvalsh)', () => {
    const x = eye(3, 3, f64).requiresGrad_();
    linalg.eigvalsh(x).sum().backward();
    expectAllClose(x.grad!, eye(3, 3, f64).toArray());
  });

  it('gradchecks svd singular values and (sign-invariant) vectors, tall and wide', () => {
    manualSeed(6);
    for (const shape of [
      [5, 3],
      [3, 5],
      [4, 4],
    ]) {
      const x = leaf(randn(shape, f64));
      expect(gradcheck((y) => linalg.svdvals(y), [x])).toBe(true);
      expect(
        gradcheck(
          (y) => {
            const { U, S, Vh } = linalg.svd(y, { fullMatrices: false });
            return [U.mul(U), S, Vh.mul(Vh)];
          },
          [x],
        ),
      ).toBe(true);
    }
  });

  it('gradchecks svdvals of a rank-deficient matrix without NaN', () => {
    manualSeed(7);
    const x = leaf(randn([4, 2], f64).matmul(randn([2, 3], f64)));
    const g = gradOf((y) => linalg.svdvals(y), x, [tensor([1, 1, 0], f64)]);
    expect(g.dataSync().every(Number.isFinite)).toBe(true);
  });

  it('matches PyTorch gradients', () => {
    const sqr = (t: Tensor) => t.mul(t);
    const ops: Record<string, (x: Tensor) => Tensor | Tensor[]> = {
      cholesky: (x) => linalg.cholesky(spd(x)),
      qr: (x) => Object.values(linalg.qr(x)),
      eigh: (x) => {
        const r = linalg.eigh(x.add(x.mT));
        return [r.eigenvalues, sqr(r.eigenvectors)];
      },
      svd: (x) => {
        const r = linalg.svd(x, { fullMatrices: false });
        return [sqr(r.U), r.S, sqr(r.Vh)];
      },
      nuc: (x) => linalg.matrixNorm(x, 'nuc'),
    };
    ops.svdWide = ops.svd!;
    for (const c of fixtures.filter((f) => f.name in ops)) {
      const g = gradOf(
        ops[c.name]!,
        leaf(tensor(c.x, f64)),
        c.cot.map((v) => tensor(v, f64)),
      );
      expectAllClose(g, c.grad, 1e-7);
    }
  });
});

describe('norm and trace gradients', () => {
  it('gradchecks vector norms of every order', () => {
    manualSeed(8);
    const x = leaf(randn([3, 4], f64));
    for (const ord of [2, 1, 3, 0.5, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0]) {
      expect(gradcheck((y) => linalg.vectorNorm(y, ord, 1), [x])).toBe(true);
    }
    expect(gradcheck((y) => linalg.vectorNorm(y.T, 2, [0], true), [x])).toBe(true);
    expect(gradgradcheck((y) => linalg.vectorNorm(y), [x])).toBe(true);
  });

  it('gives a zero gradient for the 2-norm of a zero vector, as PyTorch', () => {
    const x = tensor([0, 0, 0], { ...f64, requiresGrad: true });
    linalg.vectorNorm(x).backward();
    expect(x.grad!.toArray()).toEqual([0, 0, 0]);
  });

  it('gradchecks matrix norms of every order', () => {
    manualSeed(9);
    const x = leaf(randn([2, 3, 4], f64));
    for (const ord of [
      'fro',
      'nuc',
      1,
      -1,
      2,
      -2,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ] as const) {
      expect(gradcheck((y) => linalg.matrixNorm(y, ord), [x])).toBe(true);
    }
    expect(gradcheck((y) => linalg.norm(y, 'fro', [0, 2]), [x])).toBe(true);
  });

  it('gradchecks and gradgradchecks trace, including rectangular and transposed input', () => {
    manualSeed(10);
    const x = leaf(randn([3, 4], f64));
    expect(gradcheck((y) => trace(y), [x])).toBe(true);
    expect(gradcheck((y) => y.T.trace(), [x])).toBe(true);
    expect(gradgradcheck((y) => trace(y.matmul(y.T)), [x])).toBe(true);
  });

  it('gives eigenvalues -2 and 2 for the Hessian of (1 - w1 w2)^2 at the origin', () => {
    const w = tensor([0, 0], { ...f64, requiresGrad: true });
    const w1 = w.mul(tensor([1, 0], f64)).sum();
    const w2 = w.mul(tensor([0, 1], f64)).sum();
    const loss = w1.mul(w2).neg().add(1).pow(2);
    const [g] = runBackward({
      outputs: [loss],
      gradOutputs: [tensor(1, f64)],
      inputs: [w],
      retainGraph: true,
      createGraph: true,
    });
    const rows = [
      [1, 0],
      [0, 1],
    ].map((e) => {
      const [h] = runBackward({
        outputs: [g!],
        gradOutputs: [tensor(e, f64)],
        inputs: [w],
        retainGraph: true,
        createGraph: false,
      });
      return h!.toArray() as number[];
    });
    const H = tensor(rows, f64);
    expectAllClose(H, [
      [0, -2],
      [-2, 0],
    ]);
    expectAllClose(linalg.eigvalsh(H), [-2, 2]);
  });
});

describe('einsum gradients', () => {
  it('gradchecks contractions, diagonals and broadcasting through matmul and mul', () => {
    manualSeed(11);
    const cases: [string, number[][]][] = [
      [
        'bij,bjk->bik',
        [
          [2, 3, 4],
          [2, 4, 2],
        ],
      ],
      [
        'ij,kj->ik',
        [
          [3, 4],
          [2, 4],
        ],
      ],
      [
        'bhqd,bhkd->bhqk',
        [
          [1, 2, 3, 2],
          [1, 2, 4, 2],
        ],
      ],
      ['ii->i', [[3, 3]]],
      ['ii', [[3, 3]]],
      [
        '...ij,...jk->...ik',
        [
          [2, 1, 2, 3],
          [4, 3, 2],
        ],
      ],
      ['i,j->ij', [[3], [2]]],
      [
        'bi,bi->b',
        [
          [3, 4],
          [3, 4],
        ],
      ],
      [
        'ij,jk,kl->il',
        [
          [2, 3],
          [3, 2],
          [2, 2],
        ],
      ],
    ];
    for (const [eq, shapes] of cases) {
      const ops = shapes.map((s) => leaf(randn(s, f64)));
      expect(gradcheck((...xs) => einsum(eq, ...xs), ops)).toBe(true);
    }
    const a = leaf(randn([3, 3], f64));
    expect(gradgradcheck((x) => einsum('ij,jk->ik', x, x.T), [a])).toBe(true);
  });
});
