import { readFileSync } from 'node:fs';
import { type NestedArray, noGrad, onesLike, randn, type Tensor, tensor } from '@torchlet/tensor';
import { describe, expect, it } from 'vitest';
import { autograd, grad, gradients, hessian, hvp, jacobian, valueAndGrad, vjp } from './index.js';

/** Reference values from PyTorch (scripts/fixtures/functional.py). */
const ref = JSON.parse(
  readFileSync(new URL('./fixtures/functional.json', import.meta.url), 'utf8'),
) as Record<
  string,
  // biome-ignore lint/suspicious/noExplicitAny: JSON of nested number arrays
  any
>;

const d = (x: NestedArray) => tensor(x, { dtype: 'float64' });
const f64 = { dtype: 'float64' as const, requiresGrad: true };

function close(actual: Tensor | NestedArray, expected: NestedArray, digits = 10): void {
  const flat = (x: NestedArray): number[] => (Array.isArray(x) ? x.flatMap(flat) : [Number(x)]);
  const a = flat(actual instanceof Object && 'toArray' in actual ? (actual as Tensor).toArray() : actual);
  const e = flat(expected);
  expect(a.length).toBe(e.length);
  a.forEach((v, i) => {
    expect(v).toBeCloseTo(e[i]!, digits);
  });
}

// The functions of scripts/fixtures/functional.py.
const scalarF = (x: Tensor, y: Tensor) => x.tanh().mul(y.exp()).sum().add(x.mul(y).sum().square());
const softmaxRows = (x: Tensor) => {
  const e = x.sub(x.amax(-1, true)).exp();
  return e.div(e.sum(-1, true));
};
const mlp = (w: Tensor, x: Tensor) => x.matmul(w).tanh().sum(0);

describe('grad', () => {
  it('differentiates with respect to chosen arguments, matching PyTorch', () => {
    const [gx, gy] = grad(scalarF, { argnums: [0, 1] })(d(ref.x), d(ref.y));
    close(gx, ref.grad[0]);
    close(gy, ref.grad[1]);
    close(grad(scalarF, { argnums: 1 })(d(ref.x), d(ref.y)), ref.grad[1]);
    close(grad(scalarF, { argnums: -1 })(d(ref.x), d(ref.y)), ref.grad[1]);
  });

  it('leaves its arguments untouched: no requiresGrad, no .grad, results detached', () => {
    const x = d([1, 2]);
    const g = grad((t: Tensor) => t.square().sum())(x);
    expect(x.requiresGrad).toBe(false);
    expect(x.grad).toBeNull();
    expect(g.requiresGrad).toBe(false);
    expect(g.toArray()).toEqual([2, 4]);
  });

  it('works inside noGrad and on arguments that already require grad, without touching .grad', () => {
    const w = tensor([3], f64);
    expect(noGrad(() => grad((t: Tensor) => t.pow(3).sum())(w)).toArray()).toEqual([27]);
    expect(w.grad).toBeNull();
  });

  it('takes arrays and records of tensors and returns gradients of the same structure', () => {
    const params = { w: d([1, 2]), b: d([3]) };
    const g = grad((p: { w: Tensor; b: Tensor }, x: Tensor) => p.w.mul(x).sum().add(p.b.square().sum()))(
      params,
      d([5, 6]),
    );
    expect(g.w.toArray()).toEqual([5, 6]);
    expect(g.b.toArray()).toEqual([6]);
    const [ga, gb] = grad((ts: Tensor[]) => ts[0]!.mul(ts[1]!).sum())([d([2]), d([7])]);
    expect([ga!.item(), gb!.item()]).toEqual([7, 2]);
  });

  it('returns zeros for an argument the output does not depend on', () => {
    const g = grad((_x: Tensor, y: Tensor) => y.sum(), { argnums: [0, 1] })(d([1, 2]), d([3]));
    expect(g[0].toArray()).toEqual([0, 0]);
    expect(g[1].toArray()).toEqual([1]);
  });

  it('passes aux through with hasAux', () => {
    const [g, aux] = grad(
      (x: Tensor) => {
        const y = x.square();
        return [y.sum(), y] as const;
      },
      { hasAux: true },
    )(d([1, 3]));
    expect(g.toArray()).toEqual([2, 6]);
    expect(aux.toArray()).toEqual([1, 9]);
    expect(aux.requiresGrad).toBe(false);
  });

  it('nests: grad(grad(f)) is the second derivative', () => {
    const f = (x: Tensor) => x.pow(3).sum();
    const d2 = grad((x: Tensor) => grad(f)(x).sum());
    expect(d2(d([1, 2])).toArray()).toEqual([6, 12]);
    const d3 = grad((x: Tensor) => d2(x).sum());
    expect(d3(d([1, 2])).toArray()).toEqual([6, 6]);
  });

  it('with createGraph, is differentiable with respect to tensors f closes over', () => {
    const w = tensor([2], f64);
    const gx = grad((x: Tensor) => x.mul(w).square().sum(), { createGraph: true })(d([3])); // 2w²x
    expect(gx.item()).toBe(24);
    gx.sum().backward();
    expect(w.grad!.item()).toBe(24); // d(2w²x)/dw = 4wx
  });

  it('explains bad use', () => {
    expect(() => grad((x: Tensor) => x.square())(d([1, 2]))).toThrow(
      /one-element tensor.*shape \[2\].*vjp\(\) or jacobian\(\)/,
    );
    expect(() => grad((x: Tensor) => x.sum(), { argnums: 2 })(d([1]))).toThrow(
      /argnums 2 is out of range for 1/,
    );
    expect(() => grad((x: Tensor) => x.sum())(tensor([1], { dtype: 'int32' }))).toThrow(
      /only floating tensors/,
    );
    expect(() => grad((x: number) => d([x]).sum())(1)).toThrow(/argument 0 must be a tensor/);
    expect(() => grad((x: Tensor) => x.sum(), { argnums: [0, 0] })(d([1]))).toThrow(/repeats argument 0/);
  });
});

describe('valueAndGrad', () => {
  it('returns the value with the gradient', () => {
    const [value, [gx, gy]] = valueAndGrad(scalarF, { argnums: [0, 1] })(d(ref.x), d(ref.y));
    expect(value.item()).toBeCloseTo(ref.value, 12);
    expect(value.requiresGrad).toBe(false);
    close(gx, ref.grad[0]);
    close(gy, ref.grad[1]);
  });

  it('with hasAux returns [[value, aux], grads]', () => {
    const [[value, aux], g] = valueAndGrad((x: Tensor) => [x.square().sum(), 'note'] as const, {
      hasAux: true,
    })(d([2]));
    expect([value.item(), aux, g.item()]).toEqual([4, 'note', 4]);
  });

  it('computes an input gradient for FGSM while parameters stay untouched', () => {
    const w = randn([3, 2], f64);
    const x = randn([4, 3], { dtype: 'float64' });
    const lossOf = (input: Tensor) => input.matmul(w).tanh().square().sum();
    const [loss, gx] = valueAndGrad(lossOf)(x);
    const adversarial = x.add(gx.sign().mul(0.01));
    expect(adversarial.requiresGrad).toBe(false);
    expect(noGrad(() => lossOf(adversarial)).item()).toBeGreaterThan(loss.item());
    expect(w.grad).toBeNull();
  });
});

describe('vjp', () => {
  it('matches PyTorch and can be called repeatedly', () => {
    const { output, vjp: back } = vjp(mlp, d(ref.w), d(ref.xb));
    expect(output.shape).toEqual([2]);
    const [gw, gx] = back(d(ref.cot));
    close(gw, ref.mlpVjp[0]);
    close(gx, ref.mlpVjp[1]);
    const [gw2] = back(d(ref.cot).mul(2));
    close(
      gw2,
      (ref.mlpVjp[0] as number[][]).map((r) => r.map((v) => 2 * v)),
    );
  });

  it('checks the cotangent shape', () => {
    const { vjp: back } = vjp((x: Tensor) => x.exp(), d([1, 2]));
    expect(() => back(d([1, 2, 3]))).toThrow(/cotangent 0 has shape \[3\], expected \[2\]/);
  });
});

describe('jacobian', () => {
  it('of a softmax over rows matches PyTorch ([2,3] → [2,3,2,3])', () => {
    const J = jacobian(softmaxRows, d(ref.s));
    expect(J.shape).toEqual([2, 3, 2, 3]);
    close(J, ref.softmaxJacobian);
  });

  it('with several inputs gives one block per input', () => {
    const [Jw, Jx] = jacobian(mlp, [d(ref.w), d(ref.xb)]);
    expect(Jw!.shape).toEqual([2, 3, 2]);
    expect(Jx!.shape).toEqual([2, 4, 3]);
    close(Jw!, ref.mlpJacobian[0]);
    close(Jx!, ref.mlpJacobian[1]);
  });

  it('with several outputs gives one block per output, zeros where independent', () => {
    const [Ja, Jb] = jacobian((x: Tensor) => [x.square(), d([1, 1]).mul(3)], d([1, 2]));
    expect(Ja!.toArray()).toEqual([
      [2, 0],
      [0, 4],
    ]);
    expect(Jb!.toArray()).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });
});

describe('hessian and hvp', () => {
  it('hessian matches PyTorch block by block', () => {
    const H = hessian(scalarF, [d(ref.x), d(ref.y)]);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) close(H[i]![j]!, ref.hessian[i][j]);
  });

  it('hessian of a single input is one matrix', () => {
    const H = hessian((x: Tensor) => x.pow(3).sum(), d([1, 2]));
    expect(H.toArray()).toEqual([
      [6, 0],
      [0, 12],
    ]);
  });

  it('hvp matches PyTorch and the Hessian times v', () => {
    const { output, hvp: hv } = hvp(scalarF, [d(ref.x), d(ref.y)], [d(ref.v), d(ref.u)]);
    expect(output.item()).toBeCloseTo(ref.value, 12);
    close(hv[0]!, ref.hvp[0]);
    close(hv[1]!, ref.hvp[1]);
  });

  it('hvp of a linear function is zero', () => {
    expect(hvp((x: Tensor) => x.mul(3).sum(), d([1, 2]), d([1, 1])).hvp.toArray()).toEqual([0, 0]);
  });
});

describe('gradients (torch.autograd.grad)', () => {
  it('returns gradients without touching .grad, for leaves and non-leaves', () => {
    const x = tensor([1, 2], f64);
    const h = x.square();
    const y = h.sum();
    const [gx, gh] = gradients(y, [x, h]);
    expect(gx!.toArray()).toEqual([2, 4]);
    expect(gh!.toArray()).toEqual([1, 1]);
    expect(x.grad).toBeNull();
  });

  it('takes gradOutputs for non-scalar outputs', () => {
    const x = tensor([1, 2], f64);
    const [g] = autograd.grad(x.square(), x, { gradOutputs: d([1, 10]) });
    expect(g!.toArray()).toEqual([2, 40]);
    expect(() => gradients(x.square(), x)).toThrow(/only for scalar outputs/);
  });

  it('reports unused inputs unless allowUnused or materializeGrads', () => {
    const x = tensor([1], f64);
    const z = tensor([1], f64);
    expect(() => gradients(x.exp().sum(), [x, z])).toThrow(/input 1 was not used.*allowUnused/);
    expect(gradients(x.exp().sum(), [x, z], { allowUnused: true })[1]).toBeNull();
    expect(gradients(x.exp().sum(), [x, z], { materializeGrads: true })[1]!.toArray()).toEqual([0]);
  });

  it('refuses inputs that do not require grad', () => {
    const x = tensor([1], f64);
    expect(() => gradients(x.exp().sum(), d([1]))).toThrow(/does not require grad/);
  });

  it('with createGraph gives differentiable gradients (gradient penalty)', () => {
    const x = tensor([1, 2], f64);
    const [g] = gradients(x.pow(3).sum(), x, { createGraph: true });
    g!.square().sum().backward(); // d/dx Σ(3x²)² = 36x³
    expect(x.grad!.toArray()).toEqual([36, 288]);
  });

  it('runs only the part of the graph that leads to the inputs', () => {
    const x = tensor([1, 2], f64);
    const w = tensor([3, 4], f64);
    let hookRan = false;
    const wx = w.exp();
    wx.registerHook((g) => {
      hookRan = true;
      return g;
    });
    const y = x.mul(2).add(wx).sum();
    expect(gradients(y, x, { retainGraph: true })[0]!.toArray()).toEqual([2, 2]);
    expect(hookRan).toBe(false);
    y.backward();
    expect(hookRan).toBe(true);
  });

  it('vjp of grad of a scalar gives a Hessian-vector product', () => {
    const { vjp: back } = vjp((x: Tensor) => grad((t: Tensor) => t.pow(3).sum())(x), d([1, 2]));
    expect(back(onesLike(d([1, 1])))[0].toArray()).toEqual([6, 12]);
  });
});
