/** Small models that must learn within seconds: the recurrent and Transformer layers train end to end. */
import { arange, manualSeed, noGrad, randint, randn, type Tensor, tensor } from '@torchlet/tensor';
import { describe, expect, it } from 'vitest';
import { CrossEntropyLoss, Embedding, Linear, LSTM, LearnedPositionalEncoding, Module, MSELoss, TransformerEncoder, TransformerEncoderLayer } from '../index.js';
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
  const t = arange(0, len + 1, 1).mul(0.3).unsqueeze(0).add(phase).sin(); // [n, len+1]
  return { x: t.narrow(1, 0, len).unsqueeze(2), y: t.narrow(1, len, 1) };
}

/** Reads a sequence of digits and emits it reversed, position by position. */
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

const accuracy = (logits: Tensor, target: Tensor): number =>
  logits.argmax(-1).eq(target).float().mean().item();

describe('learning checks', () => {
  it('a 2-layer Transformer encoder learns to reverse a sequence of 8 digits', () => {
    manualSeed(0);
    const model = new Reverser();
    const opt = adam(model.parameters(), 3e-3);
    const lossFn = new CrossEntropyLoss();
    const t0 = performance.now();
    for (let step = 0; step < 300; step++) {
      const x = randint(0, 10, [64, 8], { dtype: 'int32' });
      opt.zeroGrad();
      const logits = model.call(x);
      lossFn.call(logits.reshape([-1, 10]), x.flip([1]).reshape([-1])).backward();
      opt.step();
    }
    const x = randint(0, 10, [512, 8], { dtype: 'int32' });
    const acc = noGrad(() => accuracy(model.call(x), x.flip([1])));
    console.log(`reverse: token accuracy ${(acc * 100).toFixed(1)}% in ${(performance.now() - t0).toFixed(0)} ms`);
    expect(acc).toBeGreaterThan(0.95);
  });

  it('an LSTM learns the next value of a sine wave', () => {
    manualSeed(0);
    const model = new SineNet();
    const opt = adam(model.parameters(), 0.01);
    const lossFn = new MSELoss();
    const t0 = performance.now();
    let loss = 0;
    for (let step = 0; step < 150; step++) {
      const { x, y } = sineBatch(32, 16);
      opt.zeroGrad();
      const l = lossFn.call(model.call(x), y);
      l.backward();
      opt.step();
      loss = l.item();
    }
    const test = sineBatch(256, 16);
    const mse = noGrad(() => lossFn.call(model.call(test.x), test.y).item());
    console.log(`sine: train ${loss.toExponential(2)} test ${mse.toExponential(2)} in ${(performance.now() - t0).toFixed(0)} ms`);
    expect(mse).toBeLessThan(1e-3);
  });
});
