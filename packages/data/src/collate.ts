import {
  type DType,
  DTypeError,
  dtypeOfArray,
  fmtShape,
  ShapeError,
  Tensor,
  TorchletError,
  type TypedArray,
} from '@torchlet/tensor';
import { wrapArray } from './tensor-data.js';

/** JavaScript typed arrays a sample may hold; they collate to a tensor like a NumPy array would. */
export type SampleArray =
  | TypedArray
  | Int8Array
  | Int16Array
  | Uint16Array
  | Uint32Array
  | Uint8ClampedArray
  | Float64Array;

/**
 * What {@link defaultCollate} makes of a batch of samples of type `S`: tensors, numbers, booleans and
 * typed arrays become one tensor with a leading batch dim; tuples, arrays and objects are collated
 * position by position (key by key); strings become arrays.
 */
export type Collated<S> = S extends Tensor | number | boolean | SampleArray
  ? Tensor
  : S extends string
    ? string[]
    : S extends readonly unknown[]
      ? { -readonly [K in keyof S]: Collated<S[K]> }
      : S extends object
        ? { [K in keyof S]: Collated<S[K]> }
        : never;

/**
 * Merges a list of samples into a batch, as `torch.utils.data.default_collate`: tensors are stacked
 * (all must have one shape and dtype), numbers become an int32 tensor when all are integers and a
 * float32 tensor otherwise (JavaScript cannot tell `1` from `1.0`), booleans a bool tensor, and
 * arrays/objects are collated element-wise.
 *
 * @example defaultCollate([{ x: tensor([1, 2]), y: 0 }, { x: tensor([3, 4]), y: 1 }])
 * // { x: tensor [2,2], y: int32 tensor [0, 1] }
 */
export function defaultCollate<S>(samples: readonly S[]): Collated<S> {
  if (samples.length === 0) throw new TorchletError('defaultCollate: cannot collate an empty batch');
  return collateAt(samples as readonly unknown[], 'sample') as Collated<S>;
}

function collateAt(items: readonly unknown[], path: string): unknown {
  const first = items[0];
  if (first instanceof Tensor) return stackTensors(items, path);
  if (typeof first === 'number') return collateNumbers(items, path);
  if (typeof first === 'boolean') return collateScalars(items, path, 'boolean', 'bool');
  if (typeof first === 'string') return collateScalars(items, path, 'string', null);
  if (ArrayBuffer.isView(first)) return stackArrays(items, path);
  if (Array.isArray(first)) {
    const n = first.length;
    for (const s of items) {
      if (!Array.isArray(s) || s.length !== n) {
        throw new ShapeError(
          `defaultCollate: every ${path} in a batch must be an array of length ${n}, got ${describe(s)}`,
        );
      }
    }
    return first.map((_, k) =>
      collateAt(
        items.map((s) => (s as unknown[])[k]),
        `${path}[${k}]`,
      ),
    );
  }
  if (typeof first === 'object' && first !== null) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(first)) {
      out[key] = collateAt(
        items.map((s) => (s as Record<string, unknown>)?.[key]),
        `${path}.${key}`,
      );
    }
    return out;
  }
  throw new TorchletError(
    `defaultCollate: ${path} must be a tensor, number, boolean, string, typed array, array or object, got ${describe(first)}`,
  );
}

function describe(x: unknown): string {
  if (x instanceof Tensor) return `a tensor of shape ${fmtShape(x.shape)}`;
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  if (x === null) return 'null';
  return typeof x;
}

function stackTensors(items: readonly unknown[], path: string): Tensor {
  const first = items[0] as Tensor;
  const size = first.numel();
  const out = new (arrayClassOf(first.dtype))(items.length * size);
  items.forEach((t, k) => {
    if (!(t instanceof Tensor) || t.dtype !== first.dtype || !sameShape(t.shape, first.shape)) {
      throw new ShapeError(
        `defaultCollate: every ${path} must be a ${first.dtype} tensor of shape ${fmtShape(first.shape)}, got ${
          t instanceof Tensor ? `${t.dtype} ${fmtShape(t.shape)}` : describe(t)
        } at batch position ${k}`,
      );
    }
    if (t.device === 'cpu' && t.isContiguous()) {
      const src = t.storage.data as TypedArray;
      out.set(src.subarray(t.offset, t.offset + size), k * size);
    } else out.set(t.dataSync(), k * size);
  });
  return wrapArray(out, [items.length, ...first.shape], first.dtype);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function arrayClassOf(dtype: DType): new (n: number) => TypedArray {
  return { float32: Float32Array, float64: Float64Array, int32: Int32Array, bool: Uint8Array }[dtype];
}

function collateNumbers(items: readonly unknown[], path: string): Tensor {
  let integral = true;
  for (const v of items) {
    if (typeof v !== 'number') {
      throw new DTypeError(`defaultCollate: every ${path} must be a number, got ${describe(v)}`);
    }
    if (!Number.isInteger(v)) integral = false;
  }
  const values = integral ? Int32Array.from(items as number[]) : Float32Array.from(items as number[]);
  return wrapArray(values, [items.length]);
}

function collateScalars(
  items: readonly unknown[],
  path: string,
  type: 'boolean' | 'string',
  dtype: 'bool' | null,
): Tensor | string[] {
  for (const v of items) {
    if (typeof v !== type)
      throw new DTypeError(`defaultCollate: every ${path} must be a ${type}, got ${describe(v)}`);
  }
  if (dtype === null) return [...(items as string[])];
  return wrapArray(
    Uint8Array.from(items as boolean[], (b) => (b ? 1 : 0)),
    [items.length],
    dtype,
  );
}

/** Float arrays keep their precision; every integer array becomes int32 (torchlet has no uint8). */
function dtypeOfSampleArray(a: ArrayBufferView): DType {
  if (a instanceof Float32Array || a instanceof Float64Array) return dtypeOfArray(a);
  return 'int32';
}

function stackArrays(items: readonly unknown[], path: string): Tensor {
  const first = items[0] as SampleArray;
  const dtype = dtypeOfSampleArray(first);
  const n = first.length;
  const out = new (arrayClassOf(dtype))(items.length * n);
  items.forEach((a, k) => {
    if (!ArrayBuffer.isView(a) || (a as SampleArray).length !== n || a.constructor !== first.constructor) {
      throw new ShapeError(
        `defaultCollate: every ${path} must be a ${first.constructor.name} of length ${n}, got ${describe(a)} at batch position ${k}`,
      );
    }
    out.set(a as unknown as ArrayLike<number>, k * n);
  });
  return wrapArray(out, [items.length, n], dtype);
}
