/** Finite-difference checks (float64) of the sequence layers, for inputs and every parameter. */
import { gradcheck, gradgradcheck } from '@torchlet/autograd';
import { manualSeed, randn, type Tensor, tensor } from '@torchlet/tensor';
import { describe, it } from 'vitest';
import * as nn from '../index.js';
import { F, type Module } from '../index.js';
import type { Nested } from '../test-utils/seq-fixtures.js';

const f64 = (shape: number[]) => randn(shape, { dtype: 'float64' }).requiresGrad_(true);

function leaves(out: Nested): Tensor[] {
  if (out === null) return [];
  if (Array.isArray(out)) return out.flatMap((o) => leaves(o as Nested));
  return [out as Tensor];
}

/** gradcheck of `module` (float64, eval) with respect to `inputs` and all its parameters. */
function check(module: Module, inputs: Tensor[], run: (...xs: Tensor[]) => Nested): void {
  module.double().eval();
  const n = inputs.length;
  gradcheck((...xs) => leaves(run(...xs.slice(0, n))), [...inputs, ...module.parameters()]);
}

const causal = (n: number) => F.causalMask(n, { dtype: 'float64' });
const padding = tensor(
  [
    [false, false, true],
    [false, false, false],
  ],
  { dtype: 'bool' },
);

describe('gradcheck: recurrent layers and cells', () => {
  manualSeed(5);
  it('RNN tanh, 2 layers, bidirectional, with h0', () => {
    const m = new nn.RNN(2, 3, { numLayers: 2, bidirectional: true });
    check(m, [f64([3, 2, 2]), f64([4, 2, 3])], (x, h) => m.call(x!, h));
  });
  it('LSTM, 2 layers, bidirectional, batchFirst, with (h0, c0)', () => {
    const m = new nn.LSTM(2, 2, { numLayers: 2, bidirectional: true, batchFirst: true });
    check(m, [f64([2, 3, 2]), f64([4, 2, 2]), f64([4, 2, 2])], (x, h, c) => m.call(x!, [h!, c!]));
  });
  it('GRU, bidirectional, unbatched', () => {
    const m = new nn.GRU(2, 3, { bidirectional: true });
    check(m, [f64([3, 2])], (x) => m.call(x!));
  });
  it('RNNCell, LSTMCell, GRUCell', () => {
    const r = new nn.RNNCell(2, 3);
    check(r, [f64([2, 2]), f64([2, 3])], (x, h) => r.call(x!, h));
    const l = new nn.LSTMCell(2, 3);
    check(l, [f64([2, 2]), f64([2, 3]), f64([2, 3])], (x, h, c) => l.call(x!, [h!, c!]));
    const g = new nn.GRUCell(2, 3);
    check(g, [f64([2, 2]), f64([2, 3])], (x, h) => g.call(x!, h));
  });
  it('second derivatives through an LSTMCell and a GRU layer', () => {
    const l = new nn.LSTMCell(2, 2).double();
    gradgradcheck((x, h, c) => l.call(x!, [h!, c!]), [f64([1, 2]), f64([1, 2]), f64([1, 2])]);
    const g = new nn.GRU(2, 2).double();
    gradgradcheck((x) => g.call(x!)[0], [f64([3, 1, 2])]);
  });
});

describe('gradcheck: attention', () => {
  manualSeed(6);
  it('scaledDotProductAttention with a float mask, and causal', () => {
    const mask = f64([3, 4]);
    gradcheck(
      (q, k, v, m) => F.scaledDotProductAttention(q!, k!, v!, { attnMask: m }),
      [f64([2, 3, 2]), f64([2, 4, 2]), f64([2, 4, 3]), mask],
    );
    gradcheck(
      (q, k, v) => F.scaledDotProductAttention(q!, k!, v!, { isCausal: true }),
      [f64([2, 3, 2]), f64([2, 3, 2]), f64([2, 3, 2])],
    );
    gradgradcheck(
      (q, k, v) => F.scaledDotProductAttention(q!, k!, v!),
      [f64([1, 2, 2]), f64([1, 3, 2]), f64([1, 3, 2])],
    );
  });
  it('MultiheadAttention: self-attention with masks, per-head weights', () => {
    const m = new nn.MultiheadAttention(4, 2);
    check(m, [f64([3, 2, 4])], (x) =>
      m.call(x!, x!, x!, { attnMask: causal(3), keyPaddingMask: padding, averageAttnWeights: false }),
    );
  });
  it('MultiheadAttention: kdim/vdim, batchFirst, cross-attention', () => {
    const m = new nn.MultiheadAttention(4, 2, { kdim: 3, vdim: 2, batchFirst: true });
    check(m, [f64([2, 2, 4]), f64([2, 3, 3]), f64([2, 3, 2])], (q, k, v) => m.call(q!, k!, v!));
  });
});

describe('gradcheck: Transformer layers, positional encodings, PEFT', () => {
  manualSeed(7);
  const opts = { dimFeedforward: 6, dropout: 0 };
  it('TransformerEncoderLayer, post-norm and pre-norm', () => {
    for (const normFirst of [false, true]) {
      const m = new nn.TransformerEncoderLayer(4, 2, { ...opts, normFirst, activation: 'gelu' });
      check(m, [f64([3, 2, 4])], (x) => m.call(x!, { srcMask: causal(3), srcKeyPaddingMask: padding }));
    }
  });
  it('TransformerDecoderLayer with target and memory masks', () => {
    const m = new nn.TransformerDecoderLayer(4, 2, { ...opts, batchFirst: true });
    check(m, [f64([2, 2, 4]), f64([2, 3, 4])], (t, mem) =>
      m.call(t!, mem!, { tgtMask: causal(2), memoryKeyPaddingMask: padding }),
    );
  });
  it('positional encodings', () => {
    const s = new nn.SinusoidalPositionalEncoding(4, { maxLen: 5, dropout: 0 });
    check(s, [f64([3, 2, 4])], (x) => s.call(x!));
    const l = new nn.LearnedPositionalEncoding(4, { maxLen: 5, dropout: 0, batchFirst: true });
    check(l, [f64([2, 3, 4])], (x) => l.call(x!));
  });
  it('LoRALinear (unmerged) and Adapter', () => {
    const lora = new nn.LoRALinear(3, 2, { r: 2, alpha: 4 });
    lora.weight.requiresGrad_(true);
    nn.init.normal_(lora.lora_B);
    check(lora, [f64([2, 3])], (x) => lora.call(x!));
    const adapter = new nn.Adapter(3, 2);
    nn.init.normal_(adapter.up.weight);
    check(adapter, [f64([2, 3])], (x) => adapter.call(x!));
  });
});
