import type { Tensor } from '@torchlet/tensor';
import { describe, it } from 'vitest';
import attention from '../fixtures/seq-attention.json' with { type: 'json' };
import recurrent from '../fixtures/seq-recurrent.json' with { type: 'json' };
import transformer from '../fixtures/seq-transformer.json' with { type: 'json' };
import * as nn from '../index.js';
import { F, type Module } from '../index.js';
import { checkSeqCase, type Nested, type SeqCase } from '../test-utils/seq-fixtures.js';

type In = Record<string, Tensor>;
/** The module of a case (as the script builds it) and how the script calls it. */
type Entry = [() => Module | null, (m: never, i: In) => Nested, { atol: number; rtol: number }?];

const seq = (m: nn.RNN | nn.GRU, i: In) => m.call(i.input!, i.hx);
const lstm = (m: nn.LSTM, i: In) => m.call(i.input!, i.h0 ? [i.h0, i.c0!] : null);
/** Packs the padded input by `lengths`, runs the layer, returns packed data, re-padded output, state. */
const packed =
  (batchFirst: boolean, enforceSorted: boolean) =>
  (m: nn.LSTM | nn.GRU, i: In): Nested => {
    const p = nn.packPaddedSequence(i.input!, i.lengths!, { batchFirst, enforceSorted });
    const [out, h] =
      m instanceof nn.LSTM ? m.forward(p, i.h0 ? [i.h0, i.c0!] : null) : (m as nn.GRU).forward(p, i.hx);
    return [out.data, nn.padPackedSequence(out, { batchFirst })[0], h as Nested];
  };
const cell = (m: nn.RNNCell | nn.GRUCell, i: In) => m.call(i.input!, i.hx);
const lstmCell = (m: nn.LSTMCell, i: In) => m.call(i.input!, i.h0 ? [i.h0, i.c0!] : null);

const recurrentCases: Record<string, Entry> = {
  rnn_tanh_2layer_h0: [() => new nn.RNN(3, 4, { numLayers: 2 }), seq],
  rnn_relu_bidir_batchfirst: [
    () => new nn.RNN(3, 4, { nonlinearity: 'relu', batchFirst: true, bidirectional: true }),
    seq,
  ],
  rnn_unbatched: [() => new nn.RNN(3, 4), seq],
  lstm_2layer_h0: [() => new nn.LSTM(3, 4, { numLayers: 2 }), lstm],
  lstm_bidir_2layer_batchfirst: [
    () => new nn.LSTM(3, 4, { numLayers: 2, bidirectional: true, batchFirst: true }),
    lstm,
  ],
  lstm_bidir_h0: [() => new nn.LSTM(3, 2, { bidirectional: true }), lstm],
  lstm_unbatched_nobias: [() => new nn.LSTM(3, 4, { bias: false }), lstm],
  gru_bidir_2layer_h0: [() => new nn.GRU(3, 4, { numLayers: 2, bidirectional: true }), seq],
  gru_nobias_batchfirst: [() => new nn.GRU(3, 4, { bias: false, batchFirst: true }), seq],
  rnncell_tanh: [() => new nn.RNNCell(3, 4), cell],
  rnncell_relu_nohx: [() => new nn.RNNCell(3, 4, { nonlinearity: 'relu' }), cell],
  lstmcell: [() => new nn.LSTMCell(3, 4), lstmCell],
  lstmcell_unbatched: [() => new nn.LSTMCell(3, 4), lstmCell],
  grucell: [() => new nn.GRUCell(3, 4), cell],
  grucell_nobias_nohx: [() => new nn.GRUCell(3, 4, { bias: false }), cell],
  lstm_proj_bidir_2layer_h0: [
    () => new nn.LSTM(3, 5, { numLayers: 2, bidirectional: true, projSize: 2 }),
    lstm,
  ],
  lstm_proj_batchfirst_unbatched: [() => new nn.LSTM(3, 4, { projSize: 3, batchFirst: true }), lstm],
  lstm_packed_unsorted_bidir_2layer_h0: [
    () => new nn.LSTM(3, 4, { numLayers: 2, bidirectional: true }),
    packed(false, false),
  ],
  gru_packed_sorted_batchfirst: [() => new nn.GRU(3, 4, { batchFirst: true }), packed(true, true)],
};

const sdpa = (options: F.ScaledDotProductAttentionOptions) => (_: null, i: In) =>
  F.scaledDotProductAttention(i.query!, i.key!, i.value!, { attnMask: i.attnMask, ...options });
const mha =
  (options: nn.MultiheadAttentionCallOptions = {}) =>
  (m: nn.MultiheadAttention, i: In) => {
    const key = i.key ?? i.query!;
    return m.call(i.query!, key, i.value ?? key, {
      attnMask: i.attnMask,
      keyPaddingMask: i.keyPaddingMask,
      ...options,
    });
  };

const attentionCases: Record<string, Entry> = {
  sdpa: [() => null, sdpa({})],
  sdpa_float_mask_scale: [() => null, sdpa({ scale: 0.3 })],
  sdpa_bool_mask: [() => null, sdpa({})],
  sdpa_causal: [() => null, sdpa({ isCausal: true })],
  mha_self: [() => new nn.MultiheadAttention(8, 2), mha()],
  mha_cross_masks: [() => new nn.MultiheadAttention(8, 4), mha({ averageAttnWeights: false })],
  mha_kvdim_batchfirst: [
    () => new nn.MultiheadAttention(6, 2, { kdim: 5, vdim: 3, batchFirst: true }),
    mha(),
  ],
  mha_nobias_noweights: [() => new nn.MultiheadAttention(4, 1, { bias: false }), mha({ needWeights: false })],
  mha_unbatched: [() => new nn.MultiheadAttention(4, 2), mha()],
  mha_bias_kv_zero_attn_masks: [
    () => new nn.MultiheadAttention(8, 2, { addBiasKv: true, addZeroAttn: true }),
    mha({ averageAttnWeights: false }),
  ],
  mha_bias_kv_self_batchfirst: [
    () => new nn.MultiheadAttention(6, 3, { addBiasKv: true, batchFirst: true }),
    mha(),
  ],
  mha_zero_attn_float_mask: [() => new nn.MultiheadAttention(4, 2, { addZeroAttn: true }), mha()],
};

const opts = { dimFeedforward: 12, dropout: 0 };
const encLayer = (m: nn.TransformerEncoderLayer, i: In) =>
  m.call(i.src!, { srcMask: i.srcMask, srcKeyPaddingMask: i.srcKeyPaddingMask });
const decoder = (m: nn.TransformerDecoderLayer | nn.TransformerDecoder, i: In) =>
  m.call(i.tgt!, i.memory!, {
    tgtMask: i.tgtMask,
    memoryMask: i.memoryMask,
    tgtKeyPaddingMask: i.tgtKeyPaddingMask,
    memoryKeyPaddingMask: i.memoryKeyPaddingMask,
  });
const full = (m: nn.Transformer, i: In) =>
  m.call(i.src!, i.tgt!, {
    srcMask: i.srcMask,
    tgtMask: i.tgtMask,
    srcKeyPaddingMask: i.srcKeyPaddingMask,
    memoryKeyPaddingMask: i.memoryKeyPaddingMask,
  });

const transformerCases: Record<string, Entry> = {
  // The tutorial computes its table in float32.
  sinusoidal_positional_encoding: [
    () => new nn.SinusoidalPositionalEncoding(6, { maxLen: 10, dropout: 0 }),
    (m: nn.SinusoidalPositionalEncoding, i: In) => m.call(i.x!),
    { atol: 1e-6, rtol: 0 },
  ],
  encoder_layer: [() => new nn.TransformerEncoderLayer(8, 2, opts), encLayer],
  encoder_layer_normfirst_gelu_batchfirst: [
    () =>
      new nn.TransformerEncoderLayer(8, 2, {
        ...opts,
        activation: 'gelu',
        normFirst: true,
        batchFirst: true,
      }),
    encLayer,
  ],
  decoder_layer: [() => new nn.TransformerDecoderLayer(8, 2, opts), decoder],
  decoder_layer_normfirst: [
    () => new nn.TransformerDecoderLayer(8, 2, { ...opts, normFirst: true, batchFirst: true }),
    decoder,
  ],
  encoder_stack_norm: [
    () =>
      new nn.TransformerEncoder(new nn.TransformerEncoderLayer(8, 2, opts), 2, { norm: new nn.LayerNorm(8) }),
    (m: nn.TransformerEncoder, i: In) =>
      m.call(i.src!, { mask: i.mask, srcKeyPaddingMask: i.srcKeyPaddingMask }),
  ],
  decoder_stack: [() => new nn.TransformerDecoder(new nn.TransformerDecoderLayer(8, 2, opts), 2), decoder],
  transformer: [
    () => new nn.Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 2, numDecoderLayers: 2, ...opts }),
    full,
  ],
  transformer_normfirst_batchfirst: [
    () =>
      new nn.Transformer({
        dModel: 8,
        nhead: 2,
        numEncoderLayers: 1,
        numDecoderLayers: 1,
        batchFirst: true,
        normFirst: true,
        ...opts,
      }),
    full,
  ],
};

const families: [string, Record<string, SeqCase>, Record<string, Entry>][] = [
  ['recurrent layers and cells', recurrent as Record<string, SeqCase>, recurrentCases],
  ['attention', attention as Record<string, SeqCase>, attentionCases],
  ['Transformer', transformer as Record<string, SeqCase>, transformerCases],
];

for (const [family, fixtures, entries] of families) {
  describe(`${family} match PyTorch (outputs, input and parameter gradients)`, () => {
    it('has an entry for every fixture case', () => {
      const missing = Object.keys(fixtures).filter((k) => !(k in entries));
      if (missing.length > 0) throw new Error(`no entry for ${missing.join(', ')}`);
    });
    for (const [name, [make, run, tolerance]] of Object.entries(entries)) {
      it(name, () => {
        checkSeqCase(make() as never, fixtures[name]!, run as (m: never, i: In) => Nested, tolerance);
      });
    }
  });
}
