import { registerGradient } from '../registry.js';
import { sumTo } from '../sum-to.js';

// Y = A·B: dA = dY·Bᵀ, dB = Aᵀ·dY, summed over broadcast batch dims.
registerGradient('matmul', ([g], { inputs: [a, b], needsInputGrad }) => [
  needsInputGrad[0] ? sumTo(g!.matmul(b!.mT), a!.shape) : null,
  needsInputGrad[1] ? sumTo(a!.mT.matmul(g!), b!.shape) : null,
]);
