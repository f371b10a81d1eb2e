import { flip, narrow, subview, subviewScatter, type Tensor, type ViewMap, zeros } from '@torchlet/tensor';
import { registerGradient } from '../registry.js';
import { sumTo } from '../sum-to.js';

const pass = ([g]: readonly Tensor[]) => [g];

registerGradient('contiguous', pass);
registerGradient('clone', pass);
registerGradient('cast', ([g], { inputs: [x] }) => [g!.to(x!.dtype)]);
registerGradient('toDevice', ([g], { inputs: [x] }) => [g!.to(x!.device)]);
registerGradient('reshape', ([g], { attrs }) => [g!.reshape(attrs.shape as number[])]);
registerGradient('expand', ([g], { attrs }) => [sumTo(g!, attrs.shape as number[])]);
registerGradient('permute', ([g], { attrs }) => {
  const dims = attrs.dims as number[];
  const inverse = new Array<number>(dims.length);
  dims.forEach((d, i) => {
    inverse[d] = i;
  });
  return [g!.permute(inverse)];
});

// Strided sub-views (narrow, select, slices, diagonal, basic indexing) and their adjoint: the
// gradient of a view is scattered into zeros, the gradient of a scatter is viewed again, so
// derivatives of any order stay inside these two ops.
registerGradient('subview', ([g], { inputs: [x], attrs }) => [
  subviewScatter(zeros(x!.shape, { dtype: g!.dtype, device: g!.device }), g!, attrs.map as ViewMap),
]);
registerGradient('subviewScatter', ([g], { inputs: [, src], attrs, needsInputGrad }) => {
  const map = attrs.map as ViewMap;
  return [
    needsInputGrad[0] ? subviewScatter(g!, 0, map) : null,
    needsInputGrad[1] ? sumTo(subview(g!, map), src!.shape) : null,
  ];
});
registerGradient('cat', ([g], { attrs }) => {
  const dim = attrs.dim as number;
  let offset = 0;
  return (attrs.sizes as number[]).map((size) => {
    const piece = narrow(g!, dim, offset, size);
    offset += size;
    return piece;
  });
});
registerGradient('flip', ([g], { attrs }) => [flip(g!, attrs.dims as number[])]);
