import type { Tensor } from '../tensor.js';

/**
 * `values` as an array that also holds each under its name, like PyTorch's named tuples:
 * `const [Q, R] = linalg.qr(A)` and `linalg.qr(A).R` both work. The names are non-enumerable,
 * so spreading, `Object.values` and iteration see each tensor once, in order.
 * @example const r = namedTuple<[Tensor, Tensor] & { Q: Tensor; R: Tensor }>(['Q', 'R'], [q, r]);
 */
export function namedTuple<T extends readonly Tensor[]>(
  names: readonly string[],
  values: readonly Tensor[],
): T {
  const out = [...values];
  names.forEach((name, i) => {
    Object.defineProperty(out, name, {
      value: values[i],
      enumerable: false,
      writable: true,
      configurable: true,
    });
  });
  return out as unknown as T;
}
