import { registerGradient } from '../registry.js';

// y = softmax(x): dx = y · (g − Σ g·y); y = logSoftmax(x): dx = g − exp(y) · Σ g.
registerGradient('softmax', ([g], { outputs: [y], attrs }) => {
  const dim = attrs.dim as number;
  return [y!.mul(g!.sub(g!.mul(y!).sum(dim, true)))];
});
registerGradient('logSoftmax', ([g], { outputs: [y], attrs }) => {
  const dim = attrs.dim as number;
  return [g!.sub(y!.exp().mul(g!.sum(dim, true)))];
});
