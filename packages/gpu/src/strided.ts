/**
 * Source for reading strided operands from a flat output index. A kernel over an output of shape
 * `s0 … s(n-1)` splits `this.thread.x` into coordinates, and operand `k` (array `x{k}`) reads
 * `x{k}[o{k} + Σ c_d · t{k}_{d}]`: any view (transposed, sliced, broadcast with stride 0) is read
 * where it lies, with no copy first.
 */

/** Argument names of an `ndim`-dimensional output shape. */
export function shapeArgs(ndim: number): string[] {
  return Array.from({ length: ndim }, (_, d) => `s${d}`);
}

/** Argument names of operand `k`: its array, offset and strides. */
export function operandArgs(k: number, ndim: number): string[] {
  return [`x${k}`, `o${k}`, ...Array.from({ length: ndim }, (_, d) => `t${k}_${d}`)];
}

/** Statements that define coordinates `c0 … c(n-1)` of output element `flat` (row-major). */
export function coordinates(ndim: number, flat = 'this.thread.x'): string {
  if (ndim === 0) return '';
  const lines = [`let rem = ${flat};`];
  for (let d = ndim - 1; d > 0; d--) {
    lines.push(`const c${d} = rem % s${d};`, `rem = (rem - c${d}) / s${d};`);
  }
  lines.push('const c0 = rem;');
  return lines.join('\n');
}

/** The element index operand `k` reads at coordinates `c0 … c(n-1)`. */
export function operandIndex(k: number, ndim: number): string {
  const terms = [`o${k}`];
  for (let d = 0; d < ndim; d++) terms.push(`c${d} * t${k}_${d}`);
  return terms.join(' + ');
}

/**
 * Merges adjacent dims that every operand walks as one (`stride[d] = stride[d+1] · shape[d+1]`) and
 * drops size-1 dims, so most kernels index 1 or 2 dims whatever the tensors' rank.
 */
export function coalesce(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
): {
  shape: number[];
  strides: number[][];
} {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const size = shape[d]!;
    if (size === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && strides.every((s, k) => outStrides[k]![last] === s[d]! * size)) {
      outShape[last]! *= size;
      strides.forEach((s, k) => {
        outStrides[k]![last] = s[d]!;
      });
    } else {
      outShape.push(size);
      strides.forEach((s, k) => {
        outStrides[k]!.push(s[d]!);
      });
    }
  }
  return { shape: outShape, strides: outStrides };
}
