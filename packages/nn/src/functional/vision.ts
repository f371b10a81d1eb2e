import { fmtShape, ShapeError, type Tensor } from '@torchlet/tensor';

export { interpolate, oneHot, pad } from '@torchlet/tensor';

/** Rearranges [*, C·r², H, W] into [*, C, H·r, W·r] (sub-pixel convolution). */
export function pixelShuffle(x: Tensor, upscaleFactor: number): Tensor {
  const r = upscaleFactor;
  const [c, h, w] = x.shape.slice(-3) as [number, number, number];
  if (x.ndim < 3 || c % (r * r) !== 0) {
    throw new ShapeError(
      `pixelShuffle: expected [*, C·${r * r}, H, W] with channels divisible by ${r * r}, got shape ${fmtShape(x.shape)}`,
    );
  }
  const lead = x.shape.slice(0, -3);
  const oc = c / (r * r);
  const k = lead.length;
  return x
    .reshape([...lead, oc, r, r, h, w])
    .permute([...lead.map((_, i) => i), k, k + 3, k + 1, k + 4, k + 2])
    .reshape([...lead, oc, h * r, w * r]);
}

/** The inverse of {@link pixelShuffle}: [*, C, H·r, W·r] into [*, C·r², H, W]. */
export function pixelUnshuffle(x: Tensor, downscaleFactor: number): Tensor {
  const r = downscaleFactor;
  const [c, h, w] = x.shape.slice(-3) as [number, number, number];
  if (x.ndim < 3 || h % r !== 0 || w % r !== 0) {
    throw new ShapeError(
      `pixelUnshuffle: expected height and width divisible by ${r}, got shape ${fmtShape(x.shape)}`,
    );
  }
  const lead = x.shape.slice(0, -3);
  const k = lead.length;
  return x
    .reshape([...lead, c, h / r, r, w / r, r])
    .permute([...lead.map((_, i) => i), k, k + 2, k + 4, k + 1, k + 3])
    .reshape([...lead, c * r * r, h / r, w / r]);
}

/**
 * Splits the C channels of [N, C, *] into `groups` groups and interleaves them (ShuffleNet):
 * channel g·(C/groups) + i moves to i·groups + g.
 */
export function channelShuffle(x: Tensor, groups: number): Tensor {
  const c = x.shape[1] ?? 0;
  if (!Number.isInteger(groups) || groups < 1) {
    throw new ShapeError(`channelShuffle: groups must be a positive integer, got ${groups}`);
  }
  if (x.ndim < 3 || c % groups !== 0) {
    throw new ShapeError(
      `channelShuffle: expected [N, C, *] with at least 3 dims and C divisible by ${groups} groups, got shape ${fmtShape(x.shape)}`,
    );
  }
  const [n, ...rest] = [x.shape[0]!, ...x.shape.slice(2)];
  return x
    .reshape([n, groups, c / groups, ...rest])
    .transpose(1, 2)
    .reshape(x.shape);
}
