import type { IGPUKernelSettings, IKernelRunShortcut, Texture } from 'gpu.js';
import { gpu } from './device.js';
import { GPU_FUNCTIONS } from './functions.js';

/** What a kernel reads and writes: a GL texture, or a typed array in WebAssembly/JavaScript modes. */
export type DeviceValue = Texture | Float32Array;

/**
 * gpu.js argument types by name: `'Array'` for device arrays, `'Integer'`/`'Float'` for numbers,
 * `'ArrayTexture(4)'` for a texture of four-float texels (a kernel returning `[a, b, c, d]`), whose
 * element `x[i]` is read as one vec4.
 */
export type ArgTypes = Record<string, 'Array' | 'Integer' | 'Float' | 'ArrayTexture(4)'>;

/** A kernel's source: a JavaScript function gpu.js translates, and its argument types in order. */
export interface ProgramSource {
  args: ArgTypes;
  /** Body of `function(<args>) { … }`; output element `this.thread.x` of a flat output. */
  body: string;
}

/** Compiled kernels per gpu.js instance: a destroyed instance's kernels go with it. */
const compiled = new WeakMap<object, Map<string, IKernelRunShortcut>>();

/** The kernel cache of `g`, created (with the helper functions added) on first use. */
function kernelsOf(g: ReturnType<typeof gpu>): Map<string, IKernelRunShortcut> {
  let kernels = compiled.get(g);
  if (!kernels) {
    for (const f of GPU_FUNCTIONS) g.addFunction(f as unknown as () => number);
    compiled.set(g, (kernels = new Map()));
  }
  return kernels;
}

/**
 * The compiled kernel for `key`, built from `make()` on first use. Kernels write a flat output of
 * any length (set per call), take inputs of any size, and return a new device value each call
 * (`immutable`), which the caller owns.
 */
export function program(key: string, make: () => ProgramSource): IKernelRunShortcut {
  const g = gpu();
  const kernels = kernelsOf(g);
  let kernel = kernels.get(key);
  if (!kernel) {
    const { args, body } = make();
    const source = `function(${Object.keys(args).join(', ')}) {\n${body}\n}`;
    const settings = {
      output: [1],
      argumentTypes: args,
      dynamicOutput: true,
      dynamicArguments: true,
      pipeline: true,
      immutable: true,
      precision: 'single',
      tactic: 'precision',
      loopMaxIterations: 1 << 24,
    };
    // The typings omit loopMaxIterations, which gpu.js reads at compile time.
    kernel = g.createKernel(source, settings as IGPUKernelSettings);
    kernels.set(key, kernel);
  }
  return kernel;
}

/** Runs `kernel` for `size` output elements. */
export function launch(kernel: IKernelRunShortcut, size: number, args: readonly unknown[]): DeviceValue {
  kernel.setOutput([size]);
  return kernel(...(args as never[])) as unknown as DeviceValue;
}
