import { type DType, fromTypedArray, type Tensor } from '@torchlet/tensor';

/**
 * One device conformance case: `run(device)` builds its inputs on `device` and applies the op; the
 * runner compares the device's result with the CPU's. Cases run in Node (WebAssembly mode) and in
 * headless Chromium (WebGL2), from the same list.
 */
export interface DeviceCase {
  name: string;
  run(device: string): Tensor | readonly Tensor[];
  /** Allowed |device − cpu| / (1 + |cpu|); float32 kernels on a GPU differ in the last bits. */
  tol?: number;
  /** Kernels allowed to fall back to the CPU in this case (default: none). */
  fallbacks?: readonly string[];
}

/** Deterministic values in [lo, hi): the same inputs on every platform, no generator state. */
export function values(n: number, seed: number, lo = -2, hi = 2): Float32Array {
  const out = new Float32Array(n);
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = lo + ((s >>> 0) / 2 ** 32) * (hi - lo);
  }
  return out;
}

/** A tensor of {@link values} on `device`. */
export function input(
  device: string,
  shape: number[],
  seed: number,
  lo = -2,
  hi = 2,
  dtype: DType = 'float32',
): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = values(n, seed, lo, hi);
  const data =
    dtype === 'float32'
      ? v
      : dtype === 'int32'
        ? Int32Array.from(v, Math.floor)
        : Uint8Array.from(v, (x) => (x > 0 ? 1 : 0));
  return fromTypedArray(data, shape, dtype, device);
}
