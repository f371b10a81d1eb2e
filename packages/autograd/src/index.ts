/**
 * @torchlet/autograd — reverse-mode automatic differentiation for @torchlet/tensor.
 *
 * Importing this package installs the engine: from then on, ops on tensors that require grad are
 * recorded and `backward()` works.
 *
 * @example
 * import '@torchlet/autograd';
 * import { tensor } from '@torchlet/tensor';
 * const x = tensor([1, 2, 3], { requiresGrad: true });
 * x.square().sum().backward();
 * x.grad; // tensor([2., 4., 6.])
 */
import './engine.js';
import './rules/elementwise.js';
import './rules/shape.js';
import './rules/indexing.js';
import './rules/reduce.js';
import './rules/softmax.js';
import './rules/scan.js';
import './rules/linalg.js';
import './rules/linalg-decomp.js';
import './rules/interpolate.js';
import './rules/conv.js';
import './rules/pool.js';

export { enableGrad, isGradEnabled, noGrad, setGradEnabled } from '@torchlet/tensor';
export {
  accumulateGrad,
  type BackwardAllOptions,
  backwardAll,
  type GradRequest,
  Node,
  ownsGrad,
  runBackward,
} from './engine.js';
export { defineFunction, FunctionCtx, type FunctionDefinition, type MaybeGrad } from './function.js';
export {
  type Argnums,
  type ArgsOf,
  autograd,
  type GradientsOptions,
  type GradOptions,
  type GradsOf,
  grad,
  gradients,
  type HvpResult,
  hessian,
  hvp,
  type JacobianOf,
  type JacobianOptions,
  jacobian,
  type VjpResult,
  valueAndGrad,
  vjp,
} from './functional.js';
export { type GradcheckOptions, gradcheck, gradgradcheck } from './gradcheck.js';
export {
  type GradContext,
  type GradRule,
  getGradient,
  registeredGradients,
  registerGradient,
} from './registry.js';
export { unsqueezeDims } from './rules/reduce.js';
export { sumTo } from './sum-to.js';
export { type TensorTree, treeLeaves, treeMap } from './tree.js';
