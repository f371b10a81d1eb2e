import {
  adaptiveAvgPool1d,
  adaptiveAvgPool2d,
  adaptiveAvgPool3d,
  adaptiveMaxPool2d,
  adaptiveMaxPool3d,
  avgPool1d,
  avgPool2d,
  avgPool3d,
  conv1d,
  conv2d,
  conv3d,
  convTranspose1d,
  convTranspose2d,
  fold,
  manualSeed,
  maxPool1d,
  maxPool2d,
  maxPool3d,
  randn,
  type Tensor,
  tensor,
  unfold,
} from '@torchlet/tensor';
import { describe, expect, it } from 'vitest';
import { gradcheck, gradgradcheck, runBackward } from '../index.js';
import fixtures from './fixtures/nn-kernels-grad.json' with { type: 'json' };

interface Encoded {
  shape: number[];
  data: number[];
}

interface Case {
  name: string;
  op: string;
  options: Record<string, unknown>;
  args: unknown[];
  inputs: (Encoded | null)[];
  cotangent: Encoded;
  grads: Encoded[];
}

// biome-ignore lint/suspicious/noExplicitAny: fixtures carry each op's own options.
type Op = (...args: any[]) => Tensor | Tensor[];
const OPS: Record<string, [Op, 'weights' | 'options' | 'size']> = {
  conv1d: [conv1d, 'weights'],
  conv2d: [conv2d, 'weights'],
  conv3d: [conv3d, 'weights'],
  convTranspose1d: [convTranspose1d, 'weights'],
  convTranspose2d: [convTranspose2d, 'weights'],
  maxPool1d: [maxPool1d, 'options'],
  maxPool2d: [maxPool2d, 'options'],
  maxPool3d: [maxPool3d, 'options'],
  avgPool1d: [avgPool1d, 'options'],
  avgPool2d: [avgPool2d, 'options'],
  avgPool3d: [avgPool3d, 'options'],
  unfold: [unfold, 'options'],
  fold: [fold, 'options'],
  adaptiveAvgPool1d: [adaptiveAvgPool1d, 'size'],
  adaptiveAvgPool2d: [adaptiveAvgPool2d, 'size'],
  adaptiveMaxPool2d: [adaptiveMaxPool2d, 'size'],
  adaptiveAvgPool3d: [adaptiveAvgPool3d, 'size'],
  adaptiveMaxPool3d: [adaptiveMaxPool3d, 'size'],
};

const f64 = { dtype: 'float64' as const, requiresGrad: true };

function decode(e: Encoded, requiresGrad = false): Tensor {
  return tensor(e.data, { dtype: 'float64', requiresGrad })
    .reshape(e.shape)
    .detach()
    .requiresGrad_(requiresGrad);
}

/** The op's first output for a fixture case (values, when indices are returned too). */
function run(c: Case, inputs: Tensor[]): Tensor {
  const [fn, style] = OPS[c.op]!;
  const [x, w, b] = inputs;
  const out =
    style === 'weights'
      ? fn(x, w, b ?? null, c.options)
      : style === 'size'
        ? fn(x, c.args[0], c.options)
        : fn(x, c.options);
  return Array.isArray(out) ? out[0]! : out;
}

describe('gradients of convolution, pooling and unfold/fold match PyTorch', () => {
  for (const c of fixtures.cases as Case[]) {
    it(c.name, () => {
      const inputs = c.inputs.filter((t): t is Encoded => t !== null).map((e) => decode(e, true));
      const y = run(c, inputs);
      const grads = runBackward({
        outputs: [y],
        gradOutputs: [decode(c.cotangent)],
        inputs,
        retainGraph: false,
        createGraph: false,
      });
      c.grads.forEach((want, i) => {
        const got = grads[i]!;
        expect(got.shape).toEqual(want.shape);
        const g = got.dataSync();
        let worst = 0;
        want.data.forEach((v, k) => {
          worst = Math.max(worst, Math.abs(g[k]! - v) / (1 + Math.abs(v)));
        });
        expect(worst).toBeLessThan(1e-10);
      });
    });
  }
});

describe('conv gradcheck and double backward', () => {
  const configs = [
    { name: 'plain', x: [2, 2, 5, 4], w: [3, 2, 2, 3], options: {} },
    {
      name: 'stride/padding/dilation',
      x: [1, 2, 6, 7],
      w: [2, 2, 3, 2],
      options: { stride: [2, 1], padding: [1, 2], dilation: [1, 2] },
    },
    { name: 'groups', x: [2, 4, 4, 4], w: [6, 2, 2, 2], options: { groups: 2, stride: 2, padding: 1 } },
    { name: "'same', even kernel", x: [1, 1, 4, 5], w: [2, 1, 2, 2], options: { padding: 'same' } },
  ] as const;
  for (const cfg of configs) {
    it(`conv2d ${cfg.name}: gradcheck and gradgradcheck`, () => {
      manualSeed(3);
      const x = randn([...cfg.x], f64);
      const w = randn([...cfg.w], f64);
      const b = randn([cfg.w[0]], f64);
      const f = (xx: Tensor, ww: Tensor, bb: Tensor) => conv2d(xx, ww, bb, cfg.options);
      expect(gradcheck(f, [x, w, b])).toBe(true);
      expect(gradgradcheck(f, [x, w, b])).toBe(true);
    });
  }

  it('conv2d on a non-contiguous (transposed) input', () => {
    manualSeed(4);
    const x = randn([1, 2, 5, 4], f64);
    const w = randn([2, 2, 2, 2], f64);
    expect(
      gradcheck((xx: Tensor, ww: Tensor) => conv2d(xx.transpose(2, 3), ww, null, { padding: 1 }), [x, w]),
    ).toBe(true);
  });

  it('conv3d with stride, padding, dilation, groups and bias on a non-contiguous input', () => {
    manualSeed(8);
    const x = randn([1, 4, 4, 3, 5], f64);
    const w = randn([2, 2, 2, 2, 3], f64);
    const b = randn([2], f64);
    const f = (xx: Tensor, ww: Tensor, bb: Tensor) =>
      conv3d(xx.transpose(2, 4), ww, bb, {
        stride: [1, 2, 1],
        padding: [1, 0, 1],
        dilation: [2, 1, 1],
        groups: 2,
      });
    expect(gradcheck(f, [x, w, b])).toBe(true);
    expect(gradgradcheck(f, [x, w, b])).toBe(true);
    const same = (xx: Tensor, ww: Tensor) => conv3d(xx, ww, null, { padding: 'same' });
    expect(gradcheck(same, [randn([3, 3, 4, 3], f64), randn([2, 3, 2, 1, 2], f64)])).toBe(true);
  });

  it('conv1d and convTranspose1d, unbatched and grouped', () => {
    manualSeed(5);
    const x = randn([4, 7], f64);
    const w = randn([2, 2, 3], f64);
    expect(
      gradcheck(
        (xx: Tensor, ww: Tensor) => conv1d(xx, ww, null, { groups: 2, stride: 2, padding: 1 }),
        [x, w],
      ),
    ).toBe(true);
    const wt = randn([4, 1, 3], f64);
    const b = randn([2], f64);
    const f = (xx: Tensor, ww: Tensor, bb: Tensor) =>
      convTranspose1d(xx, ww, bb, { groups: 2, stride: 2, outputPadding: 1 });
    expect(gradcheck(f, [x, wt, b])).toBe(true);
    expect(gradgradcheck(f, [x, wt, b])).toBe(true);
  });

  it('convTranspose2d with stride, padding, outputPadding and dilation', () => {
    manualSeed(6);
    const x = randn([2, 2, 3, 3], f64);
    const w = randn([2, 3, 2, 3], f64);
    const f = (xx: Tensor, ww: Tensor) =>
      convTranspose2d(xx, ww, null, { stride: 2, padding: 1, outputPadding: [1, 0], dilation: [1, 2] });
    expect(gradcheck(f, [x, w])).toBe(true);
    expect(gradgradcheck(f, [x, w])).toBe(true);
  });
});

describe('pooling and unfold/fold gradcheck', () => {
  // Distinct, well-separated values keep max pooling away from ties, where it is not differentiable.
  const spread = (shape: number[]) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const perm = Array.from({ length: n }, (_, i) => ((i * 7919) % n) / n);
    return tensor(perm, f64).reshape(shape).detach().requiresGrad_();
  };

  it('maxPool2d with padding, dilation and ceilMode, and its double backward', () => {
    const x = spread([2, 2, 7, 6]);
    const f = (xx: Tensor) =>
      maxPool2d(xx, { kernelSize: [3, 2], stride: 2, padding: 1, dilation: [1, 2], ceilMode: true });
    expect(gradcheck(f, [x], { eps: 1e-7 })).toBe(true);
    expect(gradgradcheck(f, [x], { eps: 1e-7 })).toBe(true);
  });

  it('maxPool3d/avgPool3d and 3-D adaptive pooling, with double backward', () => {
    const x = spread([1, 2, 5, 4, 5]);
    const mp = (xx: Tensor) =>
      maxPool3d(xx, { kernelSize: [2, 3, 2], stride: 2, padding: 1, dilation: [1, 1, 2], ceilMode: true });
    expect(gradcheck(mp, [x], { eps: 1e-7 })).toBe(true);
    expect(gradgradcheck(mp, [x], { eps: 1e-7 })).toBe(true);
    expect(gradcheck((xx: Tensor) => adaptiveMaxPool3d(xx, [2, 3, 2]), [x], { eps: 1e-7 })).toBe(true);
    manualSeed(9);
    const y = randn([2, 1, 4, 5, 3], f64);
    const ap = (yy: Tensor) =>
      avgPool3d(yy.transpose(2, 3), {
        kernelSize: 3,
        stride: [2, 1, 2],
        padding: 1,
        ceilMode: true,
        countIncludePad: false,
      });
    expect(gradcheck(ap, [y])).toBe(true);
    expect(gradgradcheck(ap, [y])).toBe(true);
    expect(gradcheck((yy: Tensor) => avgPool3d(yy, { kernelSize: 2, divisorOverride: 3 }), [y])).toBe(true);
    expect(gradgradcheck((yy: Tensor) => adaptiveAvgPool3d(yy, [2, null, 2]), [y])).toBe(true);
  });

  it('maxPool1d and adaptiveMaxPool2d', () => {
    expect(
      gradcheck((xx: Tensor) => maxPool1d(xx, { kernelSize: 3, stride: 2, padding: 1 }), [spread([2, 9])], {
        eps: 1e-7,
      }),
    ).toBe(true);
    expect(
      gradcheck((xx: Tensor) => adaptiveMaxPool2d(xx, [2, 3]), [spread([1, 2, 5, 7])], { eps: 1e-7 }),
    ).toBe(true);
  });

  it('avgPool2d/1d and adaptive average pooling, with double backward', () => {
    manualSeed(7);
    const x = randn([2, 2, 5, 6], f64);
    const f = (xx: Tensor) =>
      avgPool2d(xx, { kernelSize: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false });
    expect(gradcheck(f, [x])).toBe(true);
    expect(gradgradcheck(f, [x])).toBe(true);
    expect(gradcheck((xx: Tensor) => avgPool2d(xx, { kernelSize: 2, divisorOverride: 3 }), [x])).toBe(true);
    expect(gradcheck((xx: Tensor) => adaptiveAvgPool2d(xx, [3, 4]), [x])).toBe(true);
    const y = randn([2, 9], f64);
    expect(gradcheck((yy: Tensor) => avgPool1d(yy, { kernelSize: 4, stride: 3, padding: 2 }), [y])).toBe(
      true,
    );
    expect(gradcheck((yy: Tensor) => adaptiveAvgPool1d(yy, 4), [y])).toBe(true);
  });

  it('unfold and fold, with double backward', () => {
    manualSeed(8);
    const x = randn([1, 2, 5, 4], f64);
    const options = { kernelSize: [2, 3], dilation: [2, 1], padding: 1, stride: [1, 2] };
    const u = (xx: Tensor) => unfold(xx, options);
    expect(gradcheck(u, [x])).toBe(true);
    expect(gradgradcheck(u, [x])).toBe(true);
    const cols = randn([2, 6, 12], f64);
    const f = (cc: Tensor) =>
      fold(cc, { outputSize: [4, 4], kernelSize: [3, 2], padding: [1, 0], stride: 1 });
    expect(gradcheck(f, [cols])).toBe(true);
  });
});
