import { registerKernel } from '../backend.js';
import type { DType } from '../dtype.js';
import { BINARY, type ExprDef, exprFor, TERNARY, UNARY } from '../ops/expressions.js';
import type { Tensor } from '../tensor.js';
import { elementwise } from './elementwise.js';

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

function register(table: Record<string, ExprDef>): void {
  for (const [name, def] of Object.entries(table)) {
    registerKernel('cpu', name, (inputs, attrs) =>
      elementwise(
        name,
        loopExpr(def, attrs.computeDtype as DType, attrs.dtype as DType),
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
