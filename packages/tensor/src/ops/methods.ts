import { Tensor } from '../tensor.js';

// biome-ignore lint/suspicious/noExplicitAny: methods forward arbitrary op signatures.
type OpFn = (self: Tensor, ...args: any[]) => unknown;

/**
 * Installs ops as `Tensor` methods (`x.exp()` calls `exp(x)`). Each op module installs its own
 * methods and declares them on the `Tensor` interface, so ops stay in small files of their own.
 */
export function installMethods(methods: Record<string, OpFn>): void {
  for (const [name, fn] of Object.entries(methods)) {
    Object.defineProperty(Tensor.prototype, name, {
      value: function (this: Tensor, ...args: unknown[]) {
        return fn(this, ...args);
      },
      writable: true,
      configurable: true,
    });
  }
}
