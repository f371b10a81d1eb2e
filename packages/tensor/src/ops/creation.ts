import {
  allocArray,
  castScalar,
  type DType,
  dtypeOfArray,
  scalarCategory,
  type TypedArray,
} from '../dtype.js';
import { ShapeError, TorchletError } from '../errors.js';
import { numelOf, type Shape } from '../shape.js';
import { emptyTensor, fromTypedArray, type NestedArray, Tensor, type TensorLike } from '../tensor.js';

/** Options shared by tensor factories. */
export interface TensorOptions {
  /** Element type; factories default to float32, `tensor()` infers it from the data. */
  dtype?: DType;
  /** Device name; `'cpu'` unless given. */
  device?: string;
  /** Make the result a leaf that requires grad. */
  requiresGrad?: boolean;
}

function finish(t: Tensor, options: TensorOptions): Tensor {
  if (options.requiresGrad) t.requiresGrad_(true);
  return t;
}

function inferShape(data: NestedArray): number[] {
  const shape: number[] = [];
  let cur: NestedArray = data;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0]!;
  }
  return shape;
}

function flatten(data: NestedArray, shape: number[], out: number[], depth: number, path: number[]): void {
  if (depth === shape.length) {
    if (Array.isArray(data)) {
      throw new ShapeError(
        `tensor: ragged nested array at index [${path.join(',')}]: expected a number, got an array`,
      );
    }
    out.push(typeof data === 'boolean' ? (data ? 1 : 0) : data);
    return;
  }
  if (!Array.isArray(data) || data.length !== shape[depth]) {
    const got = Array.isArray(data) ? `length ${data.length}` : 'a scalar';
    throw new ShapeError(
      `tensor: ragged nested array at index [${path.join(',')}]: expected length ${shape[depth]}, got ${got}`,
    );
  }
  data.forEach((d, i) => {
    flatten(d, shape, out, depth + 1, [...path, i]);
  });
}

/**
 * Creates a tensor from nested arrays, a scalar, or a typed array (with `shape`). Numbers become
 * float32 unless `dtype` says otherwise (JavaScript cannot tell `1` from `1.0`), booleans become
 * bool, and a typed array keeps its own dtype.
 *
 * @example tensor([[1, 2], [3, 4]])            // float32 [2,2]
 * @example tensor([0, 2, 1], { dtype: 'int32' }) // class labels
 */
export function tensor(
  data: NestedArray | TypedArray,
  options: TensorOptions & { shape?: Shape } = {},
): Tensor {
  if (ArrayBuffer.isView(data)) {
    const dtype = options.dtype ?? dtypeOfArray(data);
    const shape = options.shape ?? [data.length];
    const values = dtype === dtypeOfArray(data) ? data : castArray(data, dtype);
    return finish(fromTypedArray(values, shape, dtype, options.device), options);
  }
  const shape = inferShape(data);
  const flat: number[] = [];
  flatten(data, shape, flat, 0, []);
  const dtype = options.dtype ?? (allBooleans(data) && flat.length > 0 ? 'bool' : 'float32');
  const values = allocArray(dtype, flat.length);
  for (let i = 0; i < flat.length; i++) values[i] = castScalar(flat[i]!, dtype);
  if (options.shape && numelOf(options.shape) === values.length) {
    return finish(fromTypedArray(values, options.shape, dtype, options.device), options);
  }
  return finish(fromTypedArray(values, shape, dtype, options.device), options);
}

function allBooleans(data: NestedArray): boolean {
  if (Array.isArray(data)) return data.every(allBooleans);
  return typeof data === 'boolean';
}

/** Converts a typed array's values to `dtype` (truncating toward zero for int32, 0/1 for bool). */
export function castArray(values: TypedArray, dtype: DType): TypedArray {
  const out = allocArray(dtype, values.length);
  if (dtype === 'bool') for (let i = 0; i < values.length; i++) out[i] = values[i] !== 0 ? 1 : 0;
  else out.set(values);
  return out;
}

/** Wraps a scalar as a 0-d tensor of its own category's dtype (or `dtype`). */
export function scalarTensor(value: number | boolean, dtype?: DType, device = 'cpu'): Tensor {
  const dt = dtype ?? scalarCategory(value);
  const values = allocArray(dt, 1);
  values[0] = castScalar(value, dt);
  return fromTypedArray(values, [], dt, device);
}

/** Returns `x` if it is a tensor, else a 0-d tensor of the scalar on `device`. */
export function asTensor(x: TensorLike, device = 'cpu'): Tensor {
  return x instanceof Tensor ? x : scalarTensor(x, undefined, device);
}

function shapeArg(op: string, shape: Shape | number, rest: number[]): number[] {
  const s = typeof shape === 'number' ? [shape, ...rest] : [...shape];
  for (const d of s) {
    if (!Number.isInteger(d) || d < 0)
      throw new ShapeError(`${op}: invalid shape [${s.join(',')}]: sizes must be non-negative integers`);
  }
  return s;
}

/** A tensor of `shape` filled with `value`. */
export function full(shape: Shape, value: number | boolean, options: TensorOptions = {}): Tensor {
  const dtype = options.dtype ?? (typeof value === 'boolean' ? 'bool' : 'float32');
  const s = shapeArg('full', shape, []);
  const t = emptyTensor(s, dtype, options.device);
  const v = castScalar(value, dtype);
  if (v !== 0) {
    const data = allocArray(dtype, numelOf(s)).fill(v);
    return finish(fromTypedArray(data, s, dtype, options.device), options);
  }
  return finish(t, options);
}

/** A tensor of zeros. */
export function zeros(shape: Shape, options: TensorOptions = {}): Tensor {
  return finish(
    emptyTensor(shapeArg('zeros', shape, []), options.dtype ?? 'float32', options.device),
    options,
  );
}

/** A tensor of ones. */
export function ones(shape: Shape, options: TensorOptions = {}): Tensor {
  return full(shapeArg('ones', shape, []), 1, options);
}

/** Uninitialized in PyTorch; here zero-filled, since typed arrays always are. */
export function empty(shape: Shape, options: TensorOptions = {}): Tensor {
  return zeros(shape, options);
}

function likeOptions(t: Tensor, options: TensorOptions): TensorOptions {
  return { dtype: t.dtype, device: t.device, ...options };
}

/** Zeros with `t`'s shape, dtype and device (any of which `options` overrides), as `torch.zeros_like`. */
export function zerosLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return zeros(t.shape, likeOptions(t, options));
}

/** Ones with `t`'s shape, dtype and device (`options` overrides), as `torch.ones_like`. */
export function onesLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return ones(t.shape, likeOptions(t, options));
}

/** `value` everywhere, with `t`'s shape, dtype and device (`options` overrides), as `torch.full_like`. */
export function fullLike(t: Tensor, value: number | boolean, options: TensorOptions = {}): Tensor {
  return full(t.shape, value, likeOptions(t, options));
}

/** `torch.empty_like`; zero-filled here (see {@link empty}). */
export function emptyLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return zerosLike(t, options);
}

/**
 * Values from `start` to `end` (exclusive) by `step`, as `torch.arange`. With one argument it is
 * the end. As with `tensor()`, the default dtype is float32; pass `{ dtype: 'int32' }` for indices.
 */
export function arange(start: number, end?: number, step = 1, options: TensorOptions = {}): Tensor {
  if (end === undefined) [start, end] = [0, start];
  if (step === 0) throw new TorchletError('arange: step must be nonzero');
  if ((end - start) / step < 0) {
    throw new TorchletError(
      `arange: upper bound and larger bound inconsistent with step sign (start ${start}, end ${end}, step ${step})`,
    );
  }
  const n = Math.ceil((end - start) / step);
  const dtype = options.dtype ?? 'float32';
  const values = allocArray(dtype, n);
  for (let i = 0; i < n; i++) values[i] = castScalar(start + i * step, dtype);
  return finish(fromTypedArray(values, [n], dtype, options.device), options);
}

/** `steps` evenly spaced values from `start` to `end` inclusive. */
export function linspace(start: number, end: number, steps: number, options: TensorOptions = {}): Tensor {
  if (!Number.isInteger(steps) || steps < 0)
    throw new TorchletError(`linspace: steps must be a non-negative integer, got ${steps}`);
  const dtype = options.dtype ?? 'float32';
  const values = allocArray(dtype, steps);
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  // PyTorch fills the second half backwards from `end` so both ends are exact.
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++)
    values[i] = castScalar(i < half ? start + step * i : end - step * (steps - 1 - i), dtype);
  return finish(fromTypedArray(values, [steps], dtype, options.device), options);
}

/** `steps` values `base ** x` for x evenly spaced from `start` to `end`. */
export function logspace(
  start: number,
  end: number,
  steps: number,
  base = 10,
  options: TensorOptions = {},
): Tensor {
  const exps = linspace(start, end, steps, { dtype: 'float64' }).dataSync();
  const dtype = options.dtype ?? 'float32';
  const values = allocArray(dtype, steps);
  for (let i = 0; i < steps; i++) values[i] = castScalar(base ** exps[i]!, dtype);
  return finish(fromTypedArray(values, [steps], dtype, options.device), options);
}

/** The n×m identity matrix (m defaults to n). */
export function eye(n: number, m = n, options: TensorOptions = {}): Tensor {
  const dtype = options.dtype ?? 'float32';
  const values = allocArray(dtype, n * m);
  for (let i = 0; i < Math.min(n, m); i++) values[i * m + i] = 1;
  return finish(fromTypedArray(values, [n, m], dtype, options.device), options);
}
