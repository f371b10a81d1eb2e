/** Element types a tensor can hold. */
export type DType = 'float32' | 'float64' | 'int32' | 'bool';

/** Typed array backing each dtype on the CPU (`bool` is stored as 0/1 bytes). */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

export const DTYPES: readonly DType[] = ['bool', 'int32', 'float32', 'float64'];

const ARRAY_CTORS = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  bool: Uint8Array,
} as const;

/** Allocates a zero-filled CPU buffer of `size` elements of `dtype`. */
export function allocArray(dtype: DType, size: number): TypedArray {
  return new ARRAY_CTORS[dtype](size);
}

/** The dtype whose CPU storage is `array`'s class. */
export function dtypeOfArray(array: TypedArray): DType {
  if (array instanceof Float32Array) return 'float32';
  if (array instanceof Float64Array) return 'float64';
  if (array instanceof Int32Array) return 'int32';
  return 'bool';
}

export function isFloating(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

/** Rank in PyTorch's promotion lattice for the four supported dtypes. */
function rank(dtype: DType): number {
  return DTYPES.indexOf(dtype);
}

/** `torch.promote_types` for two tensor dtypes. */
export function promoteTypes(a: DType, b: DType): DType {
  return rank(a) >= rank(b) ? a : b;
}

/**
 * dtype of `tensor op scalar`, following PyTorch: a scalar only promotes across categories
 * (bool → integer → floating), never within one, so `float64 + 1.5` stays float64 and
 * `int32 + 1.5` becomes the default float (float32). JavaScript cannot tell `2.0` from `2`, so an
 * integral number counts as an integer scalar and a boolean as a bool scalar.
 */
export function promoteWithScalar(dtype: DType, scalar: number | boolean): DType {
  return promoteTypes(dtype, scalarCategory(scalar)) === dtype ? dtype : scalarCategory(scalar);
}

/** The smallest dtype of the scalar's category. */
export function scalarCategory(scalar: number | boolean): DType {
  if (typeof scalar === 'boolean') return 'bool';
  return Number.isInteger(scalar) ? 'int32' : 'float32';
}

/** Floating dtype used when an integer input meets a floating-only op (`exp`, `/`, `mean`). */
export function toFloating(dtype: DType): DType {
  return isFloating(dtype) ? dtype : 'float32';
}

/** Size in bytes of one element. */
export function itemSize(dtype: DType): number {
  return ARRAY_CTORS[dtype].BYTES_PER_ELEMENT;
}

/** Converts a JavaScript value to what storing it in `dtype` keeps (rounding, truncation, 0/1). */
export function castScalar(value: number | boolean, dtype: DType): number {
  const v = Number(value);
  switch (dtype) {
    case 'bool':
      return v !== 0 ? 1 : 0;
    case 'int32':
      return v | 0;
    case 'float32':
      return Math.fround(v);
    default:
      return v;
  }
}
