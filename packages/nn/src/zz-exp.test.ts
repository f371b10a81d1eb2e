import { manualSeed, noGrad, randint, type Tensor } from '@torchlet/tensor';
import { it } from 'vitest';
import { CrossEntropyLoss, Embedding, Linear, Module, SinusoidalPositionalEncoding, LearnedPositionalEncoding, TransformerEncoder, TransformerEncoderLayer } from './index.js';
import { adam } from './test-utils/adam.js';
class Reverser extends Module {
  embed = new Embedding(10, 32);
  pos: Module;
  encoder = new TransformerEncoder(new TransformerEncoderLayer(32, 4, { dimFeedforward: 64, dropout: 0, batchFirst: true, normFirst: process.env.NF === '1' }), 2);
  head = new Linear(32, 10);
  constructor(learned: boolean) { super(); this.pos = learned ? new LearnedPositionalEncoding(32, { maxLen: 16, dropout: 0, batchFirst: true }) : new SinusoidalPositionalEncoding(32, { maxLen: 16, dropout: 0, batchFirst: true }); }
  override forward(tokens: Tensor): Tensor { return this.head.call(this.encoder.call(this.pos.call(this.embed.call(tokens)) as Tensor)); }
}
it('exp', () => {
  for (const learned of [false, true]) for (const lr of [1e-3, 3e-3]) {
    manualSeed(0);
    const model = new Reverser(learned);
    const opt = adam(model.parameters(), lr);
    const lossFn = new CrossEntropyLoss();
    const t0 = performance.now();
    const line: string[] = [];
    for (let step = 1; step <= 300; step++) {
      const x = randint(0, 10, [64, 8], { dtype: 'int32' });
      opt.zeroGrad();
      const logits = model.call(x);
      lossFn.call(logits.reshape([-1, 10]), x.flip([1]).reshape([-1])).backward();
      opt.step();
      if (step % 50 === 0) line.push(noGrad(() => logits.argmax(-1).eq(x.flip([1])).float().mean().item()).toFixed(2));
    }
    console.log(`learned=${learned} lr=${lr} ${line.join(' ')} ${(performance.now() - t0).toFixed(0)}ms`);
  }
}, 300000);
