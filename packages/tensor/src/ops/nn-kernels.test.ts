import { describe, expect, it } from 'vitest';
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
  fromTypedArray,
  manualSeed,
  maxPool1d,
  maxPool2d,
  maxPool3d,
  randn,
  setGemmImpl,
  type Tensor,
  tensor,
  unfold,
} from '../index.js';
import fixtures from './fixtures/nn-kernels.json' with { type: 'json' };

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
  outputs: Encoded[];
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

function decode(e: Encoded): Tensor {
  return tensor(e.data, { dtype: 'float64' }).reshape(e.shape);
}

/** Runs a fixture case's op in torchlet, always returning a list of outputs. */
function run(c: Case, inputs: Tensor[]): Tensor[] {
  const [fn, style] = OPS[c.op]!;
  const [x, w, b] = inputs;
  const out =
    style === 'weights'
      ? fn(x, w, b ?? null, c.options)
      : style === 'size'
        ? fn(x, c.args[0], c.options)
        : fn(x, c.options);
  return Array.isArray(out) ? out : [out];
}

function expectClose(got: Tensor, want: Encoded, tol = 1e-10): void {
  expect(got.shape).toEqual(want.shape);
  const g = got.dataSync();
  let worst = 0;
  want.data.forEach((v, i) => {
    worst = Math.max(worst, Math.abs(g[i]! - v) / (1 + Math.abs(v)));
  });
  expect(worst).toBeLessThanOrEqual(tol);
}

describe('convolution, pooling and unfold/fold match PyTorch', () => {
  for (const c of fixtures.cases as Case[]) {
    it(c.name, () => {
      const outs = run(c, c.inputs.filter((t): t is Encoded => t !== null).map(decode));
      c.outputs.forEach((want, i) => {
        expectClose(outs[i]!, want);
      });
    });
  }

  it('matches PyTorch in float32 too (wasm kernels), within float32 rounding', () => {
    const c = (fixtures.cases as Case[]).find((k) => k.op === 'conv2d')!;
    const [y] = run(
      c,
      c.inputs.filter((t): t is Encoded => t !== null).map((e) => decode(e).to('float32')),
    );
    expect(y!.dtype).toBe('float32');
    expectClose(y!, c.outputs[0]!, 1e-5);
  });
});

describe('conv2d', () => {
  it('gives the same result for one image as within a batch, and with the JS kernels', () => {
    manualSeed(0);
    const x = randn([9, 64, 12, 34]);
    const w = randn([4, 64, 3, 3]);
    const b = randn([4]);
    const batched = conv2d(x, w, b, { padding: 1 });
    const plane = 64 * 12 * 34;
    const image4 = fromTypedArray(x.dataSync().slice(4 * plane, 5 * plane), [64, 12, 34], 'float32');
    const single = conv2d(image4, w, b, { padding: 1 });
    const out = 4 * 12 * 34;
    expect([...single.dataSync()]).toEqual([...batched.dataSync().slice(4 * out, 5 * out)]);
    setGemmImpl('js');
    try {
      const js = conv2d(x, w, b, { padding: 1 });
      const a = js.dataSync();
      const e = batched.dataSync();
      let worst = 0;
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - e[i]!));
      expect(worst).toBeLessThan(1e-3);
    } finally {
      setGemmImpl('auto');
    }
  });

  it('accepts non-contiguous input and weight', () => {
    manualSeed(1);
    const x = randn([2, 5, 6, 3], { dtype: 'float64' });
    const w = randn([4, 3, 3, 2], { dtype: 'float64' });
    const xt = x.permute(0, 3, 1, 2);
    const wt = w.transpose(1, 2).contiguous().transpose(1, 2);
    const want = conv2d(xt.contiguous(), w).dataSync();
    const got = conv2d(xt, wt).dataSync();
    got.forEach((v, i) => {
      expect(v).toBeCloseTo(want[i]!, 12);
    });
  });

  it('names the op and both shapes on mismatched channels', () => {
    expect(() => conv2d(randn([1, 3, 5, 5]), randn([2, 4, 3, 3]))).toThrow(
      'conv2d: weight of shape [2,4,3,3] expects 4 input channels (4 per group × 1 groups), got input of shape [1,3,5,5]',
    );
    expect(() => conv2d(randn([1, 3, 2, 2]), randn([2, 3, 3, 3]))).toThrow(
      /conv2d: output size \[0,0\] is too small/,
    );
    expect(() => conv2d(randn([3, 5, 5]), randn([2, 3, 3, 3]), randn([3]))).toThrow(
      'conv2d: expected bias of shape [2], got [3]',
    );
    expect(() => conv2d(randn([1, 4, 5, 5]), randn([3, 2, 3, 3]), null, { groups: 2 })).toThrow(
      /divisible by groups/,
    );
    expect(() =>
      conv2d(randn([1, 1, 5, 5]), randn([1, 1, 3, 3]), null, { padding: 'same', stride: 2 }),
    ).toThrow(/'same' is not supported for strided/);
    expect(() => conv2d(randn([5, 5]), randn([1, 1, 3, 3]))).toThrow(/expected 3-D \(unbatched\) or 4-D/);
    expect(() => conv2d(randn([1, 1, 5, 5]), randn([1, 1, 3, 3], { dtype: 'float64' }))).toThrow(
      /same dtype/,
    );
  });
});

describe('pooling', () => {
  it('maxPool2d returns flat per-plane indices and refuses padding over half the kernel', () => {
    const x = tensor([
      [
        [1, 5, 2, 0],
        [3, 4, 8, 1],
      ],
    ]);
    const [v, i] = maxPool2d(x, { kernelSize: 2, returnIndices: true });
    expect(v.toArray()).toEqual([[[5, 8]]]);
    expect(i.dtype).toBe('int32');
    expect(i.toArray()).toEqual([[[1, 6]]]);
    expect(() => maxPool2d(x, { kernelSize: 2, padding: 2 })).toThrow(
      /at most half of the effective kernel size/,
    );
  });

  it('propagates NaN through max pooling', () => {
    const v = maxPool1d(tensor([[1, Number.NaN, 3, 2]]), { kernelSize: 2 });
    expect(Number.isNaN(v.dataSync()[0]!)).toBe(true);
    expect(v.dataSync()[1]).toBe(3);
  });

  it('max pooling keeps the first of tied maxima and the last NaN, as PyTorch', () => {
    const nan = Number.NaN;
    const x = tensor([[[[2, 2, nan, 1, 0, -1, -0, 0]]]]);
    const [v, i] = maxPool2d(x, { kernelSize: [1, 2], returnIndices: true });
    expect(Array.from(i.dataSync())).toEqual([0, 2, 4, 6]);
    expect(Object.is(v.dataSync()[3], -0)).toBe(true);
    const [, j] = maxPool1d(tensor([[nan, 5, nan, -Infinity, -Infinity, -Infinity, -Infinity]]), {
      kernelSize: 3,
      stride: 2,
      returnIndices: true,
    });
    expect(Array.from(j.dataSync())).toEqual([2, 2, 4]);
  });

  it('adaptiveAvgPool2d(x, 1) is the global mean', () => {
    manualSeed(2);
    const x = randn([2, 3, 5, 7], { dtype: 'float64' });
    const g = adaptiveAvgPool2d(x, 1);
    expect(g.shape).toEqual([2, 3, 1, 1]);
    const m = x.mean([2, 3]).dataSync();
    g.dataSync().forEach((v, k) => {
      expect(v).toBeCloseTo(m[k]!, 12);
    });
  });
});

describe('unfold / fold', () => {
  it('fold(unfold(x)) multiplies each pixel by the number of blocks covering it', () => {
    const x = tensor([
      [
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
      ],
    ]);
    const cols = unfold(x, { kernelSize: [1, 2] });
    expect(cols.shape).toEqual([1, 2, 4]);
    expect(fold(cols, { outputSize: [2, 3], kernelSize: [1, 2] }).toArray()).toEqual([
      [
        [
          [1, 4, 3],
          [4, 10, 6],
        ],
      ],
    ]);
  });

  it('refuses a block count that does not match outputSize', () => {
    expect(() => fold(randn([1, 4, 5]), { outputSize: [3, 3], kernelSize: 2 })).toThrow(
      'fold: expected 4 blocks (dim 2) for outputSize [3,3] and the given kernel, got 5 in shape [1,4,5]',
    );
  });
});

describe('3-D convolution and pooling', () => {
  it('accept non-contiguous input and weight', () => {
    manualSeed(2);
    const x = randn([2, 5, 4, 6, 3], { dtype: 'float64' }).permute(0, 4, 1, 2, 3);
    const w = randn([4, 3, 2, 3, 2], { dtype: 'float64' }).transpose(2, 4).contiguous().transpose(2, 4);
    const same = (a: Tensor, b: Tensor) => {
      const want = b.dataSync();
      a.dataSync().forEach((v, i) => {
        expect(v).toBeCloseTo(want[i]!, 12);
      });
    };
    same(conv3d(x, w, null, { padding: 1 }), conv3d(x.contiguous(), w.contiguous(), null, { padding: 1 }));
    same(maxPool3d(x, { kernelSize: 2 }), maxPool3d(x.contiguous(), { kernelSize: 2 }));
    same(
      avgPool3d(x, { kernelSize: [2, 3, 2], padding: 1 }),
      avgPool3d(x.contiguous(), { kernelSize: [2, 3, 2], padding: 1 }),
    );
  });

  it('report bad shapes with the op name', () => {
    expect(() => conv3d(randn([1, 3, 4, 4]), randn([2, 3, 3, 3]))).toThrow('conv3d: expected a 5-D weight');
    expect(() => conv3d(randn([4, 4]), randn([2, 3, 3, 3, 3]))).toThrow(
      /conv3d: expected 4-D \(unbatched\) or 5-D/,
    );
    expect(() => conv3d(randn([1, 3, 2, 4, 4]), randn([2, 3, 3, 3, 3]))).toThrow(
      /conv3d: output size \[0,2,2\]/,
    );
    expect(() => maxPool3d(randn([4, 4]), { kernelSize: 2 })).toThrow(/maxPool3d: expected 4-D/);
  });
});
