import {
  type Backend,
  type DType,
  registerBackend,
  Storage,
  type Tensor,
  TorchletError,
  type TypedArray,
} from '@torchlet/tensor';
import { type DeviceValue, launch, program } from './program.js';

/** The name tensors on this device report (`x.device`), and what `x.to(...)` takes. */
export const GPU_DEVICE = 'gpu';

/**
 * A storage's handle on the device. In-place writes swap `value` for a new one (kernels never write
 * into their inputs), so every view of the storage sees the update.
 */
export class DeviceArray {
  constructor(public value: DeviceValue | null) {}
}

/** Deletes a texture (typed arrays are left to the garbage collector). */
function free(value: DeviceValue | null): void {
  if (value && !(value instanceof Float32Array)) value.delete();
}

// Storages dropped without dispose()/tidy() still free their texture when collected.
const collected = new FinalizationRegistry<DeviceArray>((array) => free(array.value));

function checkDtype(op: string, dtype: DType): void {
  if (dtype === 'float64') {
    throw new TorchletError(
      `${op}: float64 is not supported on the '${GPU_DEVICE}' device (gpu.js computes in float32); convert with .float() first`,
    );
  }
}

/** Copies a CPU typed array (any dtype, values as float32) into a new device value. */
export function uploadValues(values: TypedArray): DeviceValue {
  const data = values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
  const kernel = program('upload', () => ({ args: { x0: 'Array' }, body: 'return x0[this.thread.x];' }));
  return launch(kernel, data.length, [data]);
}

/** A device storage around `value` (null for an empty storage, which no kernel reads). */
export function wrapDevice(value: DeviceValue | null, dtype: DType, size: number): Storage {
  const array = new DeviceArray(value);
  const storage = new Storage(gpuBackend, dtype, size, array);
  collected.register(storage, array, storage);
  return storage;
}

/** The device value behind a gpu tensor's storage; throws if it was disposed. */
export function deviceValue(t: Tensor | Storage): DeviceValue {
  const storage = t instanceof Storage ? t : t.storage;
  const array = storage.data as DeviceArray;
  if (storage.disposed || !array.value) {
    throw new TorchletError(
      `${GPU_DEVICE}: a tensor was used after dispose() (or after its tidy scope ended)`,
    );
  }
  return array.value;
}

/** Replaces a storage's contents with a new device value of the same size, freeing the old one. */
export function replaceValue(storage: Storage, value: DeviceValue): void {
  const array = storage.data as DeviceArray;
  const old = array.value;
  array.value = value;
  free(old);
}

function toDtype(values: Float32Array, dtype: DType): TypedArray {
  if (dtype === 'float32') return values;
  if (dtype === 'int32') return Int32Array.from(values);
  return Uint8Array.from(values, (v) => (v !== 0 ? 1 : 0));
}

/**
 * The gpu.js device: storages are textures (or typed arrays in WebAssembly/JavaScript modes) holding
 * float32 values; int32 and bool tensors are stored as floats, exact up to 2^24 in magnitude.
 */
export const gpuBackend: Backend = {
  name: GPU_DEVICE,
  tracksMemory: true,
  upload(values: TypedArray, dtype: DType): Storage {
    checkDtype('to', dtype);
    return wrapDevice(values.length === 0 ? null : uploadValues(values), dtype, values.length);
  },
  alloc(dtype: DType, size: number): Storage {
    checkDtype('empty', dtype);
    const zeros = program('zeros', () => ({ args: {}, body: 'return 0;' }));
    return wrapDevice(size === 0 ? null : launch(zeros, size, []), dtype, size);
  },
  download(storage: Storage): TypedArray {
    if (storage.size === 0) return toDtype(new Float32Array(0), storage.dtype);
    const value = deviceValue(storage);
    const flat = value instanceof Float32Array ? value : (value.toArray() as Float32Array);
    return toDtype(flat.length === storage.size ? flat : flat.subarray(0, storage.size), storage.dtype);
  },
  release(storage: Storage): void {
    const array = storage.data as DeviceArray;
    collected.unregister(storage);
    free(array.value);
    array.value = null;
  },
  overwrite(storage: Storage, values: TypedArray): void {
    if (values.length !== storage.size) {
      throw new TorchletError(`${GPU_DEVICE}: overwrite of ${storage.size} elements with ${values.length}`);
    }
    if (storage.size > 0) replaceValue(storage, uploadValues(values));
  },
};

registerBackend(gpuBackend);
