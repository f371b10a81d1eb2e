/**
 * Strided N-d iteration shared by CPU kernels. Dims that are contiguous for every operand are
 * merged first, so a same-shape contiguous op is a single row and `[N,C] + [C]` is N rows of C.
 * The callback runs once per innermost row, never per element.
 */

/** Merges adjacent dims where every operand's strides allow it; drops size-1 dims. */
export function coalesce(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
): [number[], number[][]] {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]!;
    if (d === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && strides.every((s, k) => outStrides[k]![last] === s[i]! * d)) {
      outShape[last]! *= d;
      strides.forEach((s, k) => {
        outStrides[k]![last] = s[i]!;
      });
    } else {
      outShape.push(d);
      strides.forEach((s, k) => {
        outStrides[k]!.push(s[i]!);
      });
    }
  }
  return [outShape, outStrides];
}

/**
 * Calls `row(offsets, n, innerStrides)` for every innermost row of a `shape`-shaped iteration over
 * operands starting at `offsets` with `strides`. `offsets` passed to `row` is reused between calls.
 */
export function forEachRow(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
  offsets: readonly number[],
  row: (offsets: number[], n: number, innerStrides: number[]) => void,
): void {
  const [cs, cst] = coalesce(shape, strides);
  const k = offsets.length;
  const cur = [...offsets];
  for (const d of shape) if (d === 0) return;
  if (cs.length === 0) {
    row(cur, 1, new Array<number>(k).fill(0));
    return;
  }
  const nd = cs.length;
  const n = cs[nd - 1]!;
  const inner = cst.map((s) => s[nd - 1]!);
  if (nd === 1) {
    row(cur, n, inner);
    return;
  }
  const counter = new Array<number>(nd - 1).fill(0);
  const base = [...offsets];
  for (;;) {
    for (let j = 0; j < k; j++) cur[j] = base[j]!;
    row(cur, n, inner);
    // Advance the odometer over the outer dims.
    let d = nd - 2;
    for (; d >= 0; d--) {
      counter[d]!++;
      for (let j = 0; j < k; j++) base[j]! += cst[j]![d];
      if (counter[d]! < cs[d]!) break;
      for (let j = 0; j < k; j++) base[j]! -= cst[j]![d]! * cs[d]!;
      counter[d] = 0;
    }
    if (d < 0) return;
  }
}
