import { record } from '../autograd-hooks.js';
import { run1 } from '../backend.js';
import { type DType, isFloating } from '../dtype.js';
import { DTypeError, fmtShape, IndexError } from '../errors.js';
import { normalizeDims } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { div } from './elementwise.js';
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

/** Index of the largest value along `dim` (of the flattened tensor when omitted), as int32. */
export function argmax(x: Tensor, dim?: number, keepdimOrOptions?: KeepdimArg): Tensor {
  const keepdim = reduceOptions(keepdimOrOptions).keepdim ?? false;
  if (dim === undefined) return reduce('argmax', x.reshape(-1), 0, false, 'int32');
  return reduce('argmax', x, dim, keepdim, 'int32');
}

/** Index of the smallest value along `dim` (of the flattened tensor when omitted), as int32. */
export function argmin(x: Tensor, dim?: number, keepdimOrOptions?: KeepdimArg): Tensor {
  const keepdim = reduceOptions(keepdimOrOptions).keepdim ?? false;
  if (dim === undefined) return reduce('argmin', x.reshape(-1), 0, false, 'int32');
  return reduce('argmin', x, dim, keepdim, 'int32');
}

/** Whether all elements (over `dims`) are nonzero; bool. */
export function all(x: Tensor, dims?: Dims, keepdimOrOptions?: KeepdimArg): Tensor {
  return reduce('all', x, dims, reduceOptions(keepdimOrOptions).keepdim ?? false, 'bool');
}

/** Whether any element (over `dims`) is nonzero; bool. */
export function any(x: Tensor, dims?: Dims, keepdimOrOptions?: KeepdimArg): Tensor {
  return reduce('any', x, dims, reduceOptions(keepdimOrOptions).keepdim ?? false, 'bool');
}

installMethods({ sum, mean, amax, amin, argmax, argmin, all, any });

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
  }
}
