/**
 * `torchlet/gpu` — the gpu.js device. Importing it registers `'gpu'` (`x.to('gpu')`); it is a
 * separate entry because loading gpu.js costs ~0.7 s in Node, which CPU-only users should not pay.
 *
 * @example
 * import * as torch from 'torchlet';
 * import { gpuMode } from 'torchlet/gpu';
 * const x = torch.ones([2, 2]).to('gpu');
 */
export * from '@torchlet/gpu';
