import { enableGrad, isGradEnabled, noGrad, ones, type Tensor, tensor } from '@torchlet/tensor';
import { describe, expect, it } from 'vitest';
import { backwardAll, gradients } from './index.js';

const f64 = { dtype: 'float64' as const, requiresGrad: true };

describe('requiresGrad', () => {
  it('propagates to results of ops on tensors that require grad', () => {
    const x = tensor([1, 2], f64);
    const c = tensor([3, 4], { dtype: 'float64' });
    const y = x.mul(c).exp();
    expect(y.requiresGrad).toBe(true);
    expect(y.isLeaf).toBe(false);
    expect(y.gradFn?.op).toBe('exp');
    expect(c.mul(2).requiresGrad).toBe(false);
  });

  it('never marks integer or bool results', () => {
    const x = tensor([1, -2], f64);
    expect(x.gt(0).requiresGrad).toBe(false);
    expect(x.argmax().requiresGrad).toBe(false);
    expect(() => tensor([1, 2], { dtype: 'int32', requiresGrad: true })).toThrow(/only floating tensors/);
    expect(() => {
      tensor([1], { dtype: 'int32' }).requiresGrad = true;
    }).toThrow(/only floating tensors/);
  });

  it('is off for results computed under noGrad, and back on with enableGrad', () => {
    const x = tensor([1, 2], f64);
    const y = noGrad(() => x.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    expect(isGradEnabled()).toBe(true);
    noGrad(() => {
      expect(isGradEnabled()).toBe(false);
      expect(enableGrad(() => x.mul(2)).requiresGrad).toBe(true);
    });
  });

  it('can be turned off on leaves only', () => {
    const x = tensor([1, 2], f64);
    const y = x.mul(2);
    expect(() => y.requiresGrad_(false)).toThrow(/detach\(\)/);
    expect(x.requiresGrad_(false).requiresGrad).toBe(false);
  });
});

describe('detach', () => {
  it('shares data but has no history', () => {
    const x = tensor([1, 2], f64);
    const d = x.mul(2).detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.isLeaf).toBe(true);
    expect(d.mul(x).sum().requiresGrad).toBe(true);
  });

  it('detach_() cuts a tensor from its graph in place', () => {
    const x = tensor([1, 2], f64);
    const y = x.mul(3);
    y.detach_();
    expect(y.isLeaf).toBe(true);
    expect(y.requiresGrad).toBe(false);
    y.requiresGrad_();
    y.square().sum().backward();
    expect(y.grad!.toArray()).toEqual([6, 12]);
    expect(x.grad).toBeNull();
  });
});

describe('backward', () => {
  it('accumulates .grad across calls and resets when set to null', () => {
    const x = tensor([1, 2], f64);
    x.square().sum().backward();
    const first = x.grad!;
    x.square().sum().backward();
    expect(x.grad!.toArray()).toEqual([4, 8]);
    expect(x.grad).toBe(first); // accumulated in place, as PyTorch does
    x.grad = null;
    x.mul(5).sum().backward();
    expect(x.grad!.toArray()).toEqual([5, 5]);
  });

  it('gives each leaf its own dense gradient, even from a shared or broadcast one', () => {
    const a = tensor([[1, 2]], f64);
    const b = tensor([[3, 4]], f64);
    a.add(b).sum().backward();
    expect(a.grad).not.toBe(b.grad);
    expect(a.grad!.isContiguous()).toBe(true);
    noGrad(() => a.grad!.mul_(10));
    expect(a.grad!.toArray()).toEqual([[10, 10]]);
    expect(b.grad!.toArray()).toEqual([[1, 1]]);
  });

  it('takes a gradient for non-scalar outputs and options in first position', () => {
    const x = tensor([1, 2, 3], f64);
    const y = x.square();
    y.backward(tensor([1, 0, 2], { dtype: 'float64' }), { retainGraph: true });
    expect(x.grad!.toArray()).toEqual([2, 0, 12]);
    const s = x.sum();
    s.backward({ retainGraph: true });
    s.backward();
    expect(x.grad!.toArray()).toEqual([4, 2, 14]);
  });

  it('works from a leaf', () => {
    const x = tensor(3, f64);
    x.backward();
    expect(x.grad!.item()).toBe(1);
  });

  it('fills .grad of non-leaves that retainGrad()', () => {
    const x = tensor([1, 2], f64);
    const y = x.mul(2);
    y.retainGrad();
    const z = y.square().sum();
    z.backward();
    expect(y.grad!.toArray()).toEqual([4, 8]);
    expect(x.grad!.toArray()).toEqual([8, 16]);
    const w = x.mul(2);
    w.square().sum().backward();
    expect(w.grad).toBeNull();
  });

  it('accumulates only into the tensors given as inputs', () => {
    const x = tensor([1, 2], f64);
    const w = tensor([3, 4], f64);
    const h = x.mul(w);
    h.sum().backward({ inputs: [w, h] });
    expect(w.grad!.toArray()).toEqual([1, 2]);
    expect(h.grad!.toArray()).toEqual([1, 1]);
    expect(x.grad).toBeNull();
  });

  it('backwardAll sums the vector-Jacobian products of several roots', () => {
    const x = tensor([1, 2], f64);
    backwardAll([x.square().sum(), x.mul(3)], { gradTensors: [null, tensor([1, 1], { dtype: 'float64' })] });
    expect(x.grad!.toArray()).toEqual([5, 7]);
  });

  it('records the backward pass with createGraph (double backward)', () => {
    const x = tensor([1, 2], f64);
    x.pow(3).sum().backward({ createGraph: true });
    const g = x.grad!;
    expect(g.requiresGrad).toBe(true);
    x.grad = null;
    g.sum().backward();
    expect(x.grad!.toArray()).toEqual([6, 12]);
  });

  it('casts gradients to the dtype of the tensor they reach', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    x.to('float64').square().sum().backward();
    expect(x.grad!.dtype).toBe('float32');
    expect(x.grad!.toArray()).toEqual([2, 4]);
  });

  it('frees the graph: intermediate nodes are released after backward', () => {
    const x = tensor([1, 2], f64);
    const y = x.exp();
    const z = y.sum();
    z.backward();
    expect((y.gradFn as unknown as { released: boolean }).released).toBe(true);
  });
});

describe('hooks', () => {
  it('see the total gradient of a leaf once, and can replace it', () => {
    const x = tensor([1, 2], f64);
    const seen: number[][] = [];
    x.registerHook((g) => {
      seen.push(g.toArray() as number[]);
      return g.mul(10);
    });
    x.mul(2).add(x.mul(3)).sum().backward();
    expect(seen).toEqual([[5, 5]]);
    expect(x.grad!.toArray()).toEqual([50, 50]);
  });

  it('run on non-leaves before their gradient flows on, and can be removed', () => {
    const x = tensor([1, 2], f64);
    const y = x.mul(2);
    const remove = y.registerHook((g) => g.mul(0));
    y.sum().backward();
    expect(x.grad!.toArray()).toEqual([0, 0]);
    remove();
    x.grad = null;
    const y2 = x.mul(2);
    y2.sum().backward();
    expect(x.grad!.toArray()).toEqual([2, 2]);
  });

  it('run before retainGrad captures a non-leaf gradient', () => {
    const x = tensor([1, 2], f64);
    const y = x.mul(2);
    y.retainGrad();
    y.registerHook((g) => g.add(1));
    y.sum().backward();
    expect(y.grad!.toArray()).toEqual([2, 2]);
    expect(x.grad!.toArray()).toEqual([4, 4]);
  });

  it('chain: each hook sees the previous one’s result', () => {
    const x = tensor([1], f64);
    x.registerHook((g) => g.add(1));
    x.registerHook((g) => g.mul(3));
    x.sum().backward();
    expect(x.grad!.toArray()).toEqual([6]);
  });

  it('may only be registered on tensors that require grad', () => {
    expect(() => tensor([1]).registerHook((g) => g)).toThrow(/does not require grad/);
  });
});

describe('errors', () => {
  it('backward on a non-scalar without a gradient says how to fix it', () => {
    const x = tensor([1, 2], f64);
    expect(() => x.exp().backward()).toThrow(
      /only for scalar outputs.*pass a gradient.*loss\.sum\(\)\.backward\(\)/,
    );
  });

  it('a gradient of the wrong shape for backward', () => {
    const x = tensor([1, 2], f64);
    expect(() => x.exp().backward(ones([3], { dtype: 'float64' }))).toThrow(
      /gradient has shape \[3\], expected \[2\]/,
    );
  });

  it('backward on a tensor without history', () => {
    const x = tensor([1, 2]);
    expect(() => x.sum().backward()).toThrow(/does not require grad.*requiresGrad: true/);
    const y = tensor([1, 2], f64);
    expect(() => noGrad(() => y.sum()).backward()).toThrow(/outside noGrad/);
  });

  it('a second backward through a freed graph suggests retainGraph', () => {
    const x = tensor([1, 2], f64);
    const y = x.exp().sum();
    y.backward();
    expect(() => y.backward()).toThrow(/second time.*retainGraph: true/);
  });

  it('a hook returning a gradient of the wrong shape', () => {
    const x = tensor([1, 2], f64);
    x.registerHook(() => ones([3], { dtype: 'float64' }));
    expect(() => x.square().sum().backward()).toThrow(
      /hook on a tensor of shape \[2\] returned a gradient of shape \[3\]; a hook must return undefined/,
    );
  });

  it('an in-place change to a tensor a backward still needs (version counter)', () => {
    const x = tensor([1, 2], f64);
    const y = x.exp();
    const z = y.mul(y).sum();
    noGrad(() => y.add_(1));
    expect(() => z.backward()).toThrow(/modified in place after it was used \(version 0, now 1\).*clone\(\)/);
  });

  it('in-place ops on tracked tensors are refused outright', () => {
    const x = tensor([1, 2], f64);
    expect(() => x.add_(1)).toThrow(/noGrad/);
  });

  it('an op without a gradient rule names the op', async () => {
    const { recordNode } = await import('./engine.js');
    const x = tensor([1, 2], f64);
    const out = tensor([0, 0], { dtype: 'float64' });
    recordNode('mysteryOp', [x], [out], {});
    expect(() => out.sum().backward()).toThrow(/no gradient rule is registered for op 'mysteryOp'/);
  });
});

describe('second backward with retainGraph', () => {
  it('gives the same gradient twice', () => {
    const x = tensor([0.5, -1], f64);
    const y: Tensor = x.tanh().mul(x).sum();
    y.backward({ retainGraph: true });
    const g1 = x.grad!.toArray() as number[];
    x.grad = null;
    y.backward();
    expect(x.grad!.toArray()).toEqual(g1);
  });
});

describe('graphs partly freed', () => {
  it('gradients() reaches a wanted tensor whose producer was already released', () => {
    const x = tensor([1, 2], f64);
    const y = x.exp();
    y.sum().backward(); // releases exp
    const w = tensor([3, 4], f64);
    const z = y.mul(w).sum();
    const [gw, gy] = gradients(z, [w, y]);
    expect(gw!.toArray()).toEqual(y.toArray());
    expect(gy!.toArray()).toEqual([3, 4]);
    expect(() => gradients(y.mul(w).sum(), x)).toThrow(/second time \(through 'exp'\)/);
    expect(() => y.mul(w).sum().backward()).toThrow(/second time/);
  });
});
