import type { GPU as GPUInstance, IGPUSettings } from 'gpu.js';
import gpujs from 'gpu.js';

/** Where gpu.js runs kernels: a GL context, WebAssembly, or its plain-JavaScript CPU mode. */
export type GpuMode = 'gpu' | 'webgl2' | 'webgl' | 'headlessgl' | 'webasm' | 'cpu';

/** Options for {@link configureGpu}. */
export interface GpuOptions {
  /**
   * gpu.js mode. `'gpu'` (default) picks the best available: headless GL or WebGL2 on a GPU,
   * else WebAssembly (f32x4 SIMD), else JavaScript.
   */
  mode?: GpuMode;
  /** An existing WebGL2 context to share (browser). */
  context?: WebGL2RenderingContext;
}

let options: GpuOptions = {};
let instance: GPUInstance | null = null;

/**
 * Chooses how the `'gpu'` device runs, before its first use (or after {@link destroyGpu}).
 * Tensors already on the device keep the old context, so configure first.
 */
export function configureGpu(next: GpuOptions): void {
  if (instance) throw new Error('configureGpu: the gpu device is already in use; call destroyGpu() first');
  options = { ...next };
}

/** The gpu.js instance behind the `'gpu'` device, created on first use. */
export function gpu(): GPUInstance {
  if (!instance) {
    const settings: IGPUSettings = { mode: options.mode ?? 'gpu' };
    if (options.context) (settings as { context?: unknown }).context = options.context;
    instance = new gpujs.GPU(settings);
  }
  return instance;
}

const MODES: Record<string, GpuMode> = {
  WebGL2Kernel: 'webgl2',
  WebGLKernel: 'webgl',
  HeadlessGLKernel: 'headlessgl',
  WebAssemblyKernel: 'webasm',
  CPUKernel: 'cpu',
};

/** What actually runs the `'gpu'` device's kernels (`'webgl2'`, `'webasm'`, …). */
export function gpuMode(): GpuMode {
  const g = gpu() as unknown as { Kernel: { name: string; mode: GpuMode } };
  return MODES[g.Kernel.name] ?? g.Kernel.mode;
}

/** Whether kernels produce textures on a real GL device (else typed arrays in this process). */
export function usesTextures(): boolean {
  const mode = gpuMode();
  return mode !== 'webasm' && mode !== 'cpu';
}

/**
 * Frees the gpu.js context and its compiled kernels; the next use starts afresh (with the options
 * of {@link configureGpu}). Tensors still on the device lose their memory: move what you keep to
 * the CPU first.
 */
export function destroyGpu(): void {
  if (!instance) return;
  instance.destroy();
  instance = null;
}
