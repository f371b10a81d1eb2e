/**
 * Strided N-d iteration shared by CPU kernels. Dims that are contiguous for every operand are
 * merged first, so a same-shape contiguous op is a single row and `[N,C] + [C]` is N rows of C.
 * Callbacks run once per innermost row (or 2-D block), never per element.
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
 * Calls `block(offsets, rows, n, outerStrides, innerStrides)` for every 2-D block made of the two
 * innermost (coalesced) dims: `rows` rows of `n` elements, operand k's element (r, j) at
 * `offsets[k] + r * outerStrides[k] + j * innerStrides[k]`. A kernel that loops over both dims
 * itself costs one call per block, so small rows (`[100000, 3] + [3]`) stay fast.
 * `offsets` passed to `block` is reused between calls.
 */
export function forEachBlock(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
  offsets: readonly number[],
  block: (offsets: number[], rows: number, n: number, outer: number[], inner: number[]) => void,
): void {
  for (const d of shape) if (d === 0) return;
  const [cs, cst] = coalesce(shape, strides);
  const k = offsets.length;
  const cur = [...offsets];
  const nd = cs.length;
  const n = nd > 0 ? cs[nd - 1]! : 1;
  const rows = nd > 1 ? cs[nd - 2]! : 1;
  const inner = cst.map((s) => (nd > 0 ? s[nd - 1]! : 0));
  const outer = cst.map((s) => (nd > 1 ? s[nd - 2]! : 0));
  if (nd <= 2) {
    block(cur, rows, n, outer, inner);
    return;
  }
  const counter = new Array<number>(nd - 2).fill(0);
  const base = [...offsets];
  for (;;) {
    for (let j = 0; j < k; j++) cur[j] = base[j]!;
    block(cur, rows, n, outer, inner);
    // Advance the odometer over the dims outside the block.
    let d = nd - 3;
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
  const k = offsets.length;
  const at = new Array<number>(k);
  forEachBlock(shape, strides, offsets, (offs, rows, n, outer, inner) => {
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < k; j++) at[j] = offs[j]! + r * outer[j]!;
      row(at, n, inner);
    }
  });
}
