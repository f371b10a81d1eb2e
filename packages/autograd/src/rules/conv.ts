import {
  type ConvGeometry,
  conv2dBackwardInput,
  conv2dBackwardWeight,
  convolution2d,
  foldBlocks,
  unfoldBlocks,
} from '@torchlet/tensor';
import { registerGradient } from '../registry.js';

/**
 * Convolution is bilinear: y = conv(x, w). Its input gradient convᵀ(g, w) and weight gradient
 * g ⋆ x are convolutions again, so the three ops differentiate into each other and derivatives
 * of any order need no other kernel. For z = convᵀ(g, w): ⟨h, z⟩ = ⟨conv(h, w), g⟩, so
 * dg = conv(h, w) and dw = h ⋆ g; for z = g ⋆ x: ⟨h, z⟩ = ⟨g, conv(x, h)⟩, so
 * dx = convᵀ(g, h) and dg = conv(x, h).
 */
const geometry = (attrs: object) => attrs as ConvGeometry;

// conv3d and its backward ops share the rules: the primitives pick 2-D or 3-D by the geometry.
for (const nd of ['conv2d', 'conv3d']) {
  registerGradient(nd, ([g], { inputs: [x, w, b], attrs, needsInputGrad }) => [
    needsInputGrad[0] ? conv2dBackwardInput(g!, w!, geometry(attrs)) : null,
    needsInputGrad[1] ? conv2dBackwardWeight(x!, g!, geometry(attrs)) : null,
    // Every dim but the channels: [0, 2, 3] or [0, 2, 3, 4].
    b && needsInputGrad[2] ? g!.sum([0, ...geometry(attrs).outSize.map((_, i) => i + 2)]) : null,
  ]);

  registerGradient(`${nd}BackwardInput`, ([h], { inputs: [g, w], attrs, needsInputGrad }) => [
    needsInputGrad[0] ? convolution2d(h!, w!, null, geometry(attrs)) : null,
    needsInputGrad[1] ? conv2dBackwardWeight(h!, g!, geometry(attrs)) : null,
  ]);

  registerGradient(`${nd}BackwardWeight`, ([h], { inputs: [x, g], attrs, needsInputGrad }) => [
    needsInputGrad[0] ? conv2dBackwardInput(g!, h!, geometry(attrs)) : null,
    needsInputGrad[1] ? convolution2d(x!, h!, null, geometry(attrs)) : null,
  ]);
}

registerGradient('unfold', ([g], { attrs }) => [foldBlocks(g!, geometry(attrs))]);
registerGradient('fold', ([g], { attrs }) => [unfoldBlocks(g!, geometry(attrs))]);
