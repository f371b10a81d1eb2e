import {
  cat,
  type DType,
  diag,
  diagEmbed,
  gather,
  indexAdd,
  indexCopy,
  indexFill,
  indexPut,
  indexSelect,
  kthvalue,
  linspace,
  maskedSelect,
  pad,
  repeat,
  roll,
  scatter,
  scatterAdd,
  scatterReduce,
  slice,
  sort,
  stack,
  type Tensor,
  take,
  takeAlongDim,
  tensor,
  tile,
  topk,
} from '@torchlet/tensor';
import { describe, expect, it } from 'vitest';
import fixtures from '../fixtures/indexing-ops.json' with { type: 'json' };
import { runBackward } from '../index.js';

// The same cases as scripts/fixtures/indexing_ops.py, which computed the expected values with PyTorch.
interface Encoded {
  shape: number[];
  dtype: DType;
  data: number[];
}
type Out = Tensor | { values: Tensor; indices: Tensor };

const int = (v: number[], shape?: number[]) => tensor(v, { dtype: 'int32', ...(shape ? { shape } : {}) });

const CASES: Record<string, (...xs: Tensor[]) => Out> = {
  index_basic: (x) => x.index(1, ':', '1:3'),
  index_step: (x) => x.index('..., ::2'),
  index_newaxis: (x) => x.index(null, -1),
  index_slice_clamp: (x) => x.index('-10:2', slice(3, 100, 3)),
  index_adv1: (x) => x.index(':', [2, 0, 2]),
  index_adv_adjacent: (x) => x.index(':', [0, 1], [1, 2]),
  index_adv_separated: (x) => x.index([0, 1], ':', [1, 2]),
  index_adv_broadcast: (x) => x.index([[0], [1]], ':', [1, -2]),
  index_int_then_adv: (x) => x.index(0, ':', [1, 2]),
  index_mask: (x) => x.index(x.gt(0.5)),
  index_mask_inner: (x, m) => x.index(':', m!.gt(0)),
  index_put: (x) => indexPut(x, [int([0, 2]), int([1, 3])], 5),
  index_put_accumulate: (x, v) => indexPut(x, [int([0, 2, 0])], v!, true),
  gather: (x, i) => gather(x, 1, i!),
  scatter: (x, s) => scatter(x, 0, int([1, 3, 0, 2, 1, 0, 3, 2, 0, 1], [2, 5]), s!),
  scatter_value: (x) => scatter(x, 1, int([0, 4, 1, 2], [4, 1]), 7.5),
  scatter_add: (x, s) => scatterAdd(x, 0, int([1, 1, 0, 2, 3, 1, 1, 0, 2, 3, 0, 0, 0, 1, 1], [3, 5]), s!),
  scatter_reduce_amax: (x, s) =>
    scatterReduce(x, 1, int([1, 1, 3, 0, 0, 2], [2, 3]), s!, 'amax', { includeSelf: false }),
  scatter_reduce_mean: (x, s) => scatterReduce(x, 1, int([1, 1, 3, 0, 0, 2], [2, 3]), s!, 'mean'),
  scatter_reduce_sum_noself: (x, s) =>
    scatterReduce(x, 1, int([1, 1, 3, 0, 0, 2], [2, 3]), s!, 'sum', { includeSelf: false }),
  index_select: (x) => indexSelect(x, -1, [4, 0, 4]),
  index_add: (x, s) => indexAdd(x, 1, [3, 3], s!, 2),
  index_fill: (x) => indexFill(x, 2, [1, 3], -1),
  index_copy: (x, s) => indexCopy(x, 0, [3, 1], s!),
  masked_select: (x) => maskedSelect(x, tensor([true, false, true, true, false])),
  take: (x) => take(x, [0, -1, 7, 7]),
  take_along_dim: (x) => takeAlongDim(x, [[0, 3, 1]], 1),
  cat: (a, b) => cat([a, b!], -2),
  stack: (a, b) => stack([a, b!], 1),
  repeat: (x) => repeat(x, 2, 1, 3),
  tile: (x) => tile(x, 2, 2),
  flip: (x) => x.flip([0, 2]),
  roll: (x) => roll(x, [1, -3], [0, 2]),
  roll_flat: (x) => roll(x, 7),
  pad_constant: (x) => pad(x, [1, -2, 0, 2], { value: 0.25 }),
  pad_reflect: (x) => pad(x, [3, 4, 2, 1], { mode: 'reflect' }),
  pad_replicate: (x) => pad(x, [2, 1, 0, 3], { mode: 'replicate' }),
  pad_circular: (x) => pad(x, [2, 5, 1, 0], { mode: 'circular' }),
  tril: (x) => x.tril(1),
  triu: (x) => x.triu(-1),
  diag_1d: (x) => diag(x, -1),
  diag_2d: (x) => diag(x, 1),
  diag_embed: (x) => diagEmbed(x, 1, 0, 2),
  diagonal: (x) => x.diagonal(-1, 2, 0),
  sort_desc: (x) => sort(x, 1, { descending: true, stable: true }),
  sort_dim0: (x) => sort(x, 0),
  topk_smallest: (x) => topk(x, 2, 1, { largest: false }),
  topk_largest: (x) => topk(x, 2),
  kthvalue: (x) => kthvalue(x, 2, 0),
  narrow: (x) => x.narrow(-1, -3, 2),
  select: (x) => x.select(1, -1),
  unfold_transpose_slice: (x) => x.transpose(0, 2).index('1:', '::2', 1),
};

function fixtureTensor(e: Encoded): Tensor {
  return tensor(e.data, { dtype: e.dtype, shape: e.shape });
}

function outputs(out: Out): Tensor[] {
  return out instanceof Object && 'values' in out ? [out.values, out.indices] : [out as Tensor];
}

function expectClose(got: Tensor, want: Encoded, what: string): void {
  expect(got.shape, `${what} shape`).toEqual(want.shape);
  expect(got.dtype, `${what} dtype`).toBe(want.dtype);
  const g = Array.from(got.dataSync());
  g.forEach((v, i) => {
    expect(v, `${what} element ${i}`).toBeCloseTo(want.data[i]!, 10);
  });
}

describe('indexing ops match PyTorch', () => {
  for (const [name, fn] of Object.entries(CASES)) {
    it(name, () => {
      const fx = (
        fixtures as Record<string, { inputs: Encoded[]; outputs: Encoded[]; grads: (Encoded | null)[] }>
      )[name]!;
      const inputs = fx.inputs.map((e) => {
        const t = fixtureTensor(e);
        return e.dtype === 'float64' ? t.requiresGrad_() : t;
      });
      const outs = outputs(fn(...inputs));
      outs.forEach((o, i) => {
        expectClose(o, fx.outputs[i]!, `output ${i}`);
      });
      const floats = outs.filter((o) => o.dtype === 'float64');
      const targets = inputs.filter((t) => t.requiresGrad);
      const grads = runBackward({
        outputs: floats,
        gradOutputs: floats.map((o) => linspace(0.5, 1.5, o.numel(), { dtype: 'float64' }).reshape(o.shape)),
        inputs: targets,
        retainGraph: false,
        createGraph: false,
        allowUnused: true,
      });
      grads.forEach((g, i) => {
        const want = fx.grads[i];
        if (want) expectClose(g ?? targets[i]!.mul(0), want, `grad ${i}`);
      });
    });
  }
});
