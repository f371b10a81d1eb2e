import { gather, onesLike, scatter, scatterAdd, type Tensor, TorchletError, zeros } from '@torchlet/tensor';
import { type GradContext, registerGradient } from '../registry.js';

/**
 * Gather and scatter are each other's adjoints; every indexing op that copies (indexSelect,
 * indexAdd, advanced indexing, sort/topk values, …) records one of them, so these few rules
 * cover them all and stay differentiable to any order.
 */

function zerosOf(t: Tensor, like: Tensor): Tensor {
  return zeros(t.shape, { dtype: like.dtype, device: like.device });
}

registerGradient('gather', ([g], { inputs: [x, index], attrs }) => [
  scatterAdd(zerosOf(x!, g!), attrs.dim as number, index!, g!),
]);

// Overwritten positions get no gradient from `x`; `src` receives the gradient at its targets.
registerGradient('scatter', ([g], { inputs: [, index, src], attrs, needsInputGrad }) => {
  const dim = attrs.dim as number;
  return [
    needsInputGrad[0] ? scatter(g!, dim, index!, 0) : null,
    null,
    src && needsInputGrad[2] ? gather(g!, dim, index!) : null,
  ];
});

registerGradient('scatterAdd', ([g], { inputs: [, index], attrs, needsInputGrad }) => [
  g,
  null,
  needsInputGrad[2] ? gather(g!, attrs.dim as number, index!) : null,
]);

/** How many values land on each position of `x`. */
function landings(x: Tensor, index: Tensor, dim: number, like: Tensor): Tensor {
  return scatterAdd(zerosOf(x, like), dim, index, onesLike(index, { dtype: like.dtype }));
}

function sumOrMean(g: Tensor, ctx: GradContext, mean: boolean): (Tensor | null)[] {
  const [x, index] = ctx.inputs as Tensor[];
  const dim = ctx.attrs.dim as number;
  const includeSelf = ctx.attrs.includeSelf as boolean;
  const n = landings(x!, index!, dim, g);
  const hit = n.gt(0);
  if (!mean) return [includeSelf ? g : g.where(hit.logicalNot(), 0), null, gather(g, dim, index!)];
  const count = includeSelf ? n.add(1) : n.clamp(1);
  const share = g.div(count);
  return [includeSelf ? share : g.where(hit.logicalNot(), 0), null, gather(share, dim, index!)];
}

// amax/amin: the gradient is shared equally among all values equal to the result, as PyTorch.
function extreme(g: Tensor, ctx: GradContext): (Tensor | null)[] {
  const [x, index, src] = ctx.inputs as Tensor[];
  const [out] = ctx.outputs as Tensor[];
  const dim = ctx.attrs.dim as number;
  const srcHit = src!.eq(gather(out!, dim, index!)).to(g.dtype);
  const selfHit = (ctx.attrs.includeSelf ? x!.eq(out!) : landings(x!, index!, dim, g).eq(0)).to(g.dtype);
  const count = scatterAdd(selfHit, dim, index!, srcHit);
  const share = g.div(count);
  return [share.mul(selfHit), null, gather(share, dim, index!).mul(srcHit)];
}

registerGradient('scatterReduce', ([g], ctx) => {
  const reduce = ctx.attrs.reduce as string;
  if (reduce === 'sum' || reduce === 'mean') return sumOrMean(g!, ctx, reduce === 'mean');
  if (reduce === 'amax' || reduce === 'amin') return extreme(g!, ctx);
  throw new TorchletError(
    `backward: the gradient of scatterReduce with reduce '${reduce}' is not implemented`,
  );
});
