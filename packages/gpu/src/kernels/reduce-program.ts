import { type DType, numelOf, type Tensor } from '@torchlet/tensor';
import { type DeviceValue, launch, program } from '../program.js';
import { coalesce } from '../strided.js';
import { deviceTensor, filled } from './output.js';
import { stridedReads } from './strided-reads.js';

/**
 * One pass of a fold over the reduced elements, as kernel source: `acc` starts at `init` (which
 * may read `first`, the row's first element), each element `v` (its position in the row: `r`)
 * runs `step`, and `final` is the pass's value. Later passes and the result read earlier passes'
 * values as `pre0`, `pre1`, ….
 */
export interface FoldPass {
  init: string;
  step: string;
  final?: string;
}

/**
 * `acc += term` with Kahan compensation in `comp`: a float32 sum of n terms then errs by a few ulps
 * instead of growing with n, close to the CPU kernels' float64 accumulation. `tag` keeps the
 * temporaries' names distinct between passes.
 */
export function compensatedAdd(term: string, tag: string): string {
  return `const y${tag} = ${term} - comp;\nconst t${tag} = acc + y${tag};\ncomp = (t${tag} - acc) - y${tag};\nacc = t${tag};`;
}

/** Float parameters a fold may read: `p0` (a norm's p, a divisor) and `p1`. */
export type FoldParams = [number, number];

/**
 * The kernel text looping over every reduced element of one output, pointer by pointer. Loop
 * variables are named per pass: gpu.js's GLSL gives them function scope.
 */
function loops(rank: number, body: string, pass: number): string {
  let code = `const v = x0[q${rank - 1}];\n${body}\nr++;`;
  for (let d = rank - 1; d >= 0; d--) {
    const from = d === 0 ? 'i0' : `q${d - 1}`;
    const r = `r${d}_${pass}`;
    code = `q${d} = ${from};\nfor (let ${r} = 0; ${r} < R${d}; ${r}++) {\n${code}\nq${d} += u${d};\n}`;
  }
  return code;
}

/**
 * Reduces `dims` of `x` by `passes`: one thread per output element loops over its reduced
 * elements (kept and reduced dims both read through `x`'s strides, coalesced). Returns the
 * output values, dense in the kept dims' row-major order.
 */
export function reduceValue(
  key: string,
  x: Tensor,
  dims: readonly number[],
  passes: readonly FoldPass[],
  params: FoldParams = [0, 0],
): DeviceValue {
  const kept = x.shape.map((_, d) => d).filter((d) => !dims.includes(d));
  const keptShape = kept.map((d) => x.shape[d]!);
  const reads = stridedReads(keptShape, [x], [kept.map((d) => x.strides[d]!)]);
  const red = coalesce(
    dims.map((d) => x.shape[d]!),
    [dims.map((d) => x.strides[d]!)],
  );
  const sizes = red.shape.length > 0 ? red.shape : [1];
  const steps = red.shape.length > 0 ? red.strides[0]! : [0];
  const rank = sizes.length;
  const kernel = program(`reduce:${key}:${reads.key}:${rank}`, () => {
    const args = { ...reads.args, p0: 'Float', p1: 'Float' } as Record<string, 'Integer' | 'Float' | 'Array'>;
    for (let d = 0; d < rank; d++) {
      args[`R${d}`] = 'Integer';
      args[`u${d}`] = 'Integer';
    }
    const pointers = Array.from({ length: rank }, (_, d) => `let q${d} = 0;`);
    const body = [
      reads.prelude,
      'const first = x0[i0];',
      'let acc = 0.0;',
      'let comp = 0.0;',
      'let r = 0;',
      'let at = 0;',
      ...pointers,
    ];
    passes.forEach((pass, k) => {
      body.push(`acc = ${pass.init};`, 'comp = 0.0;', 'r = 0;', loops(rank, pass.step, k));
      if (k < passes.length - 1) body.push(`const pre${k} = ${pass.final ?? 'acc'};`);
      else body.push(`return ${pass.final ?? 'acc'};`);
    });
    return { args, body: body.join('\n') };
  });
  const extents = sizes.flatMap((n, d) => [n, steps[d]!]);
  return launch(kernel, numelOf(keptShape), [...reads.values, ...params, ...extents]);
}

/** The output shape of reducing `dims` of `shape` (as the CPU kernels shape it). */
function reducedShape(shape: readonly number[], dims: readonly number[], keepdim: boolean): number[] {
  return keepdim
    ? shape.map((n, d) => (dims.includes(d) ? 1 : n))
    : shape.filter((_, d) => !dims.includes(d));
}

/**
 * The reduction of `x` over `dims` as a tensor of `dtype` shaped as `keepdim` says; reducing an
 * empty tensor gives `empty` everywhere (0 for sums, 1 for products).
 */
export function reduceTensor(
  key: string,
  x: Tensor,
  attrs: Record<string, unknown>,
  dtype: DType,
  passes: readonly FoldPass[],
  params?: FoldParams,
  empty = 0,
): Tensor {
  const dims = attrs.dims as number[];
  const shape = reducedShape(x.shape, dims, attrs.keepdim as boolean);
  if (x.numel() === 0) return filled(empty, dtype, shape);
  return deviceTensor(reduceValue(key, x, dims, passes, params), dtype, shape);
}
