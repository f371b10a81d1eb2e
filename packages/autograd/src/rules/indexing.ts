import {
  gather,
  onesLike,
  scatter,
  scatterAdd,
  scatterReduce,
  type Tensor,
  TorchletError,
  where,
  zeros,
} from '@torchlet/tensor';
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

/**
 * prod: PyTorch's rule. Each factor's gradient is the product of the others, computed without
 * dividing by zero: a zero in `x` is masked to 1 and the position re-reduced; a src value that
 * is the only zero landing on its position gets the product with it masked to 1.
 */
function prod(g: Tensor, ctx: GradContext): (Tensor | null)[] {
  const [x, index, src] = ctx.inputs as Tensor[];
  const [out] = ctx.outputs as Tensor[];
  const dim = ctx.attrs.dim as number;
  const includeSelf = ctx.attrs.includeSelf as boolean;
  const options = { includeSelf };
  let gradSelf: Tensor | null = null;
  if (ctx.needsInputGrad[0]) {
    const selfZero = x!.eq(0);
    const maskedSelf = x!.where(selfZero.logicalNot(), 1);
    const others = scatterReduce(maskedSelf, dim, index!, src!, 'prod', options);
    gradSelf = g.mul(others).div(maskedSelf);
    if (!includeSelf) gradSelf = scatter(gradSelf, dim, index!, 0);
  }
  let gradSrc: Tensor | null = null;
  if (ctx.needsInputGrad[2]) {
    const srcZero = src!.eq(0);
    const zerosHere = gather(scatterAdd(zerosOf(x!, g), dim, index!, srcZero.to(g.dtype)), dim, index!);
    const singleZero = srcZero.logicalAnd(zerosHere.eq(1));
    const othersOfZero = scatterReduce(
      x!,
      dim,
      index!,
      src!.where(singleZero.logicalNot(), 1),
      'prod',
      options,
    );
    gradSrc = where(
      singleZero,
      gather(g.mul(othersOfZero), dim, index!),
      gather(g.mul(out!), dim, index!).div(src!.where(srcZero.logicalNot(), 1)),
    );
  }
  return [gradSelf, null, gradSrc];
}

registerGradient('scatterReduce', ([g], ctx) => {
  const reduce = ctx.attrs.reduce as string;
  if (reduce === 'prod') return prod(g!, ctx);
  if (reduce === 'sum' || reduce === 'mean') return sumOrMean(g!, ctx, reduce === 'mean');
  if (reduce === 'amax' || reduce === 'amin') return extreme(g!, ctx);
  throw new TorchletError(
    `backward: the gradient of scatterReduce with reduce '${reduce}' is not implemented`,
  );
});
