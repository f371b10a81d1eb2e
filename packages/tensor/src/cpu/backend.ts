import { type Backend, registerBackend, Storage } from '../backend.js';
import { allocArray, type DType, type TypedArray } from '../dtype.js';
import type { Tensor } from '../tensor.js';

/** The CPU backend: storages are typed arrays, memory is garbage-collected. */
export const cpuBackend: Backend = {
  name: 'cpu',
  upload(values: TypedArray, dtype: DType): Storage {
    const data = allocArray(dtype, values.length);
    data.set(values);
    return new Storage(cpuBackend, dtype, data.length, data);
  },
  alloc(dtype: DType, size: number): Storage {
    return new Storage(cpuBackend, dtype, size, allocArray(dtype, size));
  },
  download(storage: Storage): TypedArray {
    return storage.data as TypedArray;
  },
  release(): void {},
};

registerBackend(cpuBackend);

/** Wraps an existing typed array as CPU storage without copying (kernels' outputs). */
export function wrapCpu(data: TypedArray, dtype: DType): Storage {
  return new Storage(cpuBackend, dtype, data.length, data);
}

/** The typed array behind a CPU tensor's storage (not a copy, not offset-adjusted). */
export function cpuData(t: Tensor): TypedArray {
  return t.storage.data as TypedArray;
}
