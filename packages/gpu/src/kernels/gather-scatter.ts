import { castScalar, type DType, registerKernel, runOnCpu, type Tensor } from '@torchlet/tensor';
import { deviceValue, GPU_DEVICE } from '../backend.js';
import { type ArgTypes, launch, program } from '../program.js';
import { coordinates, shapeArgs } from '../strided.js';
import { deviceTensor, filled } from './output.js';
import { stridedReads } from './strided-reads.js';

/**
 * gather and scatter along one dim. Indices are not range-checked on the device (a kernel cannot
 * throw): gather clamps them, scatter ignores those that match no position. Scatter runs
 * gather-style: each output element scans the index entries along `dim` that could land on it,
 * so it has no write conflicts and duplicates combine in index order, as on the CPU.
 */

/** `out[i] = x[i with dim replaced by index[i]]`, reading `x` and `index` through their strides. */
function gatherKernel(inputs: readonly Tensor[], attrs: Record<string, unknown>): Tensor {
  const [x, index] = inputs as [Tensor, Tensor];
  const dim = attrs.dim as number;
  if (index.numel() === 0 || x.numel() === 0) return filled(0, x.dtype, index.shape);
  const xStrides = x.strides.map((s, d) => (d === dim ? 0 : s));
  const reads = stridedReads(index.shape, [index, x], [[...index.strides], xStrides]);
  const kernel = program(`gather:${reads.key}`, () => ({
    args: { ...reads.args, last: 'Float', step: 'Integer' },
    body: `${reads.prelude}
const k = Math.min(Math.max(Math.floor(x0[i0] + 0.5), 0.0), last);
return x1[i1 + k * step];`,
  }));
  const value = launch(kernel, index.numel(), [...reads.values, x.shape[dim]! - 1, x.strides[dim]!]);
  return deviceTensor(value, x.dtype, index.shape);
}

type Mode = 'none' | 'sum' | 'prod' | 'mean' | 'amax' | 'amin';

/** How a matching value `v` combines into `acc`. */
const COMBINE: Record<Mode, string> = {
  none: 'acc = v;',
  sum: 'acc += v;',
  mean: 'acc += v;\ncnt += 1.0;',
  prod: 'acc *= v;',
  amax: 'if (v > acc) { acc = v; }',
  amin: 'if (v < acc) { acc = v; }',
};

/** Kernel source of a scatter over an `ndim`-D output (dims not coalesced: each one is checked). */
function scatterSource(
  ndim: number,
  dim: number,
  mode: Mode,
  includeSelf: boolean,
  hasSrc: boolean,
  intMean: boolean,
) {
  const args: ArgTypes = {};
  for (const s of shapeArgs(ndim)) args[s] = 'Integer';
  const names = ['x', 'i', 's'];
  for (const n of names) {
    args[`${n}a`] = 'Array';
    args[`${n}o`] = 'Integer';
    for (let d = 0; d < ndim; d++) args[`${n}t${d}`] = 'Integer';
  }
  for (let d = 0; d < ndim; d++) args[`il${d}`] = 'Integer';
  args.p0 = 'Float';
  const dot = (n: string, skip: number) =>
    [
      `${n}o`,
      ...Array.from({ length: ndim }, (_, d) => (d === skip ? '' : `c${d} * ${n}t${d}`)).filter(Boolean),
    ].join(' + ');
  const bounds = Array.from({ length: ndim }, (_, d) =>
    d === dim ? '' : `if (c${d} >= il${d}) { ok = 0; }`,
  );
  const fresh = mode !== 'none' && !includeSelf;
  const combine = fresh
    ? `if (hits === 0) {\nacc = v;\ncnt = 1.0;\n} else {\n${COMBINE[mode]}\n}`
    : COMBINE[mode];
  const mean = mode === 'mean' ? (intMean ? 'acc = Math.floor(acc / cnt);' : 'acc = acc / cnt;') : '';
  const body = `${coordinates(ndim)}
const xv = xa[${dot('x', -1)}];
let acc = xv;
let cnt = ${includeSelf ? '1.0' : '0.0'};
let hits = 0;
let ok = 1;
${bounds.filter(Boolean).join('\n')}
if (ok === 1) {
  let pi = ${dot('i', dim)};
  let ps = ${dot('s', dim)};
  for (let j = 0; j < il${dim}; j++) {
    if (Math.abs(ia[pi] - c${dim}) < 0.5) {
      const v = ${hasSrc ? 'sa[ps]' : 'p0'};
      ${combine}
      hits++;
    }
    pi += it${dim};
    ps += st${dim};
  }
}
if (hits === 0) {
  return xv;
}
${mean}
return acc;`;
  return { args, body };
}

/** Above this many index reads, a scatter runs on the CPU (one pass there, not one per output). */
const MAX_SCATTER_READS = 1 << 26;

function scatterKernel(inputs: readonly Tensor[], attrs: Record<string, unknown>): Tensor {
  const [x, index, src] = inputs as [Tensor, Tensor, Tensor | undefined];
  const dim = attrs.dim as number;
  const mode = ((attrs.reduce as Mode | undefined) ?? 'none') as Mode;
  const includeSelf = (attrs.includeSelf as boolean | undefined) ?? true;
  const dtype: DType = x.dtype;
  const reads = x.numel() * index.shape[dim]!;
  if ((dtype === 'bool' && mode !== 'none') || reads > MAX_SCATTER_READS)
    return runOnCpu('scatter', inputs, attrs) as Tensor;
  if (x.numel() === 0) return filled(0, dtype, x.shape);
  const ndim = x.ndim;
  const empty = index.numel() === 0;
  const source = src && !empty ? src : x;
  const key = `scatter:${ndim}:${dim}:${mode}:${includeSelf}:${Boolean(src)}:${dtype === 'int32'}`;
  const kernel = program(key, () =>
    scatterSource(ndim, dim, mode, includeSelf, Boolean(src), dtype === 'int32'),
  );
  const operand = (t: Tensor, strides: readonly number[]) => [deviceValue(t), t.offset, ...strides];
  const zeros = x.shape.map(() => 0);
  const value = launch(kernel, x.numel(), [
    ...x.shape,
    ...operand(x, x.strides),
    ...(empty ? operand(x, zeros) : operand(index, index.strides)),
    ...operand(source, src && !empty ? src.strides : zeros),
    ...index.shape,
    castScalar((attrs.value as number | undefined) ?? 0, dtype),
  ]);
  return deviceTensor(value, dtype, x.shape);
}

registerKernel(GPU_DEVICE, 'gather', gatherKernel);
registerKernel(GPU_DEVICE, 'scatter', scatterKernel);
