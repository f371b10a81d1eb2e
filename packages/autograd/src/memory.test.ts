import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { noGrad, randn, type Tensor, tensor } from '@torchlet/tensor';
import { describe, expect, it } from 'vitest';
import './index.js';

// V8 exposes gc() to contexts created after the flag is set.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapMiB(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/** Lets V8 drop WeakRef targets, which it keeps alive until the current job ends. */
async function collected(ref: WeakRef<object>): Promise<boolean> {
  await new Promise((resolve) => setTimeout(resolve, 0));
  gc();
  return ref.deref() === undefined;
}

function tinyMlp() {
  const x = randn([4, 3]);
  const params: Tensor[] = [
    randn([3, 8]).mul(0.3).requiresGrad_(),
    randn([8]).mul(0.1).requiresGrad_(),
    randn([8, 1]).mul(0.3).requiresGrad_(),
  ];
  const [w1, b1, w2] = params as [Tensor, Tensor, Tensor];
  const loss = (): Tensor => x.matmul(w1).add(b1).tanh().matmul(w2).square().sum();
  return { params, loss };
}

describe('memory', () => {
  it('keeps a flat heap over 10,000 training steps', () => {
    const { params, loss } = tinyMlp();
    const step = (): void => {
      loss().backward();
      noGrad(() => {
        for (const p of params) {
          p.sub_(p.grad!.mul(0.01));
          p.grad = null;
        }
      });
    };
    const t0 = performance.now();
    for (let i = 0; i < 1000; i++) step();
    const before = heapMiB();
    for (let i = 0; i < 9000; i++) step();
    const after = heapMiB();
    console.log(
      `heap after 1,000 steps ${before.toFixed(2)} MiB, after 10,000 ${after.toFixed(2)} MiB (${(performance.now() - t0).toFixed(0)} ms)`,
    );
    expect(after - before).toBeLessThan(8);
  });

  it('would see a leak: graphs kept alive grow the heap', () => {
    const { loss } = tinyMlp();
    const kept: Tensor[] = [];
    const before = heapMiB();
    for (let i = 0; i < 2000; i++) {
      const l = loss();
      l.backward({ retainGraph: true });
      kept.push(l);
    }
    const grown = heapMiB() - before;
    console.log(`2,000 retained graphs: +${grown.toFixed(2)} MiB`);
    expect(grown).toBeGreaterThan(1);
    expect(kept).toHaveLength(2000);
  });

  it('does not keep the graph alive through .grad, unless createGraph', async () => {
    const w = tensor([1, 2, 3], { dtype: 'float64', requiresGrad: true });
    let h: Tensor | null = w.exp();
    const plain = new WeakRef(h);
    h.square().sum().backward();
    h = null;
    expect(await collected(plain)).toBe(true);
    w.grad = null;

    h = w.exp();
    const kept = new WeakRef(h);
    h.square().sum().backward({ createGraph: true });
    h = null;
    expect(await collected(kept)).toBe(false);
    expect(w.grad!.requiresGrad).toBe(true);
  });
});
