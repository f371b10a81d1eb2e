/**
 * @torchlet/tensor — n-dimensional arrays with dtypes, views, broadcasting and a CPU backend.
 *
 * @example
 * import { tensor } from '@torchlet/tensor';
 * const x = tensor([[1, 2], [3, 4]]);
 * x.matmul(x.T).sum().item(); // 54
 */
import './cpu/index.js';
import './format.js';

export * from './autograd-hooks.js';
export {
  type Attrs,
  type Backend,
  getBackend,
  hasKernel,
  type Kernel,
  onCpuFallback,
  registerBackend,
  registerKernel,
  run1,
  runKernel,
  runOnCpu,
  Storage,
} from './backend.js';
export { cpuBackend } from './cpu/backend.js';
export { elementwise } from './cpu/elementwise.js';
export { type GemmImpl, gemm, hasWasmGemm, type MatRef, type OutRef, setGemmImpl } from './cpu/gemm.js';
export { forEachRow } from './cpu/iter.js';
export * from './dtype.js';
export * from './errors.js';
export { formatTensor } from './format.js';
export { keep, type MemoryInfo, memory, tidy } from './memory.js';
export * from './ops/conv.js';
export * from './ops/convert.js';
export * from './ops/copy-ops.js';
export * from './ops/creation.js';
export * from './ops/distance.js';
export { einsum } from './ops/einsum.js';
export * from './ops/elementwise.js';
export * from './ops/expressions.js';
export * from './ops/gather-scatter.js';
export * from './ops/indexing.js';
export {
  type InterpolateMode,
  type InterpolateOptions,
  interpolate,
  interpolateBackward,
  interpolateForward,
} from './ops/interpolate.js';
export * from './ops/join.js';
export * from './ops/linalg/index.js';
export * from './ops/matmul.js';
export { installMethods } from './ops/methods.js';
export { namedTuple } from './ops/named-tuple.js';
export * from './ops/pool.js';
export * from './ops/products.js';
export * from './ops/promotion.js';
export * from './ops/rearrange.js';
export * from './ops/reduce.js';
export * from './ops/scan.js';
export * from './ops/softmax.js';
export * from './ops/sort.js';
export * from './ops/special.js';
export * from './ops/stats.js';
export * from './ops/subview.js';
export * from './ops/unfold.js';
export * from './ops/view.js';
export type { AxisWindows, ConvGeometry, SizeArg } from './ops/window.js';
export * from './random/generator.js';
export * from './random/sampling.js';
export * from './shape.js';
export {
  copyStrided,
  emptyTensor,
  fromTypedArray,
  type GradHook,
  type NestedArray,
  Tensor,
  type TensorLike,
} from './tensor.js';
