import { it } from 'vitest';
import { tensor, maximum } from '../index.js';
it('scratch', () => {
  const a = tensor([0, -0], { dtype: 'float64' }).reshape(2, 1);
  const b = tensor([0, -0], { dtype: 'float64' });
  console.log(Array.from(maximum(a, b).dataSync()).map((v) => Object.is(v, -0) ? '-0' : v));
  console.log(Array.from(a.dataSync()).map((v) => Object.is(v, -0) ? '-0' : v));
});
