import { arange, cumprod, cumsum, logcumsumexp, type Tensor, where } from '@torchlet/tensor';
import { registerGradient } from '../registry.js';
import { oneHotAlong, productOfOthers } from './reduce.js';

interface ScanAttrs {
  dim: number;
  reverse: boolean;
  exclusive: boolean;
}

// The adjoint of a running sum is the running sum in the other direction.
registerGradient('cumsum', ([g], { attrs }) => {
  const { dim, reverse, exclusive } = attrs as unknown as ScanAttrs;
  return [cumsum(g!, dim, { reverse: !reverse, exclusive })];
});

/** A [.., n, n] mask, true where column k ≥ row i (k ≤ i when `reverse`). */
function triangle(n: number, reverse: boolean, device: string): Tensor {
  const idx = arange(n, undefined, 1, { dtype: 'int32', device });
  return reverse ? idx.reshape(1, n).le(idx.reshape(n, 1)) : idx.reshape(1, n).ge(idx.reshape(n, 1));
}

/**
 * cumprod: without zeros, dx = reverse-cumsum(g·y) / x. With zeros that division fails, so each
 * dx_i = Σ_{k≥i} g_k Π_{j≤k, j≠i} x_j is formed directly (O(n²) along the dim, only then): row i
 * of an [n, n] matrix is x with x_i replaced by 1, whose running product gives every term.
 */
registerGradient('cumprod', ([g], { inputs: [x], outputs: [y], attrs }) => {
  const { dim, reverse, exclusive } = attrs as unknown as ScanAttrs;
  if (exclusive) throw new Error('cumprod: no gradient for exclusive scans');
  if (!x!.eq(0).any().item()) {
    return [cumsum(g!.mul(y!), dim, { reverse: !reverse }).div(x!)];
  }
  const xm = x!.movedim(dim, -1);
  const gm = g!.movedim(dim, -1);
  const n = xm.shape[xm.ndim - 1]!;
  const terms = cumprod(productOfOthers(xm), -1, { reverse })
    .mul(triangle(n, reverse, x!.device))
    .mul(gm.unsqueeze(-2));
  return [terms.sum(-1).movedim(-1, dim)];
});

/**
 * logcumsumexp: dx_i = Σ_{k≥i} g_k exp(x_i − y_k), summed stably in log space separately for
 * positive and negative g (PyTorch's formulation).
 */
registerGradient('logcumsumexp', ([g], { inputs: [x], outputs: [y], attrs }) => {
  const { dim, reverse } = attrs as unknown as ScanAttrs;
  const lowest = x!.dtype === 'float32' ? -3.4028234663852886e38 : -Number.MAX_VALUE;
  const logPart = (mask: Tensor, magnitude: Tensor): Tensor =>
    logcumsumexp(where(mask, where(mask, magnitude, 1).log().sub(y!), lowest), dim, { reverse: !reverse });
  const pos = logPart(g!.gt(0), g!);
  const neg = logPart(g!.lt(0), g!.neg());
  return [pos.add(x!).exp().sub(neg.add(x!).exp())];
});

// cummax/cummin: each output's gradient goes to the index it came from.
function cumExtremeRule(name: string): void {
  registerGradient(name, ([g], { inputs: [x], outputs: [, indices], attrs }) => {
    const dim = attrs.dim as number;
    const im = indices!.movedim(dim, -1);
    const n = im.shape[im.ndim - 1]!;
    // hits[..., k, i]: output k came from input i.
    const hits = oneHotAlong(im.unsqueeze(-1), im.ndim, [...im.shape, n]);
    return [g!.movedim(dim, -1).unsqueeze(-1).mul(hits).sum(-2).movedim(-1, dim).reshape(x!.shape)];
  });
}
cumExtremeRule('cummax');
cumExtremeRule('cummin');
