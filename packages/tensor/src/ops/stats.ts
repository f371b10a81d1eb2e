import { wrapCpu } from '../cpu/backend.js';
import { isFloating } from '../dtype.js';
import { DTypeError, fmtShape, IndexError, ShapeError, TorchletError } from '../errors.js';
import { normalizeDim } from '../shape.js';
import { Tensor, type TensorLike } from '../tensor.js';
import { asTensor, full, scalarTensor, zeros } from './creation.js';
import { floorDivide, isnan, lerp, where } from './elementwise.js';
import { gather } from './gather-scatter.js';
import { installMethods } from './methods.js';
import { namedTuple } from './named-tuple.js';
import { amax, amin, type ValuesIndices, valuesIndices } from './reduce.js';
import { argsort, searchsorted, sort } from './sort.js';

/** `x` with `dim` normalized, or flattened to 1-D with dim 0 when `dim` is omitted. */
function alongDim(op: string, x: Tensor, dim: number | undefined): [Tensor, number] {
  if (dim === undefined || x.ndim === 0) {
    if (dim !== undefined) normalizeDim(dim, 0, op);
    return [x.reshape([-1]), 0];
  }
  return [x, normalizeDim(dim, x.ndim, op)];
}

function checkNonEmptyDim(op: string, x: Tensor, dim: number): void {
  if (x.shape[dim] === 0) {
    throw new IndexError(`${op}: expected a non-empty dim ${dim}, got shape ${fmtShape(x.shape)}`);
  }
}

/**
 * The element at per-row sorted position `pos` (keepdim-shaped int32) along `dim`, with its
 * index in `x`: values come from `gather(x, …)`, so they are differentiable.
 */
function pickSorted(x: Tensor, dim: number, pos: Tensor, keepdim: boolean): ValuesIndices {
  const order = argsort(x, dim);
  const indices = gather(order, dim, pos);
  const values = gather(x, dim, indices);
  return keepdim ? valuesIndices(values, indices) : valuesIndices(values.squeeze(dim), indices.squeeze(dim));
}

/** NaNs per row along `dim` (keepdim-shaped int32). */
function nanCount(x: Tensor, dim: number): Tensor {
  return isnan(x).sum(dim, true);
}

/** Lower median (the element at (n − 1) // 2 in sorted order), or NaN where the row has NaN. */
function medianOp(op: string, x: Tensor, dim: number | undefined, keepdim: boolean, skipNan: boolean) {
  const [t, d] = alongDim(op, x, dim);
  checkNonEmptyDim(op, t, d);
  const n = t.shape[d]!;
  const nans = nanCount(t, d);
  // Sorting puts NaNs last in position order, so n − nans is where the first NaN sits.
  // nanmedian of a row of NaN alone gives its middle NaN, as PyTorch.
  const pos = skipNan
    ? where(nans.eq(n), (n - 1) >> 1, floorDivide(nans.neg().add(n - 1), 2))
    : where(nans.gt(0), nans.neg().add(n), (n - 1) >> 1);
  const r = pickSorted(t, d, pos.to('int32'), keepdim && dim !== undefined);
  if (dim !== undefined || x.ndim === 0) return r;
  return valuesIndices(r.values.reshape([]), r.indices.reshape([]));
}

/**
 * The lower median along `dim` with its index, as `torch.median` (a NaN in a row makes its
 * median NaN); over all elements (one 0-d tensor) when `dim` is omitted. Among equal values the
 * index is one of theirs (PyTorch does not promise which either).
 */
export function median(x: Tensor): Tensor;
export function median(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function median(x: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  const r = medianOp('median', x, dim, keepdim, false);
  return dim === undefined ? r.values : r;
}

/** {@link median} ignoring NaN, as `torch.nanmedian` (NaN only for rows of NaN alone). */
export function nanmedian(x: Tensor): Tensor;
export function nanmedian(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function nanmedian(x: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  const r = medianOp('nanmedian', x, dim, keepdim, true);
  return dim === undefined ? r.values : r;
}

/** How {@link quantile} picks between the two nearest ranks, as PyTorch's `interpolation`. */
export type QuantileInterpolation = 'linear' | 'lower' | 'higher' | 'midpoint' | 'nearest';

/** Options of {@link quantile}. */
export interface QuantileOptions {
  /** The dim to reduce; all elements (flattened) when omitted. */
  dim?: number;
  /** Keep the reduced dim with size 1. */
  keepdim?: boolean;
  /** Default 'linear'. */
  interpolation?: QuantileInterpolation;
}

function quantileOp(
  op: string,
  x: Tensor,
  q: TensorLike,
  options: QuantileOptions,
  skipNan: boolean,
): Tensor {
  if (!isFloating(x.dtype))
    throw new DTypeError(`${op}: expected a float32 or float64 input, got ${x.dtype}`);
  const interpolation = options.interpolation ?? 'linear';
  if (!['linear', 'lower', 'higher', 'midpoint', 'nearest'].includes(interpolation)) {
    throw new TorchletError(`${op}: unknown interpolation '${interpolation}'`);
  }
  const qs = q instanceof Tensor ? q.to(x.dtype) : scalarTensor(q as number, x.dtype);
  if (qs.ndim > 1) throw new ShapeError(`${op}: q must be a scalar or 1-D, got shape ${fmtShape(qs.shape)}`);
  const qv = qs.dataSync();
  for (const v of qv) {
    if (!(v >= 0 && v <= 1)) throw new TorchletError(`${op}: q values must be in the range [0, 1], got ${v}`);
  }
  const [t, d] = alongDim(op, x, options.dim);
  checkNonEmptyDim(op, t, d);
  const n = t.shape[d]!;
  const nans = nanCount(t, d).to(x.dtype);
  const sorted = sort(t, d).values;
  // One slice per q, stacked in front: ranks are q·(count − 1) per row, in x's dtype as PyTorch.
  const qShape = [qv.length, ...nans.shape.map(() => 1)];
  const count = skipNan ? nans.neg().add(n) : full(nans.shape, n, { dtype: x.dtype });
  const ranks = qs.reshape(qShape).mul(count.sub(1).clamp(0).unsqueeze(0));
  let below = ranks.floor();
  let above = ranks.ceil();
  if (interpolation === 'lower') above = below;
  if (interpolation === 'higher') below = above;
  if (interpolation === 'nearest') below = above = ranks.round();
  const expanded = sorted.unsqueeze(0).expand([qv.length, ...sorted.shape]);
  const take = (r: Tensor) => gather(expanded, d + 1, r.to('int32').expand([qv.length, ...nans.shape]));
  const lo = take(below);
  const hi = take(above);
  const weight = interpolation === 'midpoint' ? 0.5 : interpolation === 'linear' ? ranks.sub(below) : 0;
  let out = interpolation === 'linear' || interpolation === 'midpoint' ? lerp(lo, hi, weight) : lo;
  // A row with NaN (quantile) or of NaN alone (nanquantile) has a NaN quantile.
  const invalid = skipNan ? count.eq(0) : nans.gt(0);
  out = where(invalid.unsqueeze(0), Number.NaN, out);
  if (!(options.keepdim && options.dim !== undefined)) out = out.squeeze(d + 1);
  if (options.keepdim && options.dim === undefined) out = out.reshape([qv.length, ...x.shape.map(() => 1)]);
  return qs.ndim === 0 ? out.squeeze(0) : out;
}

/**
 * The `q`-th quantiles (q a number or 1-D tensor in [0, 1]) along `dim`, as `torch.quantile`:
 * a 1-D `q` adds a leading dim. Rows with NaN give NaN. Floating inputs only.
 * @example quantile(tensor([1, 2, 3, 4]), 0.5).item(); // 2.5
 */
export function quantile(x: Tensor, q: TensorLike, options: QuantileOptions = {}): Tensor {
  return quantileOp('quantile', x, q, options, false);
}

/** {@link quantile} ignoring NaN, as `torch.nanquantile`. */
export function nanquantile(x: Tensor, q: TensorLike, options: QuantileOptions = {}): Tensor {
  return quantileOp('nanquantile', x, q, options, true);
}

/**
 * The most frequent value along `dim` (the smallest among equally frequent ones) and the index
 * of its last occurrence, as `torch.mode`. Values are differentiable (gathered from `x`).
 */
export function mode(x: Tensor, dim = -1, keepdim = false): ValuesIndices {
  const d = x.ndim === 0 ? 0 : normalizeDim(dim, x.ndim, 'mode');
  const t = x.ndim === 0 ? x.reshape([1]) : x;
  checkNonEmptyDim('mode', t, d);
  // Rows laid out last and contiguous, so each row is one run of the flat arrays.
  const order = argsort(t, d).movedim(d, -1).contiguous().dataSync();
  const vals = t.movedim(d, -1).contiguous().dataSync();
  const n = t.shape[d]!;
  const rows = order.length / n;
  const picked = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const base = r * n;
    let best = -1;
    let bestCount = 0;
    for (let i = 0; i < n; ) {
      const v = vals[base + order[base + i]!]!;
      let j = i + 1;
      while (j < n && vals[base + order[base + j]!] === v) j++;
      // The stable order puts the last occurrence of a value at the end of its run.
      if (j - i > bestCount) {
        bestCount = j - i;
        best = order[base + j - 1]!;
      }
      i = j;
    }
    picked[r] = best;
  }
  const keptShape = t.shape.map((s, i) => (i === d ? 1 : s));
  const lastShape = [...keptShape.slice(0, d), ...keptShape.slice(d + 1), 1];
  const indices = new Tensor(wrapCpu(picked, 'int32'), lastShape).movedim(-1, d).to(x.device);
  const values = gather(t, d, indices);
  if (x.ndim === 0) return valuesIndices(values.reshape([]), indices.reshape([]));
  return keepdim ? valuesIndices(values, indices) : valuesIndices(values.squeeze(d), indices.squeeze(d));
}

/** `[min, max]` of {@link aminmax}, also by name. */
export type MinMax = [min: Tensor, max: Tensor] & { min: Tensor; max: Tensor };

/** The smallest and largest values over `dim` (all when omitted), as `torch.aminmax`. */
export function aminmax(x: Tensor, options: { dim?: number; keepdim?: boolean } = {}): MinMax {
  const { dim, keepdim = false } = options;
  return namedTuple<MinMax>(['min', 'max'], [amin(x, dim, keepdim), amax(x, dim, keepdim)]);
}

/**
 * Histogram of `x` with `bins` equal bins over [min, max], as `torch.histc`: when min = max the
 * data's own range is used; values outside the range and NaN are ignored (PyTorch 1.13 counts NaN
 * in the first bin, by accident of a float-to-int cast). Floating inputs only;
 * the counts come in x's dtype.
 */
export function histc(x: Tensor, bins = 100, min = 0, max = 0): Tensor {
  if (!isFloating(x.dtype))
    throw new DTypeError(`histc: expected a float32 or float64 input, got ${x.dtype}`);
  if (!Number.isInteger(bins) || bins <= 0) throw new TorchletError(`histc: bins must be > 0, got ${bins}`);
  const data = x.dataSync();
  let lo = min;
  let hi = max;
  if (lo === hi && data.length > 0) {
    lo = Number.POSITIVE_INFINITY;
    hi = Number.NEGATIVE_INFINITY;
    for (const v of data) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (lo === hi) {
    lo -= 1;
    hi += 1;
  }
  if (!(lo < hi) || !Number.isFinite(lo) || !Number.isFinite(hi)) {
    throw new TorchletError(`histc: range of [${lo}, ${hi}] is not finite or min > max`);
  }
  const counts = zeros([bins], { dtype: x.dtype });
  const c = counts.storage.data as Float32Array | Float64Array;
  for (const v of data) {
    if (!(v >= lo && v <= hi)) continue;
    // The top edge belongs to the last bin.
    c[Math.min(Math.floor(((v - lo) * bins) / (hi - lo)), bins - 1)]! += 1;
  }
  return counts.to(x.device);
}

/**
 * Counts of each non-negative integer in 1-D `x` (or the sums of `weights` at them), as
 * `torch.bincount`; at least `minlength` long. int32 without weights, else the weights' floating
 * dtype (float32 weights stay float32, as PyTorch).
 */
export function bincount(x: Tensor, weights?: Tensor | null, minlength = 0): Tensor {
  if (x.ndim !== 1) throw new ShapeError(`bincount: expected a 1-D input, got shape ${fmtShape(x.shape)}`);
  if (x.dtype !== 'int32' && x.dtype !== 'bool')
    throw new DTypeError(`bincount: expected an integer input, got ${x.dtype}`);
  if (weights && (weights.ndim !== 1 || weights.shape[0] !== x.shape[0])) {
    throw new ShapeError(
      `bincount: weights of shape ${fmtShape(weights.shape)} must be 1-D and match the input's shape ${fmtShape(x.shape)}`,
    );
  }
  if (!Number.isInteger(minlength) || minlength < 0) {
    throw new TorchletError(`bincount: minlength should be >= 0, got ${minlength}`);
  }
  const v = x.dataSync();
  let top = -1;
  for (const i of v) {
    if (i < 0) throw new TorchletError(`bincount: input must contain only non-negative values, got ${i}`);
    if (i > top) top = i;
  }
  const dtype = !weights ? 'int32' : weights.dtype === 'float32' ? 'float32' : 'float64';
  const out = zeros([Math.max(top + 1, minlength)], { dtype });
  const o = out.storage.data as Int32Array | Float32Array | Float64Array;
  const w = weights?.dataSync();
  for (let k = 0; k < v.length; k++) o[v[k]!]! += w ? w[k]! : 1;
  return out.to(x.device);
}

/**
 * For each element, the index of the bucket of 1-D sorted `boundaries` it falls in, as
 * `torch.bucketize`: boundaries[i − 1] < x ≤ boundaries[i], or ≤ and < with `right`. int32.
 */
export function bucketize(x: TensorLike, boundaries: Tensor, options: { right?: boolean } = {}): Tensor {
  if (boundaries.ndim !== 1) {
    throw new ShapeError(`bucketize: boundaries must be 1-D, got shape ${fmtShape(boundaries.shape)}`);
  }
  return searchsorted(boundaries, asTensor(x), { right: options.right ?? false });
}

installMethods({ median, nanmedian, quantile, nanquantile, mode, aminmax, histc, bincount });

declare module '../tensor.js' {
  interface Tensor {
    /** Lower median of all elements (NaN if any is NaN). */
    median(): Tensor;
    /** Lower median along `dim` with its index. */
    median(dim: number, keepdim?: boolean): ValuesIndices;
    /** Lower median of all non-NaN elements. */
    nanmedian(): Tensor;
    /** Lower median along `dim` ignoring NaN, with its index. */
    nanmedian(dim: number, keepdim?: boolean): ValuesIndices;
    /** The `q`-th quantiles; see {@link quantile}. */
    quantile(q: TensorLike, options?: QuantileOptions): Tensor;
    /** The `q`-th quantiles ignoring NaN. */
    nanquantile(q: TensorLike, options?: QuantileOptions): Tensor;
    /** Most frequent value along `dim` and the index of its last occurrence. */
    mode(dim?: number, keepdim?: boolean): ValuesIndices;
    /** `[min, max]` over `dim` (all when omitted), also by name. */
    aminmax(options?: { dim?: number; keepdim?: boolean }): MinMax;
    /** Histogram with `bins` equal bins over [min, max] (the data's range when equal). */
    histc(bins?: number, min?: number, max?: number): Tensor;
    /** Counts (or weight sums) of each non-negative integer. */
    bincount(weights?: Tensor | null, minlength?: number): Tensor;
  }
}
