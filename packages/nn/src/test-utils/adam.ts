import { noGrad, type Tensor, zerosLike } from '@torchlet/tensor';
import type { Parameter } from '../parameter.js';

/**
 * A minimal Adam for the learning checks (@torchlet/optim depends on this package, so the tests
 * cannot import it). Skips parameters without a gradient, e.g. frozen ones.
 */
export function adam(params: Parameter[], lr = 1e-3, betas: [number, number] = [0.9, 0.999], eps = 1e-8) {
  const m = new Map<Parameter, Tensor>();
  const v = new Map<Parameter, Tensor>();
  let t = 0;
  return {
    zeroGrad(): void {
      for (const p of params) p.grad = null;
    },
    step(): void {
      t++;
      const c1 = 1 - betas[0] ** t;
      const c2 = 1 - betas[1] ** t;
      noGrad(() => {
        for (const p of params) {
          const g = p.grad;
          if (!g) continue;
          const mt = (m.get(p) ?? zerosLike(p)).mul(betas[0]).add(g.mul(1 - betas[0]));
          const vt = (v.get(p) ?? zerosLike(p)).mul(betas[1]).add(g.square().mul(1 - betas[1]));
          m.set(p, mt);
          v.set(p, vt);
          p.sub_(mt.div(c1).div(vt.div(c2).sqrt().add(eps)).mul(lr));
        }
      });
    },
  };
}
