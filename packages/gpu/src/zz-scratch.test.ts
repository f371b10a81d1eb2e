import { it } from 'vitest';
import { randn } from '@torchlet/tensor';
import './index.js';

function time(label: string, f: () => void, reps = 10) {
  f();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) f();
  console.log(label, ((performance.now() - t0) / reps).toFixed(2), 'ms');
}
it('scratch', () => {
  const a = randn([64, 784]);
  const w = randn([128, 784]);
  const ag = a.to('gpu');
  const wg = w.to('gpu');
  time('cpu x@w.T', () => a.matmul(w.T));
  time('gpu x@w.T', () => ag.matmul(wg.T).dataSync());
  const b = w.T.contiguous(); const bg = b.to('gpu');
  time('gpu x@b', () => ag.matmul(bg).dataSync());
  time('cpu x@b', () => a.matmul(b).dataSync());
});
