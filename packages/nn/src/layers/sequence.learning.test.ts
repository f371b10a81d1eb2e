/** Small models that must learn within seconds: the recurrent and Transformer layers train end to end. */
import { arange, cat, full, manualSeed, noGrad, randint, randn, type Tensor } from '@torchlet/tensor';
import { describe, expect, it } from 'vitest';
import {
  CrossEntropyLoss,
  Embedding,
  LearnedPositionalEncoding,
  Linear,
  LSTM,
  Module,
  MSELoss,
  SinusoidalPositionalEncoding,
  Transformer,
  TransformerEncoder,
  TransformerEncoderLayer,
} from '../index.js';
import { adam } from '../test-utils/adam.js';

/** Predicts the next value of a sine wave from the 16 before it. */
class SineNet extends Module {
  lstm = new LSTM(1, 16, { batchFirst: true });
  head = new Linear(16, 1);
  override forward(x: Tensor): Tensor {
    const [, [h]] = this.lstm.call(x);
    return this.head.call(h.squeeze(0));
  }
}

function sineBatch(n: number, len: number): { x: Tensor; y: Tensor } {
  const phase = randn([n, 1]).mul(3);
  const t = arange(0, len + 1, 1)
    .mul(0.3)
    .unsqueeze(0)
    .add(phase)
    .sin(); // [n, len+1]
  return { x: t.narrow(1, 0, len).unsqueeze(2), y: t.narrow(1, len, 1) };
}

/** Reads 8 digits and emits them reversed, position by position (encoder only). */
class Reverser extends Module {
  embed = new Embedding(10, 32);
  pos = new LearnedPositionalEncoding(32, { maxLen: 16, dropout: 0, batchFirst: true });
  encoder = new TransformerEncoder(
    new TransformerEncoderLayer(32, 4, { dimFeedforward: 64, dropout: 0, batchFirst: true }),
    2,
  );
  head = new Linear(32, 10);
  override forward(tokens: Tensor): Tensor {
    return this.head.call(this.encoder.call(this.pos.call(this.embed.call(tokens))));
  }
}

const BOS = 10;

/** Encoder-decoder: the decoder reads the target shifted right behind BOS, under a causal mask. */
class Seq2Seq extends Module {
  embed = new Embedding(11, 32);
  pos = new SinusoidalPositionalEncoding(32, { maxLen: 16, dropout: 0, batchFirst: true });
  transformer = new Transformer({
    dModel: 32,
    nhead: 4,
    numEncoderLayers: 1,
    numDecoderLayers: 1,
    dimFeedforward: 64,
    dropout: 0,
    batchFirst: true,
  });
  head = new Linear(32, 11);
  override forward(src: Tensor, tgtIn: Tensor): Tensor {
    const e = (t: Tensor) => this.pos.call(this.embed.call(t));
    const tgtMask = Transformer.generateSquareSubsequentMask(tgtIn.shape[1]!);
    return this.head.call(this.transformer.call(e(src), e(tgtIn), { tgtMask }));
  }
}

const shiftRight = (y: Tensor): Tensor =>
  cat([full([y.shape[0]!, 1], BOS, { dtype: 'int32' }), y.narrow(1, 0, y.shape[1]! - 1)], 1);

const accuracy = (logits: Tensor, target: Tensor): number =>
  logits.argmax(-1).eq(target).float().mean().item();

/** Trains with Adam on cross-entropy over all positions; returns the elapsed milliseconds. */
function trainTokens(model: Module, steps: number, lr: number, batch: () => [Tensor[], Tensor]): number {
  const opt = adam(model.parameters(), lr);
  const lossFn = new CrossEntropyLoss();
  const t0 = performance.now();
  for (let step = 0; step < steps; step++) {
    const [inputs, target] = batch();
    opt.zeroGrad();
    const logits = model.call(...inputs) as Tensor;
    lossFn.call(logits.reshape([-1, logits.shape[2]!]), target.reshape([-1])).backward();
    opt.step();
  }
  return performance.now() - t0;
}

describe('learning checks', () => {
  it('an LSTM learns the next value of a sine wave', () => {
    manualSeed(0);
    const model = new SineNet();
    const opt = adam(model.parameters(), 0.01);
    const lossFn = new MSELoss();
    const t0 = performance.now();
    for (let step = 0; step < 150; step++) {
      const { x, y } = sineBatch(32, 16);
      opt.zeroGrad();
      lossFn.call(model.call(x), y).backward();
      opt.step();
    }
    const test = sineBatch(256, 16);
    const mse = noGrad(() => lossFn.call(model.call(test.x), test.y).item());
    console.log(
      `sine: test MSE ${mse.toExponential(2)} after 150 steps, ${(performance.now() - t0).toFixed(0)} ms`,
    );
    expect(mse).toBeLessThan(1e-3);
  });

  it('a 2-layer Transformer encoder learns to reverse 8 digits (> 95% token accuracy)', () => {
    manualSeed(0);
    const model = new Reverser();
    const ms = trainTokens(model, 60, 3e-3, () => {
      const x = randint(0, 10, [32, 8], { dtype: 'int32' });
      return [[x], x.flip([1])];
    });
    const x = randint(0, 10, [512, 8], { dtype: 'int32' });
    const acc = noGrad(() => accuracy(model.call(x), x.flip([1])));
    console.log(
      `reverse (encoder): token accuracy ${(acc * 100).toFixed(1)}% after 60 steps, ${ms.toFixed(0)} ms`,
    );
    expect(acc).toBeGreaterThan(0.95);
  });

  it('an encoder-decoder Transformer learns to reverse 6 digits, decoding greedily (> 95%)', () => {
    manualSeed(0);
    const model = new Seq2Seq();
    const ms = trainTokens(model, 150, 3e-3, () => {
      const x = randint(0, 10, [32, 6], { dtype: 'int32' });
      const y = x.flip([1]);
      return [[x, shiftRight(y)], y];
    });
    const x = randint(0, 10, [256, 6], { dtype: 'int32' });
    const y = x.flip([1]);
    model.eval();
    // Greedy decoding: each step feeds back the tokens predicted so far.
    const predicted = noGrad(() => {
      let tgt = full([256, 1], BOS, { dtype: 'int32' });
      for (let i = 0; i < 6; i++) {
        const next = model.call(x, tgt).narrow(1, i, 1).argmax(-1).to('int32');
        tgt = cat([tgt, next], 1);
      }
      return tgt.narrow(1, 1, 6);
    });
    const acc = predicted.eq(y).float().mean().item();
    console.log(
      `reverse (seq2seq): greedy token accuracy ${(acc * 100).toFixed(1)}% after 150 steps, ${ms.toFixed(0)} ms`,
    );
    expect(acc).toBeGreaterThan(0.95);
  });
});
