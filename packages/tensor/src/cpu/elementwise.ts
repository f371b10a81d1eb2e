import type { DType, TypedArray } from '../dtype.js';
import { allocArray } from '../dtype.js';
import { digamma, erf, erfc, erfinv, lgamma, remainder, roundHalfEven } from '../ops/math-helpers.js';
import { broadcastShapes, broadcastStrides, numelOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { wrapCpu } from './backend.js';
import { forEachRow } from './iter.js';

/**
 * Elementwise kernels are generated from a JavaScript expression over the operands `a`, `b`, `c`
 * and scalar parameters `p0`, `p1`, plus the functions of `ops/math-helpers.ts` by name (e.g. `'Math.exp(a)'`, `'a > b'`, `'a > 0 ? a : p0 * a'`).
 * Each (expression, dtypes) pair compiles once into a monomorphic strided loop that V8 inlines,
 * so there is no per-element call. This is the only place CPU elementwise loops are written.
 */
type RowFn = (out: TypedArray, outOff: number, outStride: number, ...rest: unknown[]) => void;

const OPERANDS = ['a', 'b', 'c'];
/** Functions elementwise expressions may call by name. */
const MATH_HELPERS = { digamma, erf, erfc, erfinv, lgamma, remainder, roundHalfEven };
const compiled = new Map<string, RowFn>();

function compileRow(expr: string, arity: number, outDtype: DType): RowFn {
  const params = ['o', 'oo', 'os'];
  const loads: string[] = [];
  const steps: string[] = [];
  for (let k = 0; k < arity; k++) {
    params.push(`d${k}`, `i${k}`, `s${k}`);
    loads.push(`const ${OPERANDS[k]} = d${k}[i${k}];`);
    steps.push(`i${k} += s${k};`);
  }
  params.push('n', 'p0', 'p1');
  const value = outDtype === 'bool' ? `((${expr}) ? 1 : 0)` : `(${expr})`;
  const body = `for (let j = 0; j < n; j++) { ${loads.join(' ')} o[oo] = ${value}; oo += os; ${steps.join(' ')} }`;
  const helperNames = Object.keys(MATH_HELPERS);
  const factory = new Function(...helperNames, `return function (${params.join(', ')}) { ${body} };`);
  return factory(...Object.values(MATH_HELPERS)) as RowFn;
}

function rowFn(expr: string, inputs: readonly Tensor[], outDtype: DType): RowFn {
  const key = `${expr}|${outDtype}|${inputs.map((t) => t.dtype).join(',')}`;
  let fn = compiled.get(key);
  if (!fn) compiled.set(key, (fn = compileRow(expr, inputs.length, outDtype)));
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
  const shape = broadcastShapes(op, ...inputs.map((t) => t.shape));
  const fn = rowFn(expr, inputs, outDtype);
  const out = into ?? new Tensor(wrapCpu(allocArray(outDtype, numelOf(shape)), outDtype), shape);
  const outData = out.storage.data as TypedArray;
  const strides = [
    out.strides as number[],
    ...inputs.map((t) => broadcastStrides(t.shape, t.strides, shape)),
  ];
  const offsets = [out.offset, ...inputs.map((t) => t.offset)];
  const datas = inputs.map((t) => t.storage.data as TypedArray);
  switch (inputs.length) {
    case 1:
      forEachRow(shape, strides, offsets, (o, n, s) =>
        fn(outData, o[0]!, s[0]!, datas[0], o[1], s[1], n, p0, p1),
      );
      break;
    case 2:
      forEachRow(shape, strides, offsets, (o, n, s) =>
        fn(outData, o[0]!, s[0]!, datas[0], o[1], s[1], datas[1], o[2], s[2], n, p0, p1),
      );
      break;
    default:
      forEachRow(shape, strides, offsets, (o, n, s) =>
        fn(
          outData,
          o[0]!,
          s[0]!,
          datas[0],
          o[1],
          s[1],
          datas[1],
          o[2],
          s[2],
          datas[2],
          o[3],
          s[3],
          n,
          p0,
          p1,
        ),
      );
  }
  return out;
}
