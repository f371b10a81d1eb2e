import '@torchlet/autograd';
import { tensor } from '@torchlet/tensor';
import { it } from 'vitest';
import { SGD, clipGradNorm_ } from './index.js';
it('bench', () => {
  const x = tensor([[0], [1], [2], [3]]);
  const y = tensor([[1], [3], [5], [7]]);
  const w = tensor([[0]], { requiresGrad: true });
  const b = tensor([0], { requiresGrad: true });
  const opt = new SGD([w, b], { lr: 0.05, momentum: 0.9 });
  const t = [0, 0, 0, 0];
  for (let epoch = 0; epoch < 200; epoch++) {
    let t0 = performance.now();
    opt.zeroGrad();
    const loss = x.matmul(w).add(b).sub(y).square().mean();
    t[0] += performance.now() - t0; t0 = performance.now();
    loss.backward();
    t[1] += performance.now() - t0; t0 = performance.now();
    clipGradNorm_([w, b], 10);
    t[2] += performance.now() - t0; t0 = performance.now();
    opt.step();
    t[3] += performance.now() - t0;
  }
  console.log('fwd bwd clip step ms total', t.map((v) => v.toFixed(1)).join(' '));
});
