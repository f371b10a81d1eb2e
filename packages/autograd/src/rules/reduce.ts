import { arange, exp, isnan, type Tensor, where } from '@torchlet/tensor';
import { type GradRule, registerGradient } from '../registry.js';

/** Re-inserts reduced dims (as size 1) into a gradient computed without keepdim. */
export function unsqueezeDims(g: Tensor, dims: readonly number[], keepdim: boolean): Tensor {
  if (keepdim) return g;
  let out = g;
  for (const d of [...dims].sort((a, b) => a - b)) out = out.unsqueeze(d);
  return out;
}

/**
 * A bool mask of `shape` that is true where the position along `dim` equals `indices` (which has
 * size 1 at `dim`): the one-hot scatter target of max/min/cummax gradients, built without scatter.
 */
export function oneHotAlong(indices: Tensor, dim: number, shape: readonly number[]): Tensor {
  const positions = arange(shape[dim]!, undefined, 1, { dtype: 'int32', device: indices.device });
  const view = shape.map((n, d) => (d === dim ? n : 1));
  return positions.reshape(view).eq(indices);
}

/** Number of elements reduced into each output of a reduction over `dims`. */
function reducedCount(x: Tensor, dims: readonly number[]): number {
  return dims.reduce((n, d) => n * x.shape[d]!, 1);
}

interface ReduceAttrs {
  dims: number[];
  keepdim: boolean;
}

/** Registers a rule for a reduction, with the gradient and output unsqueezed to keepdim form. */
function reduceRule(
  name: string,
  d: (x: Tensor, y: Tensor, g: Tensor, attrs: ReduceAttrs & Record<string, unknown>) => Tensor,
): void {
  registerGradient(name, ([g], { inputs: [x], outputs: [y], attrs }) => {
    const a = attrs as ReduceAttrs & Record<string, unknown>;
    return [d(x!, unsqueezeDims(y!, a.dims, a.keepdim), unsqueezeDims(g!, a.dims, a.keepdim), a)];
  });
}

reduceRule('sum', (x, _y, g) => g.expand(x.shape));
reduceRule('nansum', (x, _y, g) => g.mul(isnan(x).logicalNot()));

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

// max/min along a dim: the whole gradient goes to the selected index (as PyTorch, unlike amax).
const indexRule: GradRule = ([g], { inputs: [x], outputs: [, indices], attrs }) => {
  const [dim] = attrs.dims as number[];
  const keepdim = attrs.keepdim as boolean;
  const mask = oneHotAlong(unsqueezeDims(indices!, [dim!], keepdim), dim!, x!.shape);
  return [unsqueezeDims(g!, [dim!], keepdim).mul(mask)];
};
registerGradient('maxDim', indexRule);
registerGradient('minDim', indexRule);

/**
 * The [.., n, n] matrix whose row i is x (along its last dim) with x_i replaced by 1: its product
 * along the last dim is Π_{j≠i} x_j, formed without dividing, so exact with zeros to every order
 * of differentiation (O(n²), used only when there are zeros).
 */
export function productOfOthers(x: Tensor): Tensor {
  const n = x.shape[x.ndim - 1]!;
  const eye = oneHotAlong(arange(n, undefined, 1, { dtype: 'int32', device: x.device }).reshape(n, 1), 1, [
    n,
    n,
  ]);
  return where(eye, 1, x.unsqueeze(-2).expand([...x.shape.slice(0, -1), n, n]));
}

/** ∂ Π x / ∂ x_i = Π_{j≠i} x_j: y / x_i without zeros, else products of the others. */
reduceRule('prod', (x, y, g, { dims }) => {
  if (!x.eq(0).any().item()) return g.mul(y).div(x);
  const kept = x.shape.map((_, d) => d).filter((d) => !dims.includes(d));
  const order = [...kept, ...dims];
  const inverse = order.map((_, d) => order.indexOf(d));
  const moved = x.permute(order);
  const flat = moved.reshape([...kept.map((d) => x.shape[d]!), -1]);
  const others = productOfOthers(flat).prod(-1).reshape(moved.shape).permute(inverse);
  return g.mul(others);
});

/** d var / dx = 2 (x − mean) / (N − correction); for std, divided by 2 std. */
function varianceGrad(x: Tensor, out: Tensor, g: Tensor, attrs: Record<string, unknown>): Tensor {
  const dims = attrs.dims as number[];
  const denom = Math.max(0, reducedCount(x, dims) - (attrs.correction as number));
  const centered = x.sub(x.mean(dims, true));
  if (attrs.std) return g.mul(centered).div(out.mul(denom));
  return g.mul(centered).mul(2 / denom);
}
reduceRule('var', (x, y, g, attrs) => varianceGrad(x, y, g, attrs));
registerGradient('varMean', ([gv, gm], { inputs: [x], outputs: [v], attrs }) => {
  const dims = attrs.dims as number[];
  const keepdim = attrs.keepdim as boolean;
  const fromVar = varianceGrad(
    x!,
    unsqueezeDims(v!, dims, keepdim),
    unsqueezeDims(gv!, dims, keepdim),
    attrs,
  );
  return [fromVar.add(unsqueezeDims(gm!, dims, keepdim).div(reducedCount(x!, dims)))];
});

reduceRule('logsumexp', (x, y, g) => g.mul(exp(x.sub(y))));

/**
 * Vector norms, with PyTorch's conventions: 0 where the norm is 0 (p = 2 and general p), sign(x)
 * for p = 1, shared equally among the maximal |x| for p = ±∞, nothing for p = 0.
 */
reduceRule('norm', (x, y, g, attrs) => {
  const p = attrs.p as number;
  const dims = attrs.dims;
  if (p === 0) return x.mul(0).mul(g);
  if (p === 1) return g.mul(x.sign());
  if (p === Number.POSITIVE_INFINITY || p === Number.NEGATIVE_INFINITY) {
    const mask = x.abs().eq(y);
    return g.mul(x.sign()).mul(mask).div(mask.sum(dims, true));
  }
  const zero = y.eq(0);
  const safe = where(zero, 1, y);
  const scaled = p === 2 ? x.div(safe) : x.mul(x.abs().pow(p - 2)).div(safe.pow(p - 1));
  return where(zero, 0, g.mul(scaled));
});
