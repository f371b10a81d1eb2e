/** Element types a tensor can hold. */
export type DType = 'float32' | 'float64' | 'int32' | 'bool';

/** Typed array backing each dtype on the CPU (`bool` is stored as 0/1 bytes). */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** Every dtype, in promotion order (bool < int32 < float32 < float64). */
export const DTYPES: readonly DType[] = ['bool', 'int32', 'float32', 'float64'];

const ARRAY_CTORS = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  bool: Uint8Array,
} as const;

// A typed array over 64 bytes gets an off-heap backing store of its own, which costs V8 about
// 2 µs: more than the arithmetic of a small op. Arrays up to POOL_MAX_BYTES are therefore cut
// from a shared slab, as Node's Buffer pool does. Each region is handed out once and never
// reused, so no array sees another's memory, and regions start zeroed; a slab is freed by the
// garbage collector when its last array is. The price is that one live small array keeps its
// slab (SLAB_BYTES) alive, and `array.buffer` is the slab: code must use byteOffset/byteLength
// (and never transfer the buffer of an array it did not allocate whole).
const ON_HEAP_MAX_BYTES = 64;
const POOL_MAX_BYTES = 4096;
const SLAB_BYTES = 32 * 1024;
let slab = new ArrayBuffer(0);
let slabUsed = 0;

/** Allocates a zero-filled CPU buffer of `size` elements of `dtype`. */
export function allocArray(dtype: DType, size: number): TypedArray {
  const Ctor = ARRAY_CTORS[dtype];
  const bytes = size * Ctor.BYTES_PER_ELEMENT;
  if (bytes <= ON_HEAP_MAX_BYTES || bytes > POOL_MAX_BYTES) return new Ctor(size);
  if (slabUsed + bytes > slab.byteLength) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabUsed = 0;
  }
  const array = new Ctor(slab, slabUsed, size);
  slabUsed += (bytes + 7) & ~7; // keep every region 8-byte aligned for Float64Array
  return array;
}

/** The dtype whose CPU storage is `array`'s class. */
export function dtypeOfArray(array: TypedArray): DType {
  if (array instanceof Float32Array) return 'float32';
  if (array instanceof Float64Array) return 'float64';
  if (array instanceof Int32Array) return 'int32';
  return 'bool';
}

/** Whether `dtype` is float32 or float64 (the dtypes that can require grad). */
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
