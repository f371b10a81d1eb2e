import type { Tensor } from '@torchlet/tensor';
import { type GradRule, registerGradient } from '../registry.js';

/** Re-inserts reduced dims (as size 1) into a gradient computed without keepdim. */
export function unsqueezeDims(g: Tensor, dims: readonly number[], keepdim: boolean): Tensor {
  if (keepdim) return g;
  let out = g;
  for (const d of [...dims].sort((a, b) => a - b)) out = out.unsqueeze(d);
  return out;
}

registerGradient('sum', ([g], { inputs: [x], attrs }) => [
  unsqueezeDims(g!, attrs.dims as number[], attrs.keepdim as boolean).expand(x!.shape),
]);

// amax/amin: the gradient is shared equally among the elements that attain the extreme.
const extremeRule: GradRule = ([g], { inputs: [x], outputs: [y], attrs }) => {
  const dims = attrs.dims as number[];
  const keepdim = attrs.keepdim as boolean;
  const mask = x!.eq(unsqueezeDims(y!, dims, keepdim));
  const count = mask.sum(dims, true);
  return [unsqueezeDims(g!, dims, keepdim).mul(mask).div(count)];
};
registerGradient('amax', extremeRule);
registerGradient('amin', extremeRule);
