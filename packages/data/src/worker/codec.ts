import type { DType, TypedArray } from '@torchlet/tensor';
import { wrapArray } from '../tensor-data.js';

interface EncodedTensor {
  $tensor: true;
  dtype: DType;
  shape: number[];
  data: TypedArray;
}

function isEncodedTensor(v: unknown): v is EncodedTensor {
  return typeof v === 'object' && v !== null && (v as EncodedTensor).$tensor === true;
}

/** Turns what a worker sent back into tensors (wrapping the transferred buffers, no copy). */
export function decode(v: unknown): unknown {
  if (isEncodedTensor(v)) return wrapArray(v.data, v.shape, v.dtype);
  if (Array.isArray(v)) return v.map(decode);
  if (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = decode(x);
    return out;
  }
  return v;
}
