import { record } from '../autograd-hooks.js';
import { run1, runKernel } from '../backend.js';
import { type DType, isFloating } from '../dtype.js';
import { DTypeError, fmtShape, IndexError, TorchletError } from '../errors.js';
import { normalizeDims } from '../shape.js';
import { Tensor } from '../tensor.js';
import { div, isnan, logicalNot, maximum, minimum } from './elementwise.js';
import { installMethods } from './methods.js';

/** Which dims to reduce: one, several, or all (undefined); negative dims count from the end. */
export type Dims = number | readonly number[] | undefined;

export interface ReduceOptions {
  /** Keep reduced dims as size 1 (default false). */
  keepdim?: boolean;
  /** Accumulate and return in this dtype. */
  dtype?: DType;
}

/** `keepdim` positionally (`x.sum(1, true)`, as in PyTorch) or in an options object. */
export type KeepdimArg = boolean | ReduceOptions | undefined;

/** Reads the options of a reduction given as `keepdim` or as an options object. */
export function reduceOptions(arg: KeepdimArg): ReduceOptions {
  return typeof arg === 'boolean' ? { keepdim: arg } : (arg ?? {});
}

/** Runs reduction kernel `name` over `dims`; shared by the reductions of this package. */
export function reduce(name: string, x: Tensor, dims: Dims, keepdim: boolean, dtype: DType): Tensor {
  const d = normalizeDims(dims, x.ndim, name);
  return run1(name, [x], { dims: d, keepdim, dtype });
}

function checkNonEmpty(op: string, x: Tensor, dims: number[]): void {
  for (const d of dims) {
    if (x.shape[d] === 0)
      throw new IndexError(
        `${op}: cannot reduce over dim ${d} of size 0 in a tensor of shape ${fmtShape(x.shape)}`,
      );
  }
}

/** Sum over `dims` (all when omitted). Integer and bool inputs sum to int32. */
export function sum(x: Tensor, dims?: Dims, keepdimOrOptions?: KeepdimArg): Tensor {
  const options = reduceOptions(keepdimOrOptions);
  const keepdim = options.keepdim ?? false;
  const dtype = options.dtype ?? (isFloating(x.dtype) ? x.dtype : 'int32');
  const input = dtype === x.dtype ? x : x.to(dtype);
  const d = normalizeDims(dims, x.ndim, 'sum');
  return record('sum', [input], run1('sum', [input], { dims: d, keepdim, dtype }), { dims: d, keepdim });
}

/** Mean over `dims`; integer inputs need a floating `dtype`, as in PyTorch. */
export function mean(x: Tensor, dims?: Dims, keepdimOrOptions?: KeepdimArg): Tensor {
  const options = reduceOptions(keepdimOrOptions);
  const dtype = options.dtype ?? x.dtype;
  if (!isFloating(dtype)) {
    throw new DTypeError(
      `mean: could not infer output dtype; input dtype is ${x.dtype}, pass { dtype: 'float32' } or convert the input`,
    );
  }
  const d = normalizeDims(dims, x.ndim, 'mean');
  const count = d.reduce((n, i) => n * x.shape[i]!, 1);
  return div(sum(x, d, { keepdim: options.keepdim ?? false, dtype }), count);
}

/** Largest values over `dims` (NaN propagates); gradient split evenly among ties. */
export function amax(x: Tensor, dims?: Dims, keepdimOrOptions?: KeepdimArg): Tensor {
  const keepdim = reduceOptions(keepdimOrOptions).keepdim ?? false;
  const d = normalizeDims(dims, x.ndim, 'amax');
  checkNonEmpty('amax', x, d);
  return record('amax', [x], run1('amax', [x], { dims: d, keepdim, dtype: x.dtype }), { dims: d, keepdim });
}

/** Smallest values over `dims` (NaN propagates); gradient split evenly among ties. */
export function amin(x: Tensor, dims?: Dims, keepdimOrOptions?: KeepdimArg): Tensor {
  const keepdim = reduceOptions(keepdimOrOptions).keepdim ?? false;
  const d = normalizeDims(dims, x.ndim, 'amin');
  checkNonEmpty('amin', x, d);
  return record('amin', [x], run1('amin', [x], { dims: d, keepdim, dtype: x.dtype }), { dims: d, keepdim });
}

/** The result of `max`/`min`/`cummax`/`cummin` along a dim: destructure as `[values, indices]` or by name. */
export type ValuesIndicesTuple = [Tensor, Tensor] & { values: Tensor; indices: Tensor };

/** Pairs values with their int32 indices, like PyTorch's named tuple. */
export function valuesIndices(values: Tensor, indices: Tensor): ValuesIndicesTuple {
  return Object.assign([values, indices] as [Tensor, Tensor], { values, indices });
}

function checkNotBool(op: string, x: Tensor): void {
  if (x.dtype === 'bool') throw new DTypeError(`${op}: not implemented for bool tensors`);
}

function checkFloating(op: string, x: Tensor): void {
  if (!isFloating(x.dtype)) {
    throw new DTypeError(`${op}: expected a floating tensor (float32 or float64), got ${x.dtype}`);
  }
}

/** Index of the largest value along `dim` (of the flattened tensor when omitted), as int32. */
export function argmax(x: Tensor, dim?: number, keepdimOrOptions?: KeepdimArg): Tensor {
  return argExtreme('argmax', x, dim, keepdimOrOptions);
}

/** Index of the smallest value along `dim` (of the flattened tensor when omitted), as int32. */
export function argmin(x: Tensor, dim?: number, keepdimOrOptions?: KeepdimArg): Tensor {
  return argExtreme('argmin', x, dim, keepdimOrOptions);
}

function argExtreme(op: 'argmax' | 'argmin', x: Tensor, dim: number | undefined, arg: KeepdimArg): Tensor {
  checkNotBool(op, x);
  const keepdim = reduceOptions(arg).keepdim ?? false;
  const input = dim === undefined ? x.reshape(-1) : x;
  const d = normalizeDims(dim ?? 0, input.ndim, op);
  checkNonEmpty(op, input, d);
  return run1(op, [input], { dims: d, keepdim: dim === undefined ? false : keepdim, dtype: 'int32' });
}

/**
 * The largest element (a 0-d tensor) when called with no dim; along `dim`, the largest values and
 * the int32 index of their first occurrence (NaN counts as largest), with gradient to that index;
 * with a tensor, the elementwise `maximum`.
 *
 * @example const [values, indices] = max(x, 1);
 */
export function max(x: Tensor): Tensor;
export function max(x: Tensor, other: Tensor): Tensor;
export function max(x: Tensor, dim: number, keepdimOrOptions?: KeepdimArg): ValuesIndicesTuple;
export function max(
  x: Tensor,
  dim?: number | Tensor,
  keepdimOrOptions?: KeepdimArg,
): Tensor | ValuesIndicesTuple {
  return extreme('max', x, dim, keepdimOrOptions);
}

/** The smallest element, or along `dim` the smallest values and indices; see {@link max}. */
export function min(x: Tensor): Tensor;
export function min(x: Tensor, other: Tensor): Tensor;
export function min(x: Tensor, dim: number, keepdimOrOptions?: KeepdimArg): ValuesIndicesTuple;
export function min(
  x: Tensor,
  dim?: number | Tensor,
  keepdimOrOptions?: KeepdimArg,
): Tensor | ValuesIndicesTuple {
  return extreme('min', x, dim, keepdimOrOptions);
}

function extreme(
  op: 'max' | 'min',
  x: Tensor,
  dim: number | Tensor | undefined,
  arg: KeepdimArg,
): Tensor | ValuesIndicesTuple {
  if (dim instanceof Tensor) return op === 'max' ? maximum(x, dim) : minimum(x, dim);
  if (dim === undefined) {
    if (x.numel() === 0)
      throw new IndexError(`${op}: expected a non-empty tensor, got shape ${fmtShape(x.shape)}`);
    return op === 'max' ? amax(x) : amin(x);
  }
  const keepdim = reduceOptions(arg).keepdim ?? false;
  const d = normalizeDims(dim, x.ndim, op);
  checkNonEmpty(op, x, d);
  const kernel = op === 'max' ? 'maxDim' : 'minDim';
  const attrs = { dims: d, keepdim };
  const [values, indices] = runKernel(kernel, [x], attrs) as Tensor[];
  record(kernel, [x], [values!, indices!], attrs);
  return valuesIndices(values!, indices!);
}

/** Product over `dims` (all when omitted); integer and bool inputs give int32 (wrapping). */
export function prod(x: Tensor, dims?: Dims, keepdimOrOptions?: KeepdimArg): Tensor {
  const options = reduceOptions(keepdimOrOptions);
  const keepdim = options.keepdim ?? false;
  const dtype = options.dtype ?? (isFloating(x.dtype) ? x.dtype : 'int32');
  const input = dtype === x.dtype ? x : x.to(dtype);
  const d = normalizeDims(dims, x.ndim, 'prod');
  return record('prod', [input], run1('prod', [input], { dims: d, keepdim, dtype }), { dims: d, keepdim });
}

/** Options of `var`, `std`, `varMean` and `stdMean`. */
export interface VarOptions {
  /** Subtracted from the element count in the denominator (default 1, Bessel's correction). */
  correction?: number;
  /** PyTorch's older alias: `unbiased: false` is `correction: 0`. */
  unbiased?: boolean;
  keepdim?: boolean;
}

function varianceParts(op: string, x: Tensor, dims: Dims, options: VarOptions, std: boolean): Tensor[] {
  checkFloating(op, x);
  const correction = options.correction ?? (options.unbiased === false ? 0 : 1);
  const d = normalizeDims(dims, x.ndim, op);
  const attrs = { dims: d, keepdim: options.keepdim ?? false, correction, std };
  return runKernel('var', [x], attrs) as Tensor[];
}

/**
 * Variance over `dims` (all when omitted) with `correction` (default 1: divides by N − 1).
 *
 * @example var(x, 1, { correction: 0, keepdim: true })
 */
export function variance(x: Tensor, dims?: Dims, options: VarOptions = {}): Tensor {
  const [v] = varianceParts('var', x, dims, options, false);
  return record('var', [x], v!, varAttrs(x, dims, options, false));
}

/** Standard deviation over `dims`: the square root of {@link variance}. */
export function std(x: Tensor, dims?: Dims, options: VarOptions = {}): Tensor {
  const [s] = varianceParts('std', x, dims, options, true);
  return record('var', [x], s!, varAttrs(x, dims, options, true));
}

/** Variance and mean in one pass over the data, as `torch.var_mean`. */
export function varMean(x: Tensor, dims?: Dims, options: VarOptions = {}): [Tensor, Tensor] {
  const [v, m] = varianceParts('varMean', x, dims, options, false);
  record('varMean', [x], [v!, m!], varAttrs(x, dims, options, false));
  return [v!, m!];
}

/** Standard deviation and mean, as `torch.std_mean`. */
export function stdMean(x: Tensor, dims?: Dims, options: VarOptions = {}): [Tensor, Tensor] {
  const [s, m] = varianceParts('stdMean', x, dims, options, true);
  record('varMean', [x], [s!, m!], varAttrs(x, dims, options, true));
  return [s!, m!];
}

function varAttrs(x: Tensor, dims: Dims, options: VarOptions, isStd: boolean) {
  return {
    dims: normalizeDims(dims, x.ndim, 'var'),
    keepdim: options.keepdim ?? false,
    correction: options.correction ?? (options.unbiased === false ? 0 : 1),
    std: isStd,
  };
}

/**
 * log Σ exp(x) over `dims`, stable for large values; rows of −∞ give −∞. Integer inputs are
 * converted to float32.
 */
export function logsumexp(x: Tensor, dims?: Dims, keepdimOrOptions?: KeepdimArg): Tensor {
  const keepdim = reduceOptions(keepdimOrOptions).keepdim ?? false;
  const input = isFloating(x.dtype) ? x : x.to('float32');
  const d = normalizeDims(dims, x.ndim, 'logsumexp');
  return record('logsumexp', [input], run1('logsumexp', [input], { dims: d, keepdim }), { dims: d, keepdim });
}

/** Which vector norm: a number p (including ±Infinity and 0) or `'fro'` (p = 2). */
export type VectorOrd = number | 'fro';

/**
 * The vector p-norm over `dims` (all when omitted): (Σ|x|^p)^(1/p), max |x| for Infinity, min |x|
 * for −Infinity, the count of nonzeros for 0. The gradient at 0 is 0 for p = 2, as in PyTorch.
 *
 * @example norm(x)              // Frobenius / 2-norm of all elements
 * @example norm(x, 1, -1, true) // L1 norm of each row, kept as a column
 */
export function norm(x: Tensor, p: VectorOrd = 'fro', dims?: Dims, keepdimOrOptions?: KeepdimArg): Tensor {
  checkFloating('norm', x);
  const ord = p === 'fro' ? 2 : p;
  if (typeof ord !== 'number' || Number.isNaN(ord)) {
    throw new TorchletError(`norm: p must be a number, Infinity, -Infinity or 'fro', got ${String(p)}`);
  }
  const keepdim = reduceOptions(keepdimOrOptions).keepdim ?? false;
  const d = normalizeDims(dims, x.ndim, 'norm');
  if (Math.abs(ord) === Number.POSITIVE_INFINITY) checkNonEmpty('norm', x, d);
  const attrs = { dims: d, keepdim, p: ord, dtype: x.dtype };
  return record('norm', [x], run1('norm', [x], attrs), attrs);
}

/** Number of nonzero elements over `dims`, as int32 (PyTorch: int64). */
export function countNonzero(x: Tensor, dims?: Dims): Tensor {
  return reduce('countNonzero', x, dims, false, 'int32');
}

/** Sum over `dims` treating NaN as zero. */
export function nansum(x: Tensor, dims?: Dims, keepdimOrOptions?: KeepdimArg): Tensor {
  const options = reduceOptions(keepdimOrOptions);
  const keepdim = options.keepdim ?? false;
  const dtype = options.dtype ?? (isFloating(x.dtype) ? x.dtype : 'int32');
  const input = dtype === x.dtype ? x : x.to(dtype);
  const d = normalizeDims(dims, x.ndim, 'nansum');
  return record('nansum', [input], run1('nansum', [input], { dims: d, keepdim, dtype }), {
    dims: d,
    keepdim,
  });
}

/** Whether all elements (over `dims`) are nonzero; bool. */
export function all(x: Tensor, dims?: Dims, keepdimOrOptions?: KeepdimArg): Tensor {
  return reduce('all', x, dims, reduceOptions(keepdimOrOptions).keepdim ?? false, 'bool');
}

/** Whether any element (over `dims`) is nonzero; bool. */
export function any(x: Tensor, dims?: Dims, keepdimOrOptions?: KeepdimArg): Tensor {
  return reduce('any', x, dims, reduceOptions(keepdimOrOptions).keepdim ?? false, 'bool');
}

/** Mean over `dims` of the elements that are not NaN (NaN where all are). */
export function nanmean(x: Tensor, dims?: Dims, keepdimOrOptions?: KeepdimArg): Tensor {
  checkFloating('nanmean', x);
  const keepdim = reduceOptions(keepdimOrOptions).keepdim ?? false;
  const count = sum(logicalNot(isnan(x)), dims, { keepdim, dtype: x.dtype });
  return div(nansum(x, dims, keepdim), count);
}

installMethods({
  sum,
  mean,
  amax,
  amin,
  argmax,
  argmin,
  all,
  any,
  max,
  min,
  prod,
  var: variance,
  std,
  varMean,
  stdMean,
  logsumexp,
  countNonzero,
  nansum,
  nanmean,
});

declare module '../tensor.js' {
  interface Tensor {
    sum(dims?: Dims, keepdim?: KeepdimArg): Tensor;
    mean(dims?: Dims, keepdim?: KeepdimArg): Tensor;
    amax(dims?: Dims, keepdim?: KeepdimArg): Tensor;
    amin(dims?: Dims, keepdim?: KeepdimArg): Tensor;
    argmax(dim?: number, keepdim?: KeepdimArg): Tensor;
    argmin(dim?: number, keepdim?: KeepdimArg): Tensor;
    all(dims?: Dims, keepdim?: KeepdimArg): Tensor;
    any(dims?: Dims, keepdim?: KeepdimArg): Tensor;
    max(): Tensor;
    max(other: Tensor): Tensor;
    max(dim: number, keepdim?: KeepdimArg): ValuesIndicesTuple;
    min(): Tensor;
    min(other: Tensor): Tensor;
    min(dim: number, keepdim?: KeepdimArg): ValuesIndicesTuple;
    prod(dims?: Dims, keepdim?: KeepdimArg): Tensor;
    var(dims?: Dims, options?: VarOptions): Tensor;
    std(dims?: Dims, options?: VarOptions): Tensor;
    varMean(dims?: Dims, options?: VarOptions): [Tensor, Tensor];
    stdMean(dims?: Dims, options?: VarOptions): [Tensor, Tensor];
    logsumexp(dims?: Dims, keepdim?: KeepdimArg): Tensor;
    countNonzero(dims?: Dims): Tensor;
    nansum(dims?: Dims, keepdim?: KeepdimArg): Tensor;
    nanmean(dims?: Dims, keepdim?: KeepdimArg): Tensor;
  }
}

// `var` is a reserved word, so the function is `variance` and exported under PyTorch's name too.
export { variance as var };
