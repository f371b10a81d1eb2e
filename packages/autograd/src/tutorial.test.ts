// Known values from the tutorials in /work/shared/seeds/ (backpropagation worked example, chain
// rule, saddle-point Hessian).
import { noGrad, type Tensor, tensor, zeros } from '@torchlet/tensor';
import { describe, expect, it } from 'vitest';
import { grad, hessian, hvp } from './index.js';

const f64 = { dtype: 'float64' as const, requiresGrad: true };

describe('the 2-2-2 sigmoid network worked example', () => {
  // Inputs 0.05/0.10, weights w1..w8 = 0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55, biases
  // 0.35/0.60 (shared per layer), targets 0.01/0.99; rows of W are the receiving neurons.
  const setup = () => {
    const x = tensor([[0.05], [0.1]], { dtype: 'float64' });
    const target = tensor([[0.01], [0.99]], { dtype: 'float64' });
    const W1 = tensor(
      [
        [0.15, 0.2],
        [0.25, 0.3],
      ],
      f64,
    );
    const W2 = tensor(
      [
        [0.4, 0.45],
        [0.5, 0.55],
      ],
      f64,
    );
    const b1 = tensor(0.35, f64);
    const b2 = tensor(0.6, f64);
    const h = W1.matmul(x).add(b1).sigmoid();
    const o = W2.matmul(h).add(b2).sigmoid();
    const E = target.sub(o).square().mul(0.5).sum();
    return { W1, W2, h, o, E };
  };

  it('reproduces the forward pass and E_total = 0.298371109', () => {
    const { h, o, E } = setup();
    const [h1, h2] = (h.toArray() as number[][]).map((r) => r[0]!);
    const [o1, o2] = (o.toArray() as number[][]).map((r) => r[0]!);
    expect(h1).toBeCloseTo(0.593269992, 9);
    expect(h2).toBeCloseTo(0.596884378, 9);
    expect(o1).toBeCloseTo(0.75136507, 8);
    expect(o2).toBeCloseTo(0.772928465, 9);
    expect(E.item()).toBeCloseTo(0.298371109, 9);
  });

  it('gives ∂E/∂w5 = 0.082167041 and ∂E/∂w1 = 0.000438568, and the updated weights', () => {
    const { W1, W2, E } = setup();
    E.backward();
    expect(W2.grad!.toArray()).toEqual([
      [expect.closeTo(0.082167041, 9), expect.closeTo(0.082667628, 9)],
      [expect.closeTo(-0.02260254, 9), expect.closeTo(-0.022740242, 9)],
    ]);
    expect((W1.grad!.toArray() as number[][])[0]![0]).toBeCloseTo(0.000438568, 9);
    noGrad(() => {
      W1.sub_(W1.grad!.mul(0.5));
      W2.sub_(W2.grad!.mul(0.5));
    });
    expect((W2.toArray() as number[][])[0]![0]).toBeCloseTo(0.35891648, 8);
    expect((W1.toArray() as number[][])[0]![0]).toBeCloseTo(0.149780716, 9);
  });
});

describe('the chain rule', () => {
  it('d/dx (2x+1)^3 = 6(2x+1)^2: 6, 54, 150 at 0, 1, 2', () => {
    const dy = grad((x: Tensor) => x.mul(2).add(1).pow(3).sum());
    expect(dy(tensor([0, 1, 2], { dtype: 'float64' })).toArray()).toEqual([6, 54, 150]);
  });
});

describe('the saddle of (1 − w1·w2)²', () => {
  const loss = (w1: Tensor, w2: Tensor) => w1.mul(w2).neg().add(1).square().sum();
  const origin = () => [zeros([], { dtype: 'float64' }), zeros([], { dtype: 'float64' })];

  it('has zero gradient and Hessian [[0, −2], [−2, 0]] at the origin', () => {
    const g = grad(loss, { argnums: [0, 1] })(...(origin() as [Tensor, Tensor]));
    expect(g.map((t) => t.item() + 0)).toEqual([0, 0]); // + 0 turns −0 into 0
    const H = hessian(loss, origin());
    expect(H.map((row) => row.map((t) => t.item() + 0))).toEqual([
      [0, -2],
      [-2, 0],
    ]);
  });

  it('has eigenvalues −2 (along [1, 1]) and 2 (along [1, −1]), found by Hessian-vector products', () => {
    const along = (v: [number, number]) =>
      hvp(loss, origin(), [tensor(v[0], { dtype: 'float64' }), tensor(v[1], { dtype: 'float64' })]).hvp.map(
        (t) => t.item(),
      );
    expect(along([1, 1])).toEqual([-2, -2]);
    expect(along([1, -1])).toEqual([2, -2]);
  });
});
