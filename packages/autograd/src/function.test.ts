import { noGrad, randn, type Tensor, tensor } from '@torchlet/tensor';
import { describe, expect, it } from 'vitest';
import { defineFunction, gradcheck, gradgradcheck } from './index.js';

const f64 = { dtype: 'float64' as const, requiresGrad: true };

/** Fused softmax + cross-entropy over one-hot targets, mean over rows: the gradient is (p − y) / n. */
const softmaxXent = defineFunction({
  name: 'softmaxXent',
  forward(ctx, logits: Tensor, y: Tensor) {
    const shifted = logits.sub(logits.amax(-1, true));
    const logSumExp = shifted.exp().sum(-1, true).log();
    const logp = shifted.sub(logSumExp);
    ctx.saveForBackward(logp.exp(), y);
    return logp.mul(y).sum().neg().div(logits.shape[0]!);
  },
  backward(ctx, g) {
    const [p, y] = ctx.savedTensors;
    return [
      p!.sub(y!).mul(g!).div(p!.shape[0]!),
      ctx.needsInputGrad[1] ? p!.log().mul(g!).neg().div(p!.shape[0]!) : null,
    ];
  },
});

/** The same loss from primitive ops, for comparison. */
const composite = (logits: Tensor, y: Tensor) => {
  const e = logits.sub(logits.amax(-1, true)).exp();
  return e.div(e.sum(-1, true)).log().mul(y).sum().neg().div(logits.shape[0]!);
};

describe('defineFunction', () => {
  it('fused softmax + cross-entropy has gradient p − y', () => {
    const logits = tensor([[1, 2, 3]], f64);
    const y = tensor([[0, 0, 1]], { dtype: 'float64' });
    const loss = softmaxXent(logits, y);
    expect(loss.gradFn?.op).toBe('custom:softmaxXent');
    loss.backward();
    const e = [Math.exp(1), Math.exp(2), Math.exp(3)];
    const s = e[0]! + e[1]! + e[2]!;
    const expected = [e[0]! / s, e[1]! / s, e[2]! / s - 1];
    (logits.grad!.toArray() as number[][])[0]!.forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i]!, 12);
    });
    expect(loss.item()).toBeCloseTo(-Math.log(e[2]! / s), 12);
  });

  it('agrees with the composite loss and passes gradcheck', () => {
    const logits = randn([4, 5], f64);
    const y = tensor(
      [0, 3, 1, 4].map((c) => [0, 1, 2, 3, 4].map((k) => (k === c ? 1 : 0))),
      { dtype: 'float64' },
    );
    softmaxXent(logits, y).mul(2).backward();
    const fused = logits.grad!.toArray();
    logits.grad = null;
    composite(logits, y).mul(2).backward();
    expect(fused).toEqual(
      (logits.grad!.toArray() as number[][]).map((r) => r.map((v) => expect.closeTo(v, 12))),
    );
    expect(gradcheck((l) => softmaxXent(l, y), [logits])).toBe(true);
    const e = randn([4, 5], { dtype: 'float64' }).exp();
    const soft = e.div(e.sum(-1, true)).requiresGrad_();
    expect(gradcheck((l, t) => softmaxXent(l, t), [logits, soft])).toBe(true);
  });

  it('tells backward which arguments need a gradient, non-tensors included', () => {
    const seen: boolean[][] = [];
    const scale = defineFunction({
      name: 'scale',
      forward(ctx, x: Tensor, k: number, w: Tensor) {
        ctx.k = k;
        ctx.saveForBackward(w);
        return x.mul(w).mul(k);
      },
      backward(ctx, g) {
        seen.push([...ctx.needsInputGrad]);
        const [w] = ctx.savedTensors;
        return [g!.mul(w!).mul(ctx.k as number), null, null];
      },
    });
    const x = tensor([1, 2], f64);
    const w = tensor([3, 4], { dtype: 'float64' });
    scale(x, 10, w).sum().backward();
    expect(seen).toEqual([[true, false, false]]);
    expect(x.grad!.toArray()).toEqual([30, 40]);
  });

  it('is not recorded under noGrad or when no input requires grad', () => {
    const x = tensor([[1, 2]], f64);
    const y = tensor([[1, 0]], { dtype: 'float64' });
    expect(noGrad(() => softmaxXent(x, y)).requiresGrad).toBe(false);
    expect(softmaxXent(x.detach(), y).requiresGrad).toBe(false);
  });

  it('double backward works when backward reads the inputs (gradgradcheck)', () => {
    const cube = defineFunction({
      name: 'cube',
      forward(ctx, x: Tensor) {
        ctx.saveForBackward(x);
        return x.pow(3);
      },
      backward(ctx, g) {
        const [x] = ctx.savedTensors;
        return g!.mul(x!.square()).mul(3);
      },
    });
    const x = randn([3], f64);
    expect(gradcheck((t) => cube(t), [x])).toBe(true);
    expect(gradgradcheck((t) => cube(t), [x])).toBe(true);
  });

  it('markNonDifferentiable outputs do not require grad', () => {
    const withMask = defineFunction({
      name: 'reluWithMask',
      forward(ctx, x: Tensor) {
        const mask = x.gt(0).to('float64');
        ctx.markNonDifferentiable(mask);
        ctx.saveForBackward(mask);
        return [x.mul(mask), mask];
      },
      backward(ctx, g) {
        return g!.mul(ctx.savedTensors[0]!);
      },
    });
    const x = tensor([-1, 2], f64);
    const [y, mask] = withMask(x);
    expect(y!.requiresGrad).toBe(true);
    expect(mask!.requiresGrad).toBe(false);
    y!.sum().backward();
    expect(x.grad!.toArray()).toEqual([0, 1]);
  });

  it('an output that is an input gets a fresh identity', () => {
    const passThrough = defineFunction({
      name: 'passThrough',
      forward: (_ctx, x: Tensor) => x,
      backward: (_ctx, g) => g!.mul(2),
    });
    const x = tensor([1], f64);
    const y = passThrough(x);
    expect(y).not.toBe(x);
    expect(x.isLeaf).toBe(true);
    y.sum().backward();
    expect(x.grad!.toArray()).toEqual([2]);
  });

  it('refuses a saved tensor modified in place', () => {
    const x = tensor([1, 2], f64);
    const y = tensor([[1, 0]], { dtype: 'float64' });
    const loss = softmaxXent(x.reshape([1, 2]), y);
    noGrad(() => y.fill_(0));
    expect(() => loss.backward()).toThrow(
      /needed by the gradient of 'custom:softmaxXent' was modified in place/,
    );

    const table = tensor([2, 3], { dtype: 'float64' });
    const lookup = defineFunction({
      name: 'lookup',
      forward(ctx, x: Tensor) {
        ctx.saveForBackward(table);
        return x.mul(table);
      },
      backward: (ctx, g) => g!.mul(ctx.savedTensors[0]!),
    });
    const out = lookup(tensor([1, 1], f64)).sum();
    noGrad(() => table.fill_(0));
    expect(() => out.backward()).toThrow(
      /needed by the gradient of 'lookup' was modified in place after it was used \(version 0, now 1\)/,
    );
  });

  it('explains a wrong number or shape of gradients', () => {
    const tooFew = defineFunction({
      name: 'tooFew',
      forward: (_ctx, a: Tensor, b: Tensor) => a.add(b),
      backward: (_ctx, g) => [g],
    });
    const a = tensor([1], f64);
    expect(() => tooFew(a, a).sum().backward()).toThrow(/tooFew\.backward: returned 1 gradients, expected 2/);
    const badShape = defineFunction({
      name: 'badShape',
      forward: (_ctx, x: Tensor) => x.sum(),
      backward: (_ctx, g) => g,
    });
    expect(() => badShape(tensor([1, 2], f64)).backward()).toThrow(
      /gradient rule of 'custom:badShape' \(input 0\) gave a gradient of shape \[\] for a tensor of shape \[2\]/,
    );
  });

  it('frees its ctx with the graph after backward', () => {
    const x = tensor([[1, 2]], f64);
    const loss = softmaxXent(x, tensor([[0, 1]], { dtype: 'float64' }));
    const node = loss.gradFn as unknown as { attrs: Record<string, unknown> };
    expect(node.attrs.ctx).toBeDefined();
    loss.backward();
    expect(node.attrs.ctx).toBeUndefined();
  });
});
