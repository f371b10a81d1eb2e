import {
  type Attrs,
  BINARY,
  broadcastShapes,
  type DType,
  type ExprDef,
  numelOf,
  registerKernel,
  runOnCpu,
  TERNARY,
  Tensor,
  UNARY,
} from '@torchlet/tensor';
import { GPU_DEVICE, replaceValue, wrapDevice } from '../backend.js';
import { launch, program } from '../program.js';
import { broadcastStrides, stridedReads } from './strided-reads.js';

/**
 * Device forms of expressions whose CPU text relies on JavaScript semantics GLSL lacks (boolean
 * operands, `Math.hypot`, NaN self-comparison, named constants).
 */
const DEVICE_EXPR: Record<string, string> = {
  where: 'a !== 0.0 ? b : c',
  hypot: 'Math.sqrt(a * a + b * b)',
  xlogy: 'a === 0.0 ? 0.0 : a * Math.log(b)',
  gelu: '0.5 * a * (1.0 + erf(a * 0.7071067811865476))',
  logicalNot: 'a === 0.0',
  logicalAnd: 'a !== 0.0 && b !== 0.0',
  logicalOr: 'a !== 0.0 || b !== 0.0',
  logicalXor: '(a !== 0.0) !== (b !== 0.0)',
};

/** Ops left to the CPU kernel: NaN/∞ tests and special functions the device cannot express exactly. */
export const CPU_ONLY: ReadonlySet<string> = new Set([
  'isnan',
  'isinf',
  'isfinite',
  'isposinf',
  'isneginf',
  'signbit',
  'nanToNum',
  'erfinv',
  'lgamma',
  'digamma',
  'trigamma',
  'roundDecimals',
]);

/** Ops whose float evaluation is exact for integer operands below 2^24 (indices, labels, masks). */
const INTEGER_SAFE = new Set([
  'identity',
  'neg',
  'abs',
  'sign',
  'square',
  'relu',
  'add',
  'sub',
  'mul',
  'maximum',
  'minimum',
  'clampScalar',
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
  'where',
  'logicalNot',
  'logicalAnd',
  'logicalOr',
  'logicalXor',
]);

const OPERANDS = ['a', 'b', 'c'];

/** The `return` statement storing `expr` at the output dtype. */
function storeAs(def: ExprDef, expr: string, outDtype: DType): string {
  if (def.out === 'bool') return `if (${expr}) return 1.0;\nreturn 0.0;`;
  if (outDtype === 'bool') return `if ((${expr}) !== 0.0) return 1.0;\nreturn 0.0;`;
  if (outDtype === 'int32') return `return Math.trunc(${expr});`;
  return `return ${expr};`;
}

function deviceExpr(name: string, def: ExprDef): string {
  return DEVICE_EXPR[name] ?? def.expr;
}

/** Evaluates expression op `name` over broadcast device operands: the new values and their shape. */
function evaluate(name: string, def: ExprDef, inputs: readonly Tensor[], attrs: Attrs, shape: number[]) {
  const outDtype = attrs.dtype as DType;
  const size = numelOf(shape);
  if (size === 0) return null;
  const reads = stridedReads(
    shape,
    inputs,
    inputs.map((t) => broadcastStrides(t, shape)),
  );
  const loads = inputs.map((_, k) => `const ${OPERANDS[k]} = x${k}[i${k}];`).join('\n');
  const kernel = program(`ew:${name}:${outDtype}:${reads.key}`, () => ({
    args: { ...reads.args, p0: 'Float', p1: 'Float' },
    body: `${reads.prelude}\n${loads}\n${storeAs(def, deviceExpr(name, def), outDtype)}`,
  }));
  return launch(kernel, size, [...reads.values, attrs.p0 ?? 0, attrs.p1 ?? 0]);
}

/** Whether `t` covers its whole storage densely, so an in-place result can replace the storage. */
function ownsStorage(t: Tensor): boolean {
  return t.offset === 0 && t.isContiguous() && t.numel() === t.storage.size;
}

function register(table: Record<string, ExprDef>): void {
  for (const [name, def] of Object.entries(table)) {
    if (CPU_ONLY.has(name)) continue;
    registerKernel(GPU_DEVICE, name, (inputs, attrs) => {
      const compute = attrs.computeDtype as DType;
      const into = attrs.into as Tensor | undefined;
      const onDevice = (compute === 'float32' || INTEGER_SAFE.has(name)) && (!into || ownsStorage(into));
      if (!onDevice) return runOnCpu(name, inputs, attrs);
      const shape = into
        ? [...into.shape]
        : inputs.length === 1
          ? [...inputs[0]!.shape]
          : broadcastShapes(name, ...inputs.map((t) => t.shape));
      const value = evaluate(name, def, inputs, attrs, shape);
      if (!into) {
        const dtype = attrs.dtype as DType;
        return new Tensor(wrapDevice(value ?? new Float32Array(0), dtype, numelOf(shape)), shape);
      }
      if (value) replaceValue(into.storage, value);
      return into;
    });
  }
}

register(UNARY);
register(BINARY);
register(TERNARY);
