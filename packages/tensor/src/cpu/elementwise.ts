import type { DType, TypedArray } from '../dtype.js';
import { allocArray } from '../dtype.js';
import * as mathHelpers from '../ops/math-helpers.js';
import { broadcastShapes, broadcastStrides, numelOf, type Shape, shapesEqual } from '../shape.js';
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

function compileBlock(expr: string, arity: number): BlockFn {
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
  const body = `for (let r = 0; r < rows; r++) { ${rowStarts.join(' ')}
    for (let j = 0; j < n; j++) { ${loads.join(' ')} o[q] = (${expr}); q += oI; ${steps.join(' ')} }
    ${rowSteps.join(' ')} }`;
  const helpers = Object.entries(mathHelpers).filter(([, f]) => typeof f === 'function');
  const factory = new Function(
    ...helpers.map(([name]) => name),
    `return function (${params.join(', ')}) { ${body} };`,
  );
  return factory(...helpers.map(([, f]) => f)) as BlockFn;
}

const DTYPE_CODE: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };
/** Compiled loops by expression, then by a number packing the output and operand dtypes. */
const compiled = new Map<string, Map<number, BlockFn>>();

function blockFn(expr: string, inputs: readonly Tensor[], outDtype: DType): BlockFn {
  // A numeric key: building a string key per call showed up in profiles of small ops.
  let key = DTYPE_CODE[outDtype];
  for (const t of inputs) key = key * 4 + DTYPE_CODE[t.dtype];
  let byDtypes = compiled.get(expr);
  if (!byDtypes) compiled.set(expr, (byDtypes = new Map()));
  let fn = byDtypes.get(key);
  if (!fn) byDtypes.set(key, (fn = compileBlock(expr, inputs.length)));
  return fn;
}

/** The broadcast shape of `inputs`, reusing an input's shape in the common equal-shapes case. */
function outShape(op: string, inputs: readonly Tensor[]): Shape {
  let shape: Shape | null = null;
  for (const t of inputs) {
    if (t.ndim === 0) continue; // a 0-d operand broadcasts to any shape
    if (shape === null) shape = t.shape;
    else if (!shapesEqual(shape, t.shape)) return broadcastShapes(op, ...inputs.map((u) => u.shape));
  }
  return shape ?? [];
}

/**
 * Whether every input is either a single element or dense in row-major order with exactly
 * `shape`, so the whole op is one row (the common case of small models) and the general strided
 * iteration can be skipped.
 */
export function isFlat(inputs: readonly Tensor[], shape: readonly number[]): boolean {
  for (const t of inputs) {
    if (t.numel() === 1) continue;
    if (!shapesEqual(t.shape, shape) || !t.isContiguous()) return false;
  }
  return true;
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
  const shape = into ? into.shape : outShape(op, inputs);
  const fn = blockFn(expr, inputs, outDtype);
  const out = into ?? new Tensor(wrapCpu(allocArray(outDtype, numelOf(shape)), outDtype), shape);
  const outData = out.storage.data as TypedArray;
  if (!into && isFlat(inputs, shape)) {
    const n = out.numel();
    const [x, y, z] = inputs;
    // Single-element operands are read with stride 0, like a broadcast.
    fn(
      1,
      n,
      p0,
      p1,
      outData,
      0,
      0,
      1,
      x?.storage.data,
      x?.offset,
      0,
      x === undefined || x.numel() === 1 ? 0 : 1,
      y?.storage.data,
      y?.offset,
      0,
      y === undefined || y.numel() === 1 ? 0 : 1,
      z?.storage.data,
      z?.offset,
      0,
      z === undefined || z.numel() === 1 ? 0 : 1,
    );
    return out;
  }
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
