import { registerKernel } from '../backend.js';
import type { DType } from '../dtype.js';
import { BINARY, type ExprDef, exprFor, TERNARY, UNARY } from '../ops/expressions.js';
import type { Tensor } from '../tensor.js';
import { elementwise } from './elementwise.js';

function register(table: Record<string, ExprDef>): void {
  for (const [name, def] of Object.entries(table)) {
    registerKernel('cpu', name, (inputs, attrs) =>
      elementwise(
        name,
        exprFor(def, attrs.computeDtype as DType),
        inputs,
        attrs.dtype as DType,
        (attrs.p0 as number | undefined) ?? 0,
        (attrs.p1 as number | undefined) ?? 0,
        attrs.into as Tensor | undefined,
      ),
    );
  }
}

register(UNARY);
register(BINARY);
register(TERNARY);
