import type { Tensor } from '@torchlet/tensor';
import { type DeviceValue, launch, program } from '../program.js';
import { stridedReads } from './strided-reads.js';

/**
 * Packing an operand four elements to a texel, so a dot product reads one vec4 per four terms.
 * On WebGL each read of a flat texture costs a texel address (integer division and modulo) and a
 * fetch, and in a matmul or convolution those reads, not the multiply-adds, are the time: packed,
 * the inner loop makes a quarter of them.
 */

/** Where a packed operand's rows lie: `shape`/`strides` index the rows, `length`/`step` walk one row. */
export interface PackedRows {
  shape: readonly number[];
  strides: number[];
  length: number;
  step: number;
}

/** Texels per packed row: the row length rounded up to whole groups of four. */
export function packedLength(length: number): number {
  return Math.ceil(length / 4);
}

/**
 * `t`'s rows as a texture of vec4 texels, row after row (row-major over `rows.shape`), each row
 * padded with zeros to a multiple of four so the padding adds nothing to a dot product.
 */
export function packRows(t: Tensor, rows: PackedRows): DeviceValue {
  const reads = stridedReads(rows.shape, [t], [rows.strides], 'row');
  const kernel = program(`pack:${reads.key}`, () => ({
    args: { ...reads.args, L: 'Integer', Lq: 'Integer', u: 'Integer' },
    body: `const j = this.thread.x % Lq;
const row = (this.thread.x - j) / Lq;
${reads.prelude}
const k = j * 4;
const p = i0 + k * u;
const v0 = x0[p];
const v1 = k + 1 < L ? x0[p + u] : 0.0;
const v2 = k + 2 < L ? x0[p + 2 * u] : 0.0;
const v3 = k + 3 < L ? x0[p + 3 * u] : 0.0;
return [v0, v1, v2, v3];`,
  }));
  const count = rows.shape.reduce((a, b) => a * b, 1);
  const Lq = packedLength(rows.length);
  return launch(kernel, count * Lq, [...reads.values, rows.length, Lq, rows.step]);
}

/** Frees a packed texture once the kernel reading it has run (it never outlives the op). */
export function freePacked(value: DeviceValue): void {
  if (!(value instanceof Float32Array)) value.delete();
}
