import { record } from '../autograd-hooks.js';
import { getBackend, run1 } from '../backend.js';
import { DTYPES, type DType, isFloating } from '../dtype.js';
import { TorchletError } from '../errors.js';
import { fromTypedArray, Tensor } from '../tensor.js';
import { installMethods } from './methods.js';

function isDType(x: string): x is DType {
  return (DTYPES as readonly string[]).includes(x);
}

/** Copies `x` into new dense storage of `dtype` (a cast when it differs). */
function copyAs(x: Tensor, dtype: DType): Tensor {
  return run1('identity', [x], { dtype, computeDtype: x.dtype });
}

/**
 * Converts to a dtype or moves to a device (`x.to('float64')`, `x.to('gpu')`). Returns `x` itself
 * when nothing changes. Floating casts and device moves are differentiable.
 */
export function to(x: Tensor, target: DType | string): Tensor {
  if (isDType(target)) {
    if (target === x.dtype) return x;
    const out = copyAs(x, target);
    return isFloating(target) && isFloating(x.dtype) ? record('cast', [x], out, { dtype: target }) : out;
  }
  if (target === x.device) return x;
  const backend = getBackend(target);
  const values = x.dataSync();
  const out = new Tensor(backend.upload(values, x.dtype), [...x.shape]);
  return record('toDevice', [x], out, { device: target });
}

/** A dense row-major tensor with the same values: `x` itself if it already is one. */
export function contiguous(x: Tensor): Tensor {
  if (x.isContiguous()) return x;
  return record('contiguous', [x], copyAs(x, x.dtype));
}

/** A copy with its own storage; gradients flow back to `x`. */
export function clone(x: Tensor): Tensor {
  return record('clone', [x], copyAs(x, x.dtype));
}

/** A copy of `x`'s data on the CPU, as a fresh tensor. */
export function cpuCopy(x: Tensor): Tensor {
  return fromTypedArray(x.dataSync(), x.shape, x.dtype);
}

function typeGuard(op: string, dtype: DType): void {
  if (!isDType(dtype))
    throw new TorchletError(`${op}: unknown dtype '${dtype}' (expected one of ${DTYPES.join(', ')})`);
}

installMethods({
  to,
  contiguous,
  clone,
  float: (x: Tensor) => to(x, 'float32'),
  double: (x: Tensor) => to(x, 'float64'),
  int: (x: Tensor) => to(x, 'int32'),
  bool: (x: Tensor) => to(x, 'bool'),
  type: (x: Tensor, dtype?: DType) => {
    if (dtype === undefined) return x.dtype;
    typeGuard('type', dtype);
    return to(x, dtype);
  },
  cpu: (x: Tensor) => to(x, 'cpu'),
});

declare module '../tensor.js' {
  interface Tensor {
    /** Converts to a dtype or moves to a device; returns `this` when nothing changes. */
    to(target: DType | string): Tensor;
    /** A dense row-major tensor with the same values (`this` if already dense). */
    contiguous(): Tensor;
    /** A copy with its own storage; differentiable. */
    clone(): Tensor;
    /** `to('float32')`. */
    float(): Tensor;
    /** `to('float64')`. */
    double(): Tensor;
    /** `to('int32')` (floats truncate toward zero). */
    int(): Tensor;
    /** `to('bool')`: nonzero → true. */
    bool(): Tensor;
    /** The dtype, or a copy converted to `dtype`. */
    type(): DType;
    type(dtype: DType): Tensor;
    /** `to('cpu')`: this tensor when already there. */
    cpu(): Tensor;
  }
}
