import type { DType, TypedArray } from '../dtype.js';
import { allocArray } from '../dtype.js';
import * as mathHelpers from '../ops/math-helpers.js';
import { broadcastShapes, broadcastStrides, numelOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { wrapCpu } from './backend.js';
import { forEachBlock } from './iter.js';

/**
 * Elementwise kernels are generated from a JavaScript expression over the operands `a`, `b`, `c`
 * and scalar parameters `p0`, `p1`, plus the functions of `ops/math-helpers.ts` by name (e.g.
 * `'Math.exp(a)'`, `'a > b'`, `'a > 0 ? a : p0 * a'`). Each (expression, dtypes) pair compiles once
 * into a monomorphic strided 2-D loop that V8 inlines, so there is no per-element call. This is the
 * only place CPU elementwise loops are written.
 */
type BlockFn = (
  rows: number,
  n: number,
  p0: number,
  p1: number,
  out: TypedArray,
  outOff: number,
  outOuter: number,
  outInner: number,
  ...operands: unknown[]
) => void;

const OPERANDS = ['a', 'b', 'c'];
const compiled = new Map<string, BlockFn>();

function compileBlock(expr: string, arity: number, outDtype: DType): BlockFn {
  const params = ['rows', 'n', 'p0', 'p1', 'o', 'oo', 'oO', 'oI'];
  const loads: string[] = [];
  const steps: string[] = [];
  const rowStarts = ['let q = oo;'];
  const rowSteps = ['oo += oO;'];
  for (let k = 0; k < arity; k++) {
    params.push(`d${k}`, `i${k}`, `O${k}`, `I${k}`);
    rowStarts.push(`let j${k} = i${k};`);
    rowSteps.push(`i${k} += O${k};`);
    loads.push(`const ${OPERANDS[k]} = d${k}[j${k}];`);
    steps.push(`j${k} += I${k};`);
  }
  const value = outDtype === 'bool' ? `((${expr}) ? 1 : 0)` : `(${expr})`;
  const body = `for (let r = 0; r < rows; r++) { ${rowStarts.join(' ')}
    for (let j = 0; j < n; j++) { ${loads.join(' ')} o[q] = ${value}; q += oI; ${steps.join(' ')} }
    ${rowSteps.join(' ')} }`;
  const helpers = Object.entries(mathHelpers).filter(([, f]) => typeof f === 'function');
  const factory = new Function(
    ...helpers.map(([name]) => name),
    `return function (${params.join(', ')}) { ${body} };`,
  );
  return factory(...helpers.map(([, f]) => f)) as BlockFn;
}

function blockFn(expr: string, inputs: readonly Tensor[], outDtype: DType): BlockFn {
  const key = `${expr}|${outDtype}|${inputs.map((t) => t.dtype).join(',')}`;
  let fn = compiled.get(key);
  if (!fn) compiled.set(key, (fn = compileBlock(expr, inputs.length, outDtype)));
  return fn;
}

/**
 * Evaluates `expr` elementwise over broadcast `inputs` into a new dense tensor of `outDtype`.
 * Inputs may be non-contiguous or broadcast (stride 0); nothing is copied first. With `into`,
 * results are written into that (possibly strided) tensor instead, for in-place ops.
 */
export function elementwise(
  op: string,
  expr: string,
  inputs: readonly Tensor[],
  outDtype: DType,
  p0 = 0,
  p1 = 0,
  into?: Tensor,
): Tensor {
  // In-place writes cover the whole target, whatever the (broadcast) inputs' shape.
  const shape = into ? into.shape : broadcastShapes(op, ...inputs.map((t) => t.shape));
  const fn = blockFn(expr, inputs, outDtype);
  const out = into ?? new Tensor(wrapCpu(allocArray(outDtype, numelOf(shape)), outDtype), shape);
  const outData = out.storage.data as TypedArray;
  const strides = [
    out.strides as number[],
    ...inputs.map((t) => broadcastStrides(t.shape, t.strides, shape)),
  ];
  const offsets = [out.offset, ...inputs.map((t) => t.offset)];
  const datas = inputs.map((t) => t.storage.data as TypedArray);
  const d0 = datas[0];
  const d1 = datas[1];
  const d2 = datas[2];
  forEachBlock(shape, strides, offsets, (o, rows, n, O, I) => {
    fn(
      rows,
      n,
      p0,
      p1,
      outData,
      o[0]!,
      O[0]!,
      I[0]!,
      d0,
      o[1],
      O[1],
      I[1],
      d1,
      o[2],
      O[2],
      I[2],
      d2,
      o[3],
      O[3],
      I[3],
    );
  });
  return out;
}
