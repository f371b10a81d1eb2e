import { type DType, numelOf, Tensor } from '@torchlet/tensor';
import type { IKernelRunShortcut } from 'gpu.js';
import { deviceValue, wrapDevice } from '../backend.js';
import { type ArgTypes, type DeviceValue, launch, program } from '../program.js';

/** Runs `kernel` over `size` output elements; an empty output launches nothing. */
export function launchOrEmpty(
  kernel: () => IKernelRunShortcut,
  size: number,
  args: () => unknown[],
): DeviceValue {
  return size === 0 ? new Float32Array(0) : launch(kernel(), size, args());
}

/** A device tensor of `shape` filled with `value` (the result of reducing or multiplying nothing). */
export function filled(value: number, dtype: DType, shape: readonly number[]): Tensor {
  const kernel = () => program('fill', () => ({ args: { p0: 'Float' }, body: 'return p0;' }));
  return deviceTensor(
    launchOrEmpty(kernel, numelOf(shape), () => [value]),
    dtype,
    shape,
  );
}

/** A dense device tensor of `shape` around a kernel's output. */
export function deviceTensor(value: DeviceValue, dtype: DType, shape: readonly number[]): Tensor {
  return new Tensor(wrapDevice(value, dtype, numelOf(shape)), [...shape]);
}

/** `t`'s strides over its last dims, with the leading ones broadcast to `batch` (0 where broadcast). */
export function batchStrides(t: Tensor, core: number, batch: readonly number[]): number[] {
  const own = t.ndim - core;
  const lead = batch.length - own;
  return batch.map((_, d) => (d < lead || t.shape[d - lead] === 1 ? 0 : t.strides[d - lead]!));
}

/** Statements splitting `flat` into `names` (row-major, last fastest) over Integer sizes `sizes`. */
export function splitIndex(flat: string, names: readonly string[], sizes: readonly string[]): string {
  const lines = [`let rest = ${flat};`];
  for (let d = names.length - 1; d > 0; d--) {
    lines.push(`const ${names[d]} = rest % ${sizes[d]};`, `rest = (rest - ${names[d]}) / ${sizes[d]};`);
  }
  lines.push(`const ${names[0]} = rest;`);
  return lines.join('\n');
}

/** Argument names of a strided operand `n`: its array `${n}a`, offset `${n}o`, strides `${n}0…`. */
export function arrayArgs(n: string, ndim: number): ArgTypes {
  const args: ArgTypes = { [`${n}a`]: 'Array', [`${n}o`]: 'Integer' };
  for (let d = 0; d < ndim; d++) args[`${n}${d}`] = 'Integer';
  return args;
}

/** The values of {@link arrayArgs} for `t`. */
export function arrayValues(t: Tensor): unknown[] {
  return [deviceValue(t), t.offset, ...t.strides];
}
