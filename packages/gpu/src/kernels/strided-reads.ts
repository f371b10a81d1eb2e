import type { Tensor } from '@torchlet/tensor';
import { deviceValue } from '../backend.js';
import type { ArgTypes } from '../program.js';
import { coalesce, coordinates, operandArgs, operandIndex, shapeArgs } from '../strided.js';

/** `t`'s strides as seen from an output of `shape` it broadcasts to (0 along broadcast dims). */
export function broadcastStrides(t: Tensor, shape: readonly number[]): number[] {
  const lead = shape.length - t.ndim;
  return shape.map((_, d) => (d < lead || t.shape[d - lead] === 1 ? 0 : t.strides[d - lead]!));
}

/** A kernel's view of strided operands over one output shape. */
export interface StridedReads {
  /** Distinguishes compiled kernels: the coalesced rank and operand count. */
  key: string;
  args: ArgTypes;
  /** Statements defining `c0…` and `i0, i1, …`, the element index each operand reads. */
  prelude: string;
  /** Argument values in `args` order. */
  values: unknown[];
}

/**
 * Reads of `tensors` (with per-tensor `strides` over output `shape`) for output element
 * `flat` (default `this.thread.x`): dims are coalesced first, so a dense or simply broadcast operand costs one or
 * two index terms.
 */
export function stridedReads(
  shape: readonly number[],
  tensors: readonly Tensor[],
  strides: number[][],
  flat = 'this.thread.x',
): StridedReads {
  const c = coalesce(shape, strides);
  const ndim = c.shape.length;
  const args: ArgTypes = {};
  for (const s of shapeArgs(ndim)) args[s] = 'Integer';
  const values: unknown[] = [...c.shape];
  tensors.forEach((t, k) => {
    const [array, ...rest] = operandArgs(k, ndim);
    args[array!] = 'Array';
    for (const r of rest) args[r] = 'Integer';
    values.push(deviceValue(t), t.offset, ...c.strides[k]!);
  });
  const prelude = [
    coordinates(ndim, flat),
    ...tensors.map((_, k) => `const i${k} = ${operandIndex(k, ndim)};`),
  ].join('\n');
  return { key: `${ndim}:${tensors.length}`, args, prelude, values };
}
