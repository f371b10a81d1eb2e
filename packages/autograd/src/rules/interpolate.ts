import { interpolateBackward, interpolateForward } from '@torchlet/tensor';
import { registerGradient } from '../registry.js';

// Interpolation is linear in its input: its gradient is the adjoint (a weighted scatter-add),
// whose own gradient is the interpolation again, so derivatives of any order work.
registerGradient('interpolate', ([g], { attrs }) => [interpolateBackward(g!, attrs)]);
registerGradient('interpolateBackward', ([g], { attrs }) => [interpolateForward(g!, attrs)]);
