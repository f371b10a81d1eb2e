/**
 * @torchlet/gpu — a gpu.js device for @torchlet/tensor. Importing it registers the `'gpu'` device:
 * `x.to('gpu')` moves a tensor there, ops on it run as gpu.js kernels (WebGL2 in browsers, headless
 * GL where installed, else WebAssembly SIMD), and ops without a device kernel fall back to the CPU
 * kernel explicitly. Release device memory with `dispose()` or `tidy()` from @torchlet/tensor.
 *
 * @example
 * import '@torchlet/gpu';
 * import { tensor } from '@torchlet/tensor';
 * const x = tensor([[1, 2], [3, 4]]).to('gpu');
 * x.matmul(x).relu().toArray(); // [[7, 10], [15, 22]]
 */
import './kernels/index.js';

export { DeviceArray, GPU_DEVICE, gpuBackend } from './backend.js';
export { configureGpu, destroyGpu, type GpuMode, type GpuOptions, gpuMode } from './device.js';
