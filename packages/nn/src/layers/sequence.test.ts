/** Shapes, defaults, masks and errors of the recurrent, attention, Transformer and positional layers. */
import {
  manualSeed,
  ones,
  randn,
  ShapeError,
  type Tensor,
  TorchletError,
  tensor,
  zeros,
} from '@torchlet/tensor';
import { describe, expect, it } from 'vitest';
import * as nn from '../index.js';
import { F } from '../index.js';

const maxAbs = (t: Tensor): number => t.abs().max().item();
const close = (a: Tensor, b: Tensor, tol = 1e-6): void => {
  expect(a.shape).toEqual(b.shape);
  expect(maxAbs(a.sub(b))).toBeLessThanOrEqual(tol);
};

describe('recurrent layers', () => {
  manualSeed(1);
  it('registers PyTorch parameter names and shapes for a 2-layer bidirectional LSTM', () => {
    const lstm = new nn.LSTM(3, 5, { numLayers: 2, bidirectional: true });
    const shapes = Object.fromEntries(lstm.namedParameters().map(([n, p]) => [n, p.shape]));
    expect(Object.keys(shapes)).toEqual([
      'weight_ih_l0',
      'weight_hh_l0',
      'bias_ih_l0',
      'bias_hh_l0',
      'weight_ih_l0_reverse',
      'weight_hh_l0_reverse',
      'bias_ih_l0_reverse',
      'bias_hh_l0_reverse',
      'weight_ih_l1',
      'weight_hh_l1',
      'bias_ih_l1',
      'bias_hh_l1',
      'weight_ih_l1_reverse',
      'weight_hh_l1_reverse',
      'bias_ih_l1_reverse',
      'bias_hh_l1_reverse',
    ]);
    expect(shapes.weight_ih_l0).toEqual([20, 3]);
    expect(shapes.weight_ih_l1_reverse).toEqual([20, 10]);
    expect(shapes.weight_hh_l1).toEqual([20, 5]);
  });

  it('draws every parameter from U(-1/sqrt(hidden), 1/sqrt(hidden))', () => {
    for (const m of [new nn.GRU(4, 16, { numLayers: 2 }), new nn.LSTMCell(4, 16), new nn.RNN(4, 16)]) {
      for (const p of m.parameters()) {
        expect(maxAbs(p)).toBeLessThanOrEqual(0.25);
        expect(maxAbs(p)).toBeGreaterThan(0.2);
      }
    }
  });

  it('returns outputs and final states in PyTorch shapes (batchFirst, bidirectional, unbatched)', () => {
    const lstm = new nn.LSTM(3, 4, { numLayers: 2, bidirectional: true, batchFirst: true });
    const [out, [h, c]] = lstm.call(randn([2, 7, 3]));
    expect([out.shape, h.shape, c.shape]).toEqual([
      [2, 7, 8],
      [4, 2, 4],
      [4, 2, 4],
    ]);
    const gru = new nn.GRU(3, 4, { numLayers: 3 });
    const [o2, h2] = gru.call(randn([7, 3]));
    expect([o2.shape, h2.shape]).toEqual([
      [7, 4],
      [3, 4],
    ]);
  });

  it("the forward direction's last output is its final state; the reverse one's first", () => {
    const rnn = new nn.RNN(2, 3, { bidirectional: true });
    const [out, h] = rnn.call(randn([5, 2, 2]));
    close(out.select(0, 4).narrow(1, 0, 3), h.select(0, 0));
    close(out.select(0, 0).narrow(1, 3, 3), h.select(0, 1));
  });

  it('a layer equals its cell stepped by hand with the same weights', () => {
    const lstm = new nn.LSTM(3, 4);
    const cell = new nn.LSTMCell(3, 4);
    const weights = lstm.stateDict();
    cell.loadStateDict(
      Object.fromEntries(Object.entries(weights).map(([k, v]) => [k.replace('_l0', ''), v])),
    );
    const x = randn([5, 2, 3]);
    let state: [Tensor, Tensor] = [zeros([2, 4]), zeros([2, 4])];
    for (let t = 0; t < 5; t++) state = cell.call(x.select(0, t), state);
    const [, [h, c]] = lstm.call(x);
    close(h.squeeze(0), state[0]);
    close(c.squeeze(0), state[1]);
  });

  it('applies dropout between layers only in training', () => {
    const rnn = new nn.RNN(3, 8, { numLayers: 2, dropout: 0.5 });
    const x = randn([4, 2, 3]);
    const [evalOut] = rnn.eval().call(x);
    close(rnn.call(x)[0], evalOut, 0);
    manualSeed(3);
    const [trainOut] = rnn.train().call(x);
    expect(maxAbs(trainOut.sub(evalOut))).toBeGreaterThan(1e-3);
  });

  it('refuses wrong input and state sizes, naming the layer', () => {
    const gru = new nn.GRU(3, 4, { numLayers: 2 });
    expect(() => gru.call(randn([5, 2, 6]))).toThrow(ShapeError);
    expect(() => gru.call(randn([5, 2, 6]))).toThrow(/^GRU: expected .* 3 features, got \[5, ?2, ?6\]/);
    expect(() => gru.call(randn([5, 2, 3]), randn([1, 2, 4]))).toThrow(
      /GRU: expected hidden state \[2, ?2, ?4\]/,
    );
    expect(() => new nn.LSTMCell(3, 4).call(randn([2, 5]))).toThrow(/LSTMCell: expected input \[N, 3\]/);
    expect(() => new nn.RNN(3, 4, { nonlinearity: 'gelu' as 'relu' })).toThrow(TorchletError);
    expect(() => new nn.LSTM(3, 4, { numLayers: 0 })).toThrow(/numLayers must be a positive integer/);
  });

  it('projects LSTM hidden states with projSize: PyTorch names, shapes and state checks', () => {
    const lstm = new nn.LSTM(3, 5, { numLayers: 2, projSize: 2 });
    const shapes = Object.fromEntries(lstm.namedParameters().map(([n, p]) => [n, p.shape]));
    expect(Object.keys(shapes).slice(0, 5)).toEqual([
      'weight_ih_l0',
      'weight_hh_l0',
      'bias_ih_l0',
      'bias_hh_l0',
      'weight_hr_l0',
    ]);
    expect([shapes.weight_hr_l1, shapes.weight_hh_l0, shapes.weight_ih_l1]).toEqual([
      [2, 5],
      [20, 2],
      [20, 2],
    ]);
    const [out, [h, c]] = lstm.call(randn([4, 3, 3]));
    expect([out.shape, h.shape, c.shape]).toEqual([
      [4, 3, 2],
      [2, 3, 2],
      [2, 3, 5],
    ]);
    expect(() => lstm.call(randn([4, 3, 3]), [randn([2, 3, 5]), randn([2, 3, 5])])).toThrow(
      /LSTM: expected hidden state \[2, ?3, ?2\]/,
    );
    expect(() => new nn.LSTM(3, 4, { projSize: 4 })).toThrow(
      /projSize must be an integer in \[0, hiddenSize\)/,
    );
    expect(() => new nn.GRU(3, 4, { projSize: 2 } as nn.RecurrentOptions)).toThrow(/only supported by LSTM/);
    expect(lstm.toString()).toContain('projSize=2');
  });
});

describe('attention', () => {
  manualSeed(2);
  it('causalMask is 0 on and below the diagonal and -inf above', () => {
    expect(F.causalMask(3).toArray()).toEqual([
      [0, -Infinity, -Infinity],
      [0, 0, -Infinity],
      [0, 0, 0],
    ]);
    expect(nn.Transformer.generateSquareSubsequentMask(2, { dtype: 'float64' }).dtype).toBe('float64');
  });

  it('scaledDotProductAttention: isCausal equals the causal mask; a bool mask marks kept pairs', () => {
    const [q, k, v] = [randn([2, 4, 3]), randn([2, 4, 3]), randn([2, 4, 5])];
    const causal = F.scaledDotProductAttention(q, k, v, { isCausal: true });
    close(causal, F.scaledDotProductAttention(q, k, v, { attnMask: F.causalMask(4) }));
    const keep = tensor(
      [
        [1, 0, 0, 0],
        [1, 1, 0, 0],
        [1, 1, 1, 0],
        [1, 1, 1, 1],
      ],
      { dtype: 'bool' },
    );
    close(causal, F.scaledDotProductAttention(q, k, v, { attnMask: keep }));
    // The first query sees only the first key, so it returns the first value exactly.
    close(causal.select(1, 0), v.select(1, 0));
  });

  it('registers PyTorch names, initializes in_proj by xavier_uniform and zero biases', () => {
    const mha = new nn.MultiheadAttention(16, 4);
    expect(mha.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ['in_proj_weight', [48, 16]],
      ['in_proj_bias', [48]],
      ['out_proj.weight', [16, 16]],
      ['out_proj.bias', [16]],
    ]);
    expect(maxAbs(mha.in_proj_weight!)).toBeLessThanOrEqual(Math.sqrt(6 / 64));
    expect(maxAbs(mha.in_proj_bias!)).toBe(0);
    expect(maxAbs(mha.out_proj.bias!)).toBe(0);
    const sep = new nn.MultiheadAttention(8, 2, { kdim: 3, vdim: 5, bias: false });
    expect(sep.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ['q_proj_weight', [8, 8]],
      ['k_proj_weight', [8, 3]],
      ['v_proj_weight', [8, 5]],
      ['out_proj.weight', [8, 8]],
    ]);
  });

  it('returns averaged weights (rows summing to 1), per-head weights, or none', () => {
    const mha = new nn.MultiheadAttention(8, 2, { batchFirst: true });
    const [q, kv] = [randn([3, 4, 8]), randn([3, 6, 8])];
    const [out, avg] = mha.call(q, kv, kv);
    expect(out.shape).toEqual([3, 4, 8]);
    close(avg!.sum(-1), ones([3, 4]));
    const [, perHead] = mha.call(q, kv, kv, { averageAttnWeights: false });
    expect(perHead!.shape).toEqual([3, 2, 4, 6]);
    close(perHead!.mean(1), avg!);
    expect(mha.call(q, kv, kv, { needWeights: false })[1]).toBeNull();
  });

  it('a float key padding mask of -inf acts as the bool one; padded keys get zero weight', () => {
    const mha = new nn.MultiheadAttention(4, 2);
    const x = randn([5, 2, 4]);
    const pad = tensor(
      [
        [0, 0, 0, 1, 1],
        [0, 0, 0, 0, 1],
      ],
      { dtype: 'bool' },
    );
    const [a, wa] = mha.call(x, x, x, { keyPaddingMask: pad });
    const [b] = mha.call(x, x, x, { keyPaddingMask: zeros([2, 5]).maskedFill(pad, -Infinity) });
    close(a, b);
    expect(wa!.select(0, 0).narrow(1, 3, 2).abs().max().item()).toBe(0);
  });

  it('refuses bad sizes and masks', () => {
    expect(() => new nn.MultiheadAttention(10, 3)).toThrow(/embedDim must be divisible by numHeads/);
    const mha = new nn.MultiheadAttention(4, 2);
    const x = randn([3, 2, 4]);
    expect(() => mha.call(randn([3, 2, 5]), x, x)).toThrow(ShapeError);
    expect(() => mha.call(x, x, x, { attnMask: zeros([2, 3]) })).toThrow(
      /attnMask must be \[3, ?3\] or \[4, ?3, ?3\], got \[2, ?3\]/,
    );
    expect(() => mha.call(x, x, x, { keyPaddingMask: zeros([3, 2]) })).toThrow(
      /keyPaddingMask must be \[2, ?3\], got \[3, ?2\]/,
    );
    expect(() => F.scaledDotProductAttention(randn([2, 3]), randn([4, 2]), randn([4, 2]))).toThrow(
      /scaledDotProductAttention: expected query/,
    );
  });
});

describe('Transformer', () => {
  manualSeed(4);
  it("names submodules as PyTorch's state dict does", () => {
    const keys = Object.keys(
      new nn.Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1 }).stateDict(),
    );
    for (const k of [
      'encoder.layers.0.self_attn.in_proj_weight',
      'encoder.layers.0.self_attn.out_proj.bias',
      'encoder.layers.0.linear1.weight',
      'encoder.layers.0.norm2.bias',
      'encoder.norm.weight',
      'decoder.layers.0.multihead_attn.in_proj_weight',
      'decoder.layers.0.norm3.weight',
      'decoder.norm.bias',
    ]) {
      expect(keys).toContain(k);
    }
    expect(keys.length).toBe(34);
  });

  it('stacks independent copies of the layer that start equal', () => {
    const layer = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16 });
    const enc = new nn.TransformerEncoder(layer, 2);
    const [a, b] = [...enc.layers] as nn.TransformerEncoderLayer[];
    close(a!.linear1.weight, layer.linear1.weight, 0);
    close(b!.linear1.weight, layer.linear1.weight, 0);
    expect(a!.linear1.weight).not.toBe(b!.linear1.weight);
  });

  it('keeps shapes through encoder-decoder, batchFirst and normFirst', () => {
    const model = new nn.Transformer({
      dModel: 8,
      nhead: 2,
      numEncoderLayers: 2,
      numDecoderLayers: 1,
      dimFeedforward: 16,
      batchFirst: true,
      normFirst: true,
    });
    expect(model.call(randn([3, 5, 8]), randn([3, 4, 8])).shape).toEqual([3, 4, 8]);
  });

  it('with a causal mask, an output does not depend on later target positions', () => {
    const layer = new nn.TransformerDecoderLayer(8, 2, { dimFeedforward: 16 }).eval();
    const [tgt, mem] = [randn([4, 1, 8]), randn([3, 1, 8])];
    const changed = tgt.clone();
    changed.narrow(0, 3, 1).copy_(randn([1, 1, 8]));
    const mask = F.causalMask(4);
    const a = layer.call(tgt, mem, { tgtMask: mask });
    const b = layer.call(changed, mem, { tgtMask: mask });
    close(a.narrow(0, 0, 3), b.narrow(0, 0, 3));
    expect(maxAbs(a.narrow(0, 3, 1).sub(b.narrow(0, 3, 1)))).toBeGreaterThan(1e-3);
  });

  it('refuses an unknown activation', () => {
    expect(() => new nn.TransformerEncoderLayer(8, 2, { activation: 'tanh' as 'relu' })).toThrow(
      /activation should be 'relu' or 'gelu'/,
    );
  });
});

describe('positional encodings', () => {
  it('the sinusoidal table is sin/cos of pos / 10000^(2i/d)', () => {
    const pe = nn.sinusoidalTable(6, 4);
    const at = (p: number, i: number) => pe.select(0, p).select(0, i).item();
    expect(at(0, 0)).toBe(0);
    expect(at(0, 1)).toBe(1);
    expect(at(3, 0)).toBeCloseTo(Math.sin(3), 6);
    expect(at(3, 1)).toBeCloseTo(Math.cos(3), 6);
    expect(at(5, 2)).toBeCloseTo(Math.sin(5 / 100), 6);
    expect(at(5, 3)).toBeCloseTo(Math.cos(5 / 100), 6);
    expect(nn.sinusoidalTable(3, 5).shape).toEqual([3, 5]);
  });

  it('adds the rows of the table by position, time-major or batch-first; pe is not saved', () => {
    const enc = new nn.SinusoidalPositionalEncoding(4, { maxLen: 10, dropout: 0 });
    const out = enc.call(zeros([3, 2, 4]));
    close(out.select(1, 1), nn.sinusoidalTable(3, 4));
    const bf = new nn.SinusoidalPositionalEncoding(4, { maxLen: 10, dropout: 0, batchFirst: true });
    close(bf.call(zeros([2, 3, 4])).select(0, 1), nn.sinusoidalTable(3, 4));
    expect(Object.keys(enc.stateDict())).toEqual([]);
    expect(() => enc.call(zeros([11, 1, 4]))).toThrow(
      /SinusoidalPositionalEncoding: expected \[L, N, 4\] with L ≤ 10/,
    );
  });

  it('the learned encoding is a [maxLen, dModel] parameter', () => {
    const enc = new nn.LearnedPositionalEncoding(4, { maxLen: 7, dropout: 0 });
    expect(enc.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([['weight', [7, 4]]]);
    close(enc.call(zeros([2, 1, 4])).squeeze(1), enc.weight.narrow(0, 0, 2));
  });
});
