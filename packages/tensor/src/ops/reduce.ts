import { record } from '../autograd-hooks.js';
import { run1, runKernel } from '../backend.js';
import { type DType, isFloating } from '../dtype.js';
import { DTypeError, fmtShape, IndexError } from '../errors.js';
import { normalizeDims } from '../shape.js';
import { Tensor } from '../tensor.js';
import { checkFloating, checkNonEmpty, checkNotBool } from './checks.js';
import { div, isnan, logicalNot, maximum, minimum } from './elementwise.js';
import { installMethods } from './methods.js';
import { namedTuple } from './named-tuple.js';

/** Which dims to reduce: one, several, or all (undefined); negative dims count from the end. */
export type Dims = number | readonly number[] | undefined;

/** Options of the reductions (`sum`, `mean`, `amax`, …), PyTorch's `keepdim` and `dtype` keywords. */
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

/**
 * An accumulating reduction (`sum`, `prod`, `nansum`): integer and bool inputs accumulate in
 * int32 unless `dtype` says otherwise, and the input is converted to that dtype first.
 */
function accumulate(op: 'sum' | 'prod' | 'nansum', x: Tensor, dims: Dims, arg: KeepdimArg): Tensor {
  const options = reduceOptions(arg);
  const keepdim = options.keepdim ?? false;
  const dtype = options.dtype ?? (isFloating(x.dtype) ? x.dtype : 'int32');
  const input = dtype === x.dtype ? x : x.to(dtype);
  const d = normalizeDims(dims, x.ndim, op);
  return record(op, [input], run1(op, [input], { dims: d, keepdim, dtype }), { dims: d, keepdim });
}

/** Sum over `dims` (all when omitted). Integer and bool inputs sum to int32. */
export function sum(x: Tensor, dims?: Dims, keepdimOrOptions?: KeepdimArg): Tensor {
  return accumulate('sum', x, dims, keepdimOrOptions);
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

function extremum(op: 'amax' | 'amin', x: Tensor, dims: Dims, arg: KeepdimArg): Tensor {
  const keepdim = reduceOptions(arg).keepdim ?? false;
  const d = normalizeDims(dims, x.ndim, op);
  checkNonEmpty(op, x, d);
  return record(op, [x], run1(op, [x], { dims: d, keepdim, dtype: x.dtype }), { dims: d, keepdim });
}

/** Largest values over `dims` (NaN propagates); gradient split evenly among ties. */
export function amax(x: Tensor, dims?: Dims, keepdimOrOptions?: KeepdimArg): Tensor {
  return extremum('amax', x, dims, keepdimOrOptions);
}

/** Smallest values over `dims` (NaN propagates); gradient split evenly among ties. */
export function amin(x: Tensor, dims?: Dims, keepdimOrOptions?: KeepdimArg): Tensor {
  return extremum('amin', x, dims, keepdimOrOptions);
}

/** The result of `max`/`min`/`cummax`/`cummin` along a dim: destructure as `[values, indices]` or by name. */
export type ValuesIndices = [values: Tensor, indices: Tensor] & { values: Tensor; indices: Tensor };

/** Pairs values with their int32 indices, like PyTorch's named tuple. */
export function valuesIndices(values: Tensor, indices: Tensor): ValuesIndices {
  return namedTuple<ValuesIndices>(['values', 'indices'], [values, indices]);
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
export function max(x: Tensor, dim: number, keepdimOrOptions?: KeepdimArg): ValuesIndices;
export function max(x: Tensor, dim?: number | Tensor, keepdimOrOptions?: KeepdimArg): Tensor | ValuesIndices {
  return extreme('max', x, dim, keepdimOrOptions);
}

/** The smallest element, or along `dim` the smallest values and indices; see {@link max}. */
export function min(x: Tensor): Tensor;
export function min(x: Tensor, other: Tensor): Tensor;
export function min(x: Tensor, dim: number, keepdimOrOptions?: KeepdimArg): ValuesIndices;
export function min(x: Tensor, dim?: number | Tensor, keepdimOrOptions?: KeepdimArg): Tensor | ValuesIndices {
  return extreme('min', x, dim, keepdimOrOptions);
}

function extreme(
  op: 'max' | 'min',
  x: Tensor,
  dim: number | Tensor | undefined,
  arg: KeepdimArg,
): Tensor | ValuesIndices {
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
  return accumulate('prod', x, dims, keepdimOrOptions);
}

/** Options of `var`, `std`, `varMean` and `stdMean`. */
export interface VarOptions {
  /** Subtracted from the element count in the denominator (default 1, Bessel's correction). */
  correction?: number;
  /** PyTorch's older alias: `unbiased: false` is `correction: 0`. */
  unbiased?: boolean;
  keepdim?: boolean;
}

/**
 * Runs the one-pass variance kernel (outputs [var or std, mean]) and records `recordAs` with the
 * outputs the caller returns; `var`/`std` share rule 'var', `varMean`/`stdMean` rule 'varMean'.
 */
function varianceOp(
  op: string,
  recordAs: 'var' | 'varMean',
  x: Tensor,
  dims: Dims,
  options: VarOptions,
  std: boolean,
): Tensor[] {
  checkFloating(op, x);
  const attrs = {
    dims: normalizeDims(dims, x.ndim, op),
    keepdim: options.keepdim ?? false,
    correction: options.correction ?? (options.unbiased === false ? 0 : 1),
    std,
  };
  const outs = runKernel('var', [x], attrs) as Tensor[];
  const kept = recordAs === 'var' ? outs.slice(0, 1) : outs;
  record(recordAs, [x], kept, attrs);
  return kept;
}

/**
 * Variance over `dims` (all when omitted) with `correction` (default 1: divides by N − 1), as
 * `torch.var`. Exported as `var` (a reserved word, so import it as `{ var as variance }` or call
 * `torch.var(x)`), and installed as the method `x.var()`.
 *
 * @example x.var(1, { correction: 0, keepdim: true })
 */
function variance(x: Tensor, dims?: Dims, options: VarOptions = {}): Tensor {
  return varianceOp('var', 'var', x, dims, options, false)[0]!;
}

/** Standard deviation over `dims`: the square root of `var`. */
export function std(x: Tensor, dims?: Dims, options: VarOptions = {}): Tensor {
  return varianceOp('std', 'var', x, dims, options, true)[0]!;
}

/** Variance and mean in one pass over the data, as `torch.var_mean`. */
export function varMean(x: Tensor, dims?: Dims, options: VarOptions = {}): [Tensor, Tensor] {
  const [v, m] = varianceOp('varMean', 'varMean', x, dims, options, false);
  return [v!, m!];
}

/** Standard deviation and mean, as `torch.std_mean`. */
export function stdMean(x: Tensor, dims?: Dims, options: VarOptions = {}): [Tensor, Tensor] {
  const [s, m] = varianceOp('stdMean', 'varMean', x, dims, options, true);
  return [s!, m!];
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

/** Number of nonzero elements over `dims`, as int32 (PyTorch: int64). */
export function countNonzero(x: Tensor, dims?: Dims): Tensor {
  return reduce('countNonzero', x, dims, false, 'int32');
}

/** Sum over `dims` treating NaN as zero. */
export function nansum(x: Tensor, dims?: Dims, keepdimOrOptions?: KeepdimArg): Tensor {
  return accumulate('nansum', x, dims, keepdimOrOptions);
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
    /** Sum over `dims` (all when omitted); int32 and bool sum to int32. */
    sum(dims?: Dims, keepdim?: KeepdimArg): Tensor;
    /** Mean over `dims`; int32 input needs a floating `dtype` option, as in PyTorch. */
    mean(dims?: Dims, keepdim?: KeepdimArg): Tensor;
    /** Largest values over `dims` (NaN propagates); gradient split evenly among ties. */
    amax(dims?: Dims, keepdim?: KeepdimArg): Tensor;
    /** Smallest values over `dims` (NaN propagates); gradient split evenly among ties. */
    amin(dims?: Dims, keepdim?: KeepdimArg): Tensor;
    /** int32 index of the largest value along `dim` (of the flattened tensor when omitted). */
    argmax(dim?: number, keepdim?: KeepdimArg): Tensor;
    /** int32 index of the smallest value along `dim` (of the flattened tensor when omitted). */
    argmin(dim?: number, keepdim?: KeepdimArg): Tensor;
    /** Whether all elements over `dims` are nonzero; bool result. */
    all(dims?: Dims, keepdim?: KeepdimArg): Tensor;
    /** Whether any element over `dims` is nonzero; bool result. */
    any(dims?: Dims, keepdim?: KeepdimArg): Tensor;
    /**
     * Largest element (0-d); with `dim`, `{ values, indices }` (int32, NaN counts as largest); with a tensor,
     * `maximum`.
     */
    max(): Tensor;
    max(other: Tensor): Tensor;
    max(dim: number, keepdim?: KeepdimArg): ValuesIndices;
    /** Smallest element (0-d); with `dim`, `{ values, indices }` (int32); with a tensor, `minimum`. */
    min(): Tensor;
    min(other: Tensor): Tensor;
    min(dim: number, keepdim?: KeepdimArg): ValuesIndices;
    /** Product over `dims`; int32 and bool give int32 (wrapping). */
    prod(dims?: Dims, keepdim?: KeepdimArg): Tensor;
    /** Variance over `dims` with `correction` (default 1, Bessel's). */
    var(dims?: Dims, options?: VarOptions): Tensor;
    /** Standard deviation over `dims` (√ of `var`, same `correction`). */
    std(dims?: Dims, options?: VarOptions): Tensor;
    /** `[variance, mean]` in one pass, as `torch.var_mean`. */
    varMean(dims?: Dims, options?: VarOptions): [Tensor, Tensor];
    /** `[std, mean]`, as `torch.std_mean`. */
    stdMean(dims?: Dims, options?: VarOptions): [Tensor, Tensor];
    /** log Σ exp over `dims`, stable; int32 gives float32. */
    logsumexp(dims?: Dims, keepdim?: KeepdimArg): Tensor;
    /** Number of nonzero elements over `dims`, as int32 (PyTorch: int64). */
    countNonzero(dims?: Dims): Tensor;
    /** Sum over `dims` treating NaN as zero. */
    nansum(dims?: Dims, keepdim?: KeepdimArg): Tensor;
    /** Mean over `dims` ignoring NaN (NaN where all are). */
    nanmean(dims?: Dims, keepdim?: KeepdimArg): Tensor;
  }
}

// `var` is a reserved word: the function is `variance` inside this module, public as `var`.
export { variance as var };
