import { registerKernel, runOnCpu, type Tensor } from '@torchlet/tensor';
import { GPU_DEVICE } from '../backend.js';
import { launch, program } from '../program.js';
import { deviceTensor, filled } from './output.js';
import { LOGSUMEXP } from './reduce.js';
import { reduceValue } from './reduce-program.js';
import { broadcastStrides, stridedReads } from './strided-reads.js';

/**
 * softmax / logSoftmax along one dim in two kernels: each row's log Σ exp, shifted by its maximum
 * (a reduction), then `exp(x − lse)` or `x − lse` per element, which never overflows.
 */
function softmaxKernel(log: boolean) {
  return (inputs: readonly Tensor[], attrs: Record<string, unknown>): Tensor => {
    const x = inputs[0]!;
    if (x.dtype !== 'float32') return runOnCpu(log ? 'logSoftmax' : 'softmax', inputs, attrs) as Tensor;
    if (x.numel() === 0) return filled(0, x.dtype, x.shape);
    const dim = attrs.dim as number;
    const rows = deviceTensor(
      reduceValue('logsumexp', x, [dim], LOGSUMEXP),
      'float32',
      x.shape.map((n, d) => (d === dim ? 1 : n)),
    );
    const reads = stridedReads(x.shape, [x, rows], [[...x.strides], broadcastStrides(rows, x.shape)]);
    const kernel = program(`${log ? 'logSoftmax' : 'softmax'}:${reads.key}`, () => ({
      args: reads.args,
      body: `${reads.prelude}\nreturn ${log ? 'x0[i0] - x1[i1]' : 'Math.exp(x0[i0] - x1[i1])'};`,
    }));
    const out = deviceTensor(launch(kernel, x.numel(), reads.values), x.dtype, x.shape);
    rows.storage.release();
    return out;
  };
}

registerKernel(GPU_DEVICE, 'softmax', softmaxKernel(false));
registerKernel(GPU_DEVICE, 'logSoftmax', softmaxKernel(true));
