import { type Attrs, registerKernel } from '../backend.js';
import { allocArray, type DType, type TypedArray } from '../dtype.js';
import { copyStrided, Tensor } from '../tensor.js';
import { wrapCpu } from './backend.js';

/**
 * Reductions see their input as a dense [outer, inner] matrix: the kept dims first, the reduced
 * dims last. When the reduced dims already are the trailing dense dims nothing is copied.
 */
export interface Rows {
  data: TypedArray;
  offset: number;
  outer: number;
  inner: number;
}

export function reductionRows(x: Tensor, dims: readonly number[]): Rows {
  const kept = x.shape.map((_, i) => i).filter((i) => !dims.includes(i));
  const order = [...kept, ...dims];
  const shape = order.map((d) => x.shape[d]!);
  const strides = order.map((d) => x.strides[d]!);
  const inner = dims.reduce((n, d) => n * x.shape[d]!, 1);
  const outer = kept.reduce((n, d) => n * x.shape[d]!, 1);
  const src = x.storage.data as TypedArray;
  const identity = order.every((d, i) => d === i);
  if (identity && x.isContiguous()) return { data: src, offset: x.offset, outer, inner };
  const data = allocArray(x.dtype, outer * inner);
  copyStrided(src, x.offset, shape, strides, data);
  return { data, offset: 0, outer, inner };
}

/** The output shape of reducing `dims` of `shape`. */
export function reducedShape(shape: readonly number[], dims: readonly number[], keepdim: boolean): number[] {
  return keepdim
    ? shape.map((d, i) => (dims.includes(i) ? 1 : d))
    : shape.filter((_, i) => !dims.includes(i));
}

function outTensor(data: TypedArray, dtype: DType, shape: number[]): Tensor {
  return new Tensor(wrapCpu(data, dtype), shape);
}

type RowReducer = (data: TypedArray, start: number, n: number) => number;

function reduction(reduce: RowReducer) {
  return ([x]: readonly Tensor[], attrs: Attrs): Tensor => {
    const dims = attrs.dims as number[];
    const dtype = attrs.dtype as DType;
    const { data, offset, outer, inner } = reductionRows(x!, dims);
    const out = allocArray(dtype, outer);
    for (let o = 0; o < outer; o++) out[o] = reduce(data, offset + o * inner, inner);
    return outTensor(out, dtype, reducedShape(x!.shape, dims, attrs.keepdim as boolean));
  };
}

const sumRow: RowReducer = (d, s, n) => {
  let acc = 0;
  for (let i = s; i < s + n; i++) acc += d[i]!;
  return acc;
};
const prodRow: RowReducer = (d, s, n) => {
  let acc = 1;
  for (let i = s; i < s + n; i++) acc *= d[i]!;
  return acc;
};
// max/min propagate NaN, as PyTorch does.
const maxRow: RowReducer = (d, s, n) => {
  let m = Number.NEGATIVE_INFINITY;
  for (let i = s; i < s + n; i++) {
    const v = d[i]!;
    if (v > m || v !== v) m = v;
    if (m !== m) break;
  }
  return m;
};
const minRow: RowReducer = (d, s, n) => {
  let m = Number.POSITIVE_INFINITY;
  for (let i = s; i < s + n; i++) {
    const v = d[i]!;
    if (v < m || v !== v) m = v;
    if (m !== m) break;
  }
  return m;
};
// First index of the extreme value (NaN counts as the extreme), as PyTorch.
const argmaxRow: RowReducer = (d, s, n) => {
  let m = d[s]!;
  let k = 0;
  for (let i = 1; i < n && m === m; i++) {
    const v = d[s + i]!;
    if (v > m || v !== v) {
      m = v;
      k = i;
    }
  }
  return k;
};
const argminRow: RowReducer = (d, s, n) => {
  let m = d[s]!;
  let k = 0;
  for (let i = 1; i < n && m === m; i++) {
    const v = d[s + i]!;
    if (v < m || v !== v) {
      m = v;
      k = i;
    }
  }
  return k;
};
const allRow: RowReducer = (d, s, n) => {
  for (let i = s; i < s + n; i++) if (d[i] === 0) return 0;
  return 1;
};
const anyRow: RowReducer = (d, s, n) => {
  for (let i = s; i < s + n; i++) if (d[i] !== 0) return 1;
  return 0;
};

registerKernel('cpu', 'sum', reduction(sumRow));
registerKernel('cpu', 'prod', reduction(prodRow));
registerKernel('cpu', 'amax', reduction(maxRow));
registerKernel('cpu', 'amin', reduction(minRow));
registerKernel('cpu', 'argmax', reduction(argmaxRow));
registerKernel('cpu', 'argmin', reduction(argminRow));
registerKernel('cpu', 'all', reduction(allRow));
registerKernel('cpu', 'any', reduction(anyRow));
