import { type Attrs, registerKernel } from '../backend.js';
import { allocArray, castScalar, type DType, type TypedArray } from '../dtype.js';
import { IndexError } from '../errors.js';
import { contiguousStrides, numelOf } from '../shape.js';
import { copyStrided, Tensor } from '../tensor.js';
import { wrapCpu } from './backend.js';
import { forEachRow } from './iter.js';

/**
 * Gather and scatter along one dim, the two kernels every indexing op is built from
 * (`indexSelect`, `indexAdd`, `indexFill`, advanced indexing, `sort` values, `oneHot`, …).
 * The index operand is read through its strides, so a 1-D index expanded (stride 0) over the
 * other dims serves `indexSelect` without being materialized.
 */

function outOfRange(op: string, dim: number, index: number, size: number): IndexError {
  return new IndexError(
    `${op}: index ${index} is out of range for dim ${dim} with size ${size} (expected 0..${size - 1})`,
  );
}

function data(t: Tensor): TypedArray {
  return t.storage.data as TypedArray;
}

/** `out[i] = x[i with dim replaced by index[i]]`; out has the index's shape. */
function gatherKernel([x, index]: readonly Tensor[], attrs: Attrs): Tensor {
  const dim = attrs.dim as number;
  const op = (attrs.op as string | undefined) ?? 'gather';
  const shape = index!.shape;
  const out = allocArray(x!.dtype, numelOf(shape));
  const xs = [...x!.strides];
  const step = xs[dim]!;
  const size = x!.shape[dim]!;
  xs[dim] = 0;
  const xd = data(x!);
  const id = data(index!);
  forEachRow(
    shape,
    [contiguousStrides(shape), index!.strides, xs],
    [0, index!.offset, x!.offset],
    (o, n, s) => {
      let oo = o[0]!;
      let io = o[1]!;
      let xo = o[2]!;
      const [so, si, sx] = s as [number, number, number];
      if (si === 0) {
        // One index for the whole row (indexSelect, embedding lookups): a strided row copy.
        const k = id[io]!;
        if (k < 0 || k >= size) throw outOfRange(op, dim, k, size);
        const from = xo + k * step;
        if (so === 1 && sx === 1) out.set(xd.subarray(from, from + n), oo);
        else for (let j = 0, p = from; j < n; j++, oo += so, p += sx) out[oo] = xd[p]!;
        return;
      }
      for (let j = 0; j < n; j++, oo += so, io += si, xo += sx) {
        const k = id[io]!;
        if (k < 0 || k >= size) throw outOfRange(op, dim, k, size);
        out[oo] = xd[xo + k * step]!;
      }
    },
  );
  return new Tensor(wrapCpu(out, x!.dtype), [...shape]);
}

const MODES = ['none', 'sum', 'prod', 'mean', 'amax', 'amin'] as const;
/** How scattered values combine with what is already there. */
export type ScatterMode = (typeof MODES)[number];

const IDENTITY: Record<ScatterMode, number> = {
  none: 0,
  sum: 0,
  prod: 1,
  mean: 0,
  amax: Number.NEGATIVE_INFINITY,
  amin: Number.POSITIVE_INFINITY,
};

/**
 * Flat positions, in the dense output, of every element `index` addresses along `dim`, and the
 * matching positions in `src`'s storage; computed once so the combining loops stay tight.
 */
function scatterTargets(
  x: Tensor,
  index: Tensor,
  src: Tensor | undefined,
  dim: number,
  op: string,
): [Int32Array, Int32Array] {
  const os = contiguousStrides(x.shape);
  const step = os[dim]!;
  const size = x.shape[dim]!;
  os[dim] = 0;
  const id = data(index);
  const targets = new Int32Array(index.numel());
  const sources = new Int32Array(src ? index.numel() : 0);
  const srcStrides = src ? src.strides : index.shape.map(() => 0);
  let w = 0;
  forEachRow(
    index.shape,
    [index.strides, os, srcStrides],
    [index.offset, 0, src ? src.offset : 0],
    (o, n, s) => {
      let io = o[0]!;
      let oo = o[1]!;
      let so = o[2]!;
      const [si, sout, ss] = s as [number, number, number];
      for (let j = 0; j < n; j++, io += si, oo += sout, so += ss, w++) {
        const k = id[io]!;
        if (k < 0 || k >= size) throw outOfRange(op, dim, k, size);
        targets[w] = oo + k * step;
        if (src) sources[w] = so;
      }
    },
  );
  return [targets, sources];
}

/**
 * A copy of `x` with `src` (or the scalar `attrs.value`) scattered along `dim` at `index`,
 * combined by `attrs.reduce` (PyTorch's `scatter` / `scatter_add` / `scatter_reduce`).
 * With `includeSelf` false, `x`'s values at scattered positions are ignored.
 */
function scatterKernel([x, index, src]: readonly Tensor[], attrs: Attrs): Tensor {
  const dim = attrs.dim as number;
  const op = (attrs.op as string | undefined) ?? 'scatter';
  const mode = (attrs.reduce as ScatterMode | undefined) ?? 'none';
  const includeSelf = (attrs.includeSelf as boolean | undefined) ?? true;
  const dtype: DType = x!.dtype;
  const out = allocArray(dtype, x!.numel());
  if (x!.isContiguous()) out.set(data(x!).subarray(x!.offset, x!.offset + out.length));
  else copyStrided(data(x!), x!.offset, x!.shape, x!.strides, out);
  const [targets, sources] = scatterTargets(x!, index!, src, dim, op);
  const n = targets.length;
  // A scalar value is spread into a buffer so every mode reads `vals[sources[i]]`.
  const vals = src ? data(src) : allocArray(dtype, 1).fill(castScalar((attrs.value as number) ?? 0, dtype));
  const at = src ? sources : new Int32Array(n);
  const counts = mode === 'mean' ? new Int32Array(out.length).fill(1) : null;
  if (!includeSelf && mode !== 'none') {
    for (let i = 0; i < n; i++) out[targets[i]!] = IDENTITY[mode];
    if (counts) for (let i = 0; i < n; i++) counts[targets[i]!] = 0;
  }
  switch (mode) {
    case 'none':
      for (let i = 0; i < n; i++) out[targets[i]!] = vals[at[i]!]!;
      break;
    case 'sum':
    case 'mean':
      if (dtype === 'bool') for (let i = 0; i < n; i++) out[targets[i]!] |= vals[at[i]!]!;
      else for (let i = 0; i < n; i++) out[targets[i]!]! += vals[at[i]!];
      if (counts) for (let i = 0; i < n; i++) counts[targets[i]!]!++;
      break;
    case 'prod':
      for (let i = 0; i < n; i++) out[targets[i]!]! *= vals[at[i]!];
      break;
    case 'amax':
      for (let i = 0; i < n; i++) {
        const v = vals[at[i]!]!;
        const t = targets[i]!;
        if (v > out[t]! || v !== v) out[t] = v;
      }
      break;
    case 'amin':
      for (let i = 0; i < n; i++) {
        const v = vals[at[i]!]!;
        const t = targets[i]!;
        if (v < out[t]! || v !== v) out[t] = v;
      }
      break;
  }
  if (counts) {
    const floor = dtype === 'int32';
    for (let i = 0; i < out.length; i++) {
      const c = counts[i]!;
      if (c > 1) out[i] = floor ? Math.floor(out[i]! / c) : out[i]! / c;
    }
  }
  return new Tensor(wrapCpu(out, dtype), [...x!.shape]);
}

/** Checks every index against `attrs.size` and wraps negative ones; errors name the op and dim. */
function wrapIndexKernel([index]: readonly Tensor[], attrs: Attrs): Tensor {
  const size = attrs.size as number;
  const values = index!.dataSync();
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const k = values[i]!;
    if (k < -size || k >= size) {
      throw new IndexError(
        `${attrs.op}: index ${k} is out of range for dim ${attrs.dim} with size ${size} (expected ${-size}..${size - 1})`,
      );
    }
    out[i] = k < 0 ? k + size : k;
  }
  return new Tensor(wrapCpu(out, 'int32'), [...index!.shape]);
}

/** Coordinates of nonzero elements in row-major order: int32 of shape [count, ndim]. */
function nonzeroKernel([x]: readonly Tensor[]): Tensor {
  const values = x!.dataSync();
  const nd = x!.ndim;
  let count = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) count++;
  const out = new Int32Array(count * nd);
  const strides = contiguousStrides(x!.shape);
  let r = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] === 0) continue;
    let rest = i;
    for (let d = 0; d < nd; d++) {
      out[r++] = Math.floor(rest / strides[d]!);
      rest %= strides[d]!;
    }
  }
  return new Tensor(wrapCpu(out, 'int32'), [count, nd]);
}

registerKernel('cpu', 'gather', gatherKernel);
registerKernel('cpu', 'scatter', scatterKernel);
registerKernel('cpu', 'wrapIndex', wrapIndexKernel);
registerKernel('cpu', 'nonzero', nonzeroKernel);
