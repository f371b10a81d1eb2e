import { type Attrs, registerKernel } from '../../backend.js';
import { allocArray, type DType, type TypedArray } from '../../dtype.js';
import { Tensor } from '../../tensor.js';
import { wrapCpu } from '../backend.js';

/** Sum of the main diagonal of a 2-D tensor, read through its strides (no copy). */
registerKernel('cpu', 'trace', ([x], attrs: Attrs) => {
  const t = x!;
  const dtype = attrs.dtype as DType;
  const data = t.storage.data as TypedArray;
  const n = Math.min(t.shape[0]!, t.shape[1]!);
  const step = t.strides[0]! + t.strides[1]!;
  let s = 0;
  for (let i = 0, p = t.offset; i < n; i++, p += step) s += data[p]!;
  const out = allocArray(dtype, 1);
  out[0] = s;
  return new Tensor(wrapCpu(out, dtype), []);
});
