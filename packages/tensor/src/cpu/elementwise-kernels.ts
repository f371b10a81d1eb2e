import { type Attrs, registerKernel } from '../backend.js';
import { allocArray, type DType } from '../dtype.js';
import { BINARY, CPU_UNARY, type ExprDef, exprFor, TERNARY, UNARY } from '../ops/expressions.js';
import { broadcastShapes, numelOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { wrapCpu } from './backend.js';
import { elementwise, isFlat } from './elementwise.js';

/**
 * The value a loop stores. Comparisons and other bool ops yield JavaScript booleans, which a
 * Uint8Array stores as 0/1 without a branch (a `? 1 : 0` here made them 5× slower on random data);
 * numeric results written to a bool output still need a test.
 */
function loopExpr(def: ExprDef, computeDtype: DType, outDtype: DType): string {
  const expr = exprFor(def, computeDtype);
  // `!== 0` on the number makes NaN true, as PyTorch's cast to bool does.
  return outDtype === 'bool' && def.out !== 'bool' ? `(+(${expr}) !== 0)` : expr;
}

/** Runs expression op `name` as its kernel attributes say. */
function runExpr(name: string, def: ExprDef, inputs: readonly Tensor[], attrs: Attrs): Tensor {
  return elementwise(
    name,
    loopExpr(def, attrs.computeDtype as DType, attrs.dtype as DType),
    inputs,
    attrs.dtype as DType,
    (attrs.p0 as number | undefined) ?? 0,
    (attrs.p1 as number | undefined) ?? 0,
    attrs.into as Tensor | undefined,
  );
}

function register(table: Record<string, ExprDef>): void {
  for (const [name, def] of Object.entries(table)) {
    registerKernel('cpu', name, (inputs, attrs) => runExpr(name, def, inputs, attrs));
  }
}

register(UNARY);
register(CPU_UNARY);
register(BINARY);
register(TERNARY);

/**
 * relu of dense float32 without a branch per element: the sign test (0 or 1) becomes a mask over
 * the value's bits, so NaN and −0 pass through exactly as in `a < 0 ? 0 : a`, whose mispredicted
 * branch made relu 5× slower on the random-signed activations of training. Other inputs take
 * the expression kernel, which this one is tested against.
 */
function reluFloat32(x: Tensor): Tensor {
  const n = x.numel();
  const src = x.storage.data as Float32Array;
  const values = src.subarray(x.offset, x.offset + n);
  const bits = new Int32Array(src.buffer, src.byteOffset + x.offset * 4, n);
  const out = allocArray('float32', n) as Float32Array;
  const outBits = new Int32Array(out.buffer, out.byteOffset, n);
  for (let i = 0; i < n; i++) outBits[i] = bits[i]! & (+(values[i]! < 0) - 1);
  return new Tensor(wrapCpu(out, 'float32'), [...x.shape]);
}

registerKernel('cpu', 'relu', (inputs, attrs) => {
  const x = inputs[0]!;
  const dense =
    x.dtype === 'float32' && attrs.dtype === 'float32' && attrs.into === undefined && x.isContiguous();
  return dense ? reluFloat32(x) : runExpr('relu', UNARY.relu, inputs, attrs);
});

/** The 32-bit words of a float32 tensor's storage (its element `i` is word `offset + i`). */
function words(t: Tensor): Int32Array {
  const data = t.storage.data as Float32Array;
  return new Int32Array(data.buffer, data.byteOffset, data.length);
}

/**
 * where(cond, b, c) over float32 operands that are each dense in the output's shape or a single
 * element, without a branch per element: the condition byte becomes a mask choosing b's or c's
 * bits (as in relu). On the random masks of training (relu's gradient, dropout, attention masks)
 * the branchy loop mispredicts half the time. Other layouts take the expression kernel.
 */
function whereFloat32(cond: Tensor, b: Tensor, c: Tensor, shape: number[]): Tensor {
  const n = numelOf(shape);
  const out = allocArray('float32', n) as Float32Array;
  const o = new Int32Array(out.buffer, out.byteOffset, n);
  const m = cond.storage.data as Uint8Array;
  const [bw, cw] = [words(b), words(c)];
  // Step 0 repeats a single element; offsets index the operands' storages.
  const [ms, bs, cs] = [cond, b, c].map((t) => (t.numel() === 1 ? 0 : 1)) as [number, number, number];
  for (let i = 0, mi = cond.offset, bi = b.offset, ci = c.offset; i < n; i++, mi += ms, bi += bs, ci += cs) {
    const k = -m[mi]!;
    o[i] = (bw[bi]! & k) | (cw[ci]! & ~k);
  }
  return new Tensor(wrapCpu(out, 'float32'), shape);
}

registerKernel('cpu', 'where', (inputs, attrs) => {
  const [cond, b, c] = inputs as [Tensor, Tensor, Tensor];
  const shape = broadcastShapes('where', cond.shape, b.shape, c.shape);
  const dense =
    attrs.dtype === 'float32' &&
    attrs.into === undefined &&
    cond.dtype === 'bool' &&
    b.dtype === 'float32' &&
    c.dtype === 'float32' &&
    isFlat(inputs, shape);
  return dense ? whereFloat32(cond, b, c, shape) : runExpr('where', TERNARY.where, inputs, attrs);
});

/**
 * relu's backward over dense float32 operands of one shape, without a branch per element: the
 * gradient's bits are kept where the result is > 0 (or NaN) and cleared where it is ≤ 0.
 */
function reluBackwardFloat32(g: Tensor, y: Tensor): Tensor {
  const n = g.numel();
  const gw = words(g);
  const yv = y.storage.data as Float32Array;
  const out = allocArray('float32', n) as Float32Array;
  const o = new Int32Array(out.buffer, out.byteOffset, n);
  for (let i = 0, gi = g.offset, yi = y.offset; i < n; i++, gi++, yi++)
    o[i] = gw[gi]! & (+(yv[yi]! <= 0) - 1);
  return new Tensor(wrapCpu(out, 'float32'), [...g.shape]);
}

registerKernel('cpu', 'reluBackward', (inputs, attrs) => {
  const [g, y] = inputs as [Tensor, Tensor];
  const dense =
    attrs.dtype === 'float32' &&
    attrs.into === undefined &&
    g.dtype === 'float32' &&
    y.dtype === 'float32' &&
    g.numel() === y.numel() &&
    isFlat(inputs, [...g.shape]);
  return dense ? reluBackwardFloat32(g, y) : runExpr('reluBackward', BINARY.reluBackward, inputs, attrs);
});
