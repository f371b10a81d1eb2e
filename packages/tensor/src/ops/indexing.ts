import { run1 } from '../backend.js';
import { isFloating } from '../dtype.js';
import { DTypeError, fmtShape, IndexError, ShapeError } from '../errors.js';
import { broadcastShapes, shapesEqual } from '../shape.js';
import { type NestedArray, Tensor, type TensorLike } from '../tensor.js';
import { arange, asTensor, scalarTensor, tensor } from './creation.js';
import { add, assignInPlace, mul, where } from './elementwise.js';
import { indexSelect, maskedSelect, nonzero, scatter, scatterAdd } from './gather-scatter.js';
import { installMethods } from './methods.js';
import {
  identityMap,
  isIdentityMap,
  narrowMap,
  normalizeIndex,
  selectMap,
  subview,
  subviewScatter,
  unsqueezeMap,
  type ViewMap,
} from './subview.js';
import { expand, permute, reshape } from './view.js';

/** A Python slice `start:stop:step`; omitted or null fields take Python's defaults. */
export interface Slice {
  start?: number | null;
  stop?: number | null;
  step?: number | null;
}

/**
 * One entry of an index expression, as inside `x[...]` in Python:
 * - a number selects (the dim disappears; negative counts from the end);
 * - a string is Python syntax: `':'`, `'1:3'`, `'::2'`, `'-1'`, `'...'`, `'None'`, or several
 *   comma-separated (`'1:, ::2'`); negative steps are refused, as in PyTorch (use `flip`);
 * - a {@link Slice} object, e.g. from {@link slice};
 * - `null` inserts a new axis of size 1;
 * - an int32 tensor or a (nested) number array is an advanced index (copies, broadcasting
 *   several together as PyTorch does); a bool tensor or boolean array is a mask.
 */
export type IndexItem = number | string | Slice | null | Tensor | NestedArray;

/** A Python-style slice object: `slice(1, 3)` is `1:3`, `slice(null, null, 2)` is `::2`. */
export function slice(start?: number | null, stop?: number | null, step?: number | null): Slice {
  return { start, stop, step };
}

type Parsed =
  | { kind: 'select'; index: number }
  | { kind: 'slice'; slice: Slice }
  | { kind: 'ellipsis' }
  | { kind: 'newaxis' }
  | { kind: 'tensor'; t: Tensor };

function parseNumber(text: string, whole: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  if (!/^[+-]?\d+$/.test(t))
    throw new IndexError(`index: cannot parse '${whole}' (expected an integer in '${t}')`);
  return Number(t);
}

function parseString(text: string, out: Parsed[]): void {
  for (const part of text.split(',')) {
    const p = part.trim();
    if (p === '...') out.push({ kind: 'ellipsis' });
    else if (p === 'None' || p === 'null') out.push({ kind: 'newaxis' });
    else if (p.includes(':')) {
      const fields = p.split(':');
      if (fields.length > 3) throw new IndexError(`index: cannot parse slice '${p}'`);
      const [start, stop, step] = fields.map((f) => parseNumber(f, p));
      out.push({ kind: 'slice', slice: { start, stop, step } });
    } else {
      const i = parseNumber(p, text);
      if (i === null) throw new IndexError(`index: empty index in '${text}'`);
      out.push({ kind: 'select', index: i });
    }
  }
}

function parse(items: readonly IndexItem[], device: string): Parsed[] {
  const out: Parsed[] = [];
  for (const item of items) {
    if (item === null) out.push({ kind: 'newaxis' });
    else if (typeof item === 'number') out.push({ kind: 'select', index: item });
    else if (typeof item === 'string') parseString(item, out);
    else if (item instanceof Tensor) out.push({ kind: 'tensor', t: item });
    else if (Array.isArray(item)) {
      const t = isBoolArray(item) ? tensor(item, { device }) : tensor(item, { dtype: 'int32', device });
      out.push({ kind: 'tensor', t });
    } else if (typeof item === 'object') out.push({ kind: 'slice', slice: item as Slice });
    else throw new IndexError(`index: unsupported index ${String(item)}`);
  }
  return out;
}

function isBoolArray(a: NestedArray): boolean {
  return Array.isArray(a) ? a.length > 0 && a.every(isBoolArray) : typeof a === 'boolean';
}

/** `[start, length]` of a Python slice over a dim of `size`, clamped as Python clamps. */
function sliceRange(s: Slice, dim: number, size: number): [number, number, number] {
  const step = s.step ?? 1;
  if (!Number.isInteger(step) || step <= 0) {
    throw new IndexError(
      `index: slice step must be a positive integer, got ${step} at dim ${dim} (PyTorch has no negative steps; use flip())`,
    );
  }
  const clamp = (v: number | null | undefined, dflt: number): number => {
    if (v === null || v === undefined) return dflt;
    if (!Number.isInteger(v)) throw new IndexError(`index: slice bound ${v} at dim ${dim} is not an integer`);
    const w = v < 0 ? v + size : v;
    return Math.min(Math.max(w, 0), size);
  };
  const start = clamp(s.start, 0);
  const stop = clamp(s.stop, size);
  return [start, Math.max(0, Math.ceil((stop - start) / step)), step];
}

/** An advanced index, at a position in the basic view, already wrapped and range-checked. */
interface Advanced {
  pos: number;
  index: Tensor;
}

/** Applies the basic part of an index expression as one view map; collects the advanced part. */
function plan(x: Tensor, items: readonly IndexItem[]): [ViewMap, Advanced[]] {
  const parsed = parse(items, x.device);
  const consumes = (p: Parsed): number =>
    p.kind === 'select' || p.kind === 'slice'
      ? 1
      : p.kind === 'tensor'
        ? p.t.dtype === 'bool'
          ? p.t.ndim
          : 1
        : 0;
  const used = parsed.reduce((n, p) => n + consumes(p), 0);
  const ellipses = parsed.filter((p) => p.kind === 'ellipsis').length;
  if (ellipses > 1) throw new IndexError('index: an index can only have a single ellipsis (...)');
  if (used > x.ndim) {
    throw new IndexError(`index: too many indices for a tensor of ${x.ndim} dims (got ${used})`);
  }
  let map = identityMap(x.shape);
  const adv: Advanced[] = [];
  let k = 0; // position in the view being built
  let dim = 0; // input dim, for messages
  for (const p of parsed) {
    switch (p.kind) {
      case 'select': {
        const i = normalizeIndex('index', p.index, dim, map.shape[k]!);
        map = selectMap(map, k, i);
        dim++;
        break;
      }
      case 'slice': {
        const [start, length, step] = sliceRange(p.slice, dim, map.shape[k]!);
        map = narrowMap(map, k, start, length, step);
        k++;
        dim++;
        break;
      }
      case 'newaxis':
        map = unsqueezeMap(map, k++);
        break;
      case 'ellipsis':
        k += x.ndim - used;
        dim += x.ndim - used;
        break;
      case 'tensor':
        if (p.t.dtype === 'bool') {
          const m = p.t;
          const covered = map.shape.slice(k, k + m.ndim);
          if (m.ndim === 0) {
            // A 0-d mask adds an axis of length 1 (true) or 0 (false), as in PyTorch.
            map = unsqueezeMap(map, k);
            adv.push({
              pos: k++,
              index: m.item()
                ? tensor([0], { dtype: 'int32', device: x.device })
                : tensor([], { dtype: 'int32', device: x.device }),
            });
            break;
          }
          if (!shapesEqual(covered, m.shape)) {
            throw new IndexError(
              `index: mask of shape ${fmtShape(m.shape)} does not match the indexed dims ${fmtShape(covered)} starting at dim ${dim}`,
            );
          }
          nonzero(m, { asTuple: true }).forEach((col, i) => {
            adv.push({ pos: k + i, index: col });
          });
          k += m.ndim;
          dim += m.ndim;
        } else {
          if (p.t.dtype !== 'int32') {
            throw new DTypeError(`index: tensors used as indices must be int32 or bool, got ${p.t.dtype}`);
          }
          const index = run1('wrapIndex', [p.t], { size: map.shape[k]!, op: 'index', dim });
          adv.push({ pos: k++, index });
          dim++;
        }
        break;
    }
  }
  return [map, adv];
}

/** Advanced indices of one view, gathered as PyTorch does (result dims placement included). */
function gatherAdvanced(v: Tensor, adv: readonly Advanced[]): Tensor {
  const b = broadcastShapes('index', ...adv.map((a) => a.index.shape));
  const rest = v.shape.filter((_, i) => !adv.some((a) => a.pos === i));
  if (adv.length === 1) {
    const { pos, index } = adv[0]!;
    const out = indexSelect(v, pos, reshape(index, [-1]));
    return reshape(out, [...v.shape.slice(0, pos), ...b, ...v.shape.slice(pos + 1)]);
  }
  // Several index tensors: move their dims first, flatten them, and index with linear positions.
  const positions = adv.map((a) => a.pos);
  const order = [...positions, ...v.shape.map((_, i) => i).filter((i) => !positions.includes(i))];
  const sizes = positions.map((p) => v.shape[p]!);
  const flat = reshape(permute(v, order), [-1, ...rest]);
  let linear: Tensor = scalarTensor(0, 'int32', v.device);
  let mult = 1;
  for (let i = adv.length - 1; i >= 0; i--) {
    linear = add(linear, mul(adv[i]!.index, mult));
    mult *= sizes[i]!;
  }
  const gathered = reshape(indexSelect(flat, 0, reshape(expand(linear, b), [-1])), [...b, ...rest]);
  const adjacent = positions.every((p, i) => i === 0 || p === positions[i - 1]! + 1);
  const first = positions[0]!;
  if (!adjacent || first === 0) return gathered;
  // Adjacent advanced indices keep their place in the result, as in NumPy and PyTorch.
  const nb = b.length;
  const restDims = rest.map((_, i) => nb + i);
  const bDims = b.map((_, i) => i);
  return permute(gathered, [...restDims.slice(0, first), ...bDims, ...restDims.slice(first)]);
}

/**
 * `x[...items]` with Python/PyTorch semantics. Basic indices (numbers, slices, `'...'`, `null`)
 * give a view sharing storage; tensors, number arrays and masks give a copy. Differentiable.
 * @example
 * x.index(0)                 // x[0]
 * x.index(':', '1:3')        // x[:, 1:3]
 * x.index('..., ::2')        // x[..., ::2]
 * x.index(null, -1)          // x[None, -1]
 * x.index([0, 2], slice(1))  // x[[0, 2], 1:]
 * x.index(x.gt(0))           // x[x > 0]
 */
export function index(x: Tensor, ...items: IndexItem[]): Tensor {
  const only = items.length === 1 ? items[0] : undefined;
  if (only instanceof Tensor && only.dtype === 'bool' && x.ndim > 0 && shapesEqual(only.shape, x.shape)) {
    // A full-shape mask needs no per-dim coordinates: select from the flattened tensor.
    return maskedSelect(x, only);
  }
  const [map, adv] = plan(x, items);
  const v = isIdentityMap(map, x.shape) ? x : subview(x, map);
  return adv.length === 0 ? v : gatherAdvanced(v, adv);
}

function valueFor(op: string, x: Tensor, value: TensorLike): Tensor {
  const v = asTensor(value, x.device);
  if (isFloating(v.dtype) && !isFloating(x.dtype)) {
    throw new DTypeError(`${op}: value of type ${v.dtype} cannot be written into a ${x.dtype} tensor`);
  }
  return v.dtype === x.dtype ? v : v.to(x.dtype);
}

function asItems(indices: IndexItem | readonly IndexItem[]): IndexItem[] {
  return Array.isArray(indices) ? [...(indices as IndexItem[])] : [indices as IndexItem];
}

/**
 * A copy of `x` with `value` (broadcast) written at `x[...indices]` — the out-of-place form of
 * `x[indices] = value`; with `accumulate`, added instead (duplicates accumulate). Differentiable
 * in `x` and `value`. `indices` is the index tuple: `[0, ':']` is `x[0, :]`, `[[0, 2]]` is `x[[0, 2]]`.
 */
export function indexPut(
  x: Tensor,
  indices: IndexItem | readonly IndexItem[],
  value: TensorLike,
  accumulate = false,
): Tensor {
  const items = asItems(indices);
  const v = valueFor('indexPut', x, value);
  const [map, adv] = plan(x, items);
  if (adv.length === 0) {
    return subviewScatter(x, accumulate ? add(subview(x, map), v) : v, map, 'indexPut');
  }
  const mask = items.length === 1 && items[0] instanceof Tensor ? items[0] : null;
  if (!accumulate && mask?.dtype === 'bool' && shapesEqual(mask.shape, x.shape) && v.ndim === 0) {
    return where(mask, v, x);
  }
  // Positions of the addressed elements in x's row-major order, found by indexing their numbers.
  const positions = index(
    reshape(arange(x.numel(), undefined, 1, { dtype: 'int32', device: x.device }), x.shape),
    ...items,
  );
  const shape = broadcastShapes('indexPut', v.shape, positions.shape);
  if (!shapesEqual(shape, positions.shape)) {
    throw new ShapeError(
      `indexPut: value of shape ${fmtShape(v.shape)} cannot be broadcast to the indexed shape ${fmtShape(positions.shape)}`,
    );
  }
  const flatPos = reshape(positions, [-1]);
  const flatX = reshape(x, [-1]);
  const src = reshape(expand(v, shape), [-1]);
  const out = accumulate ? scatterAdd(flatX, 0, flatPos, src) : scatter(flatX, 0, flatPos, src);
  return reshape(out, x.shape);
}

/**
 * `x[...indices] = value` in place (`accumulate` adds). Basic indices write through a view;
 * advanced ones compute {@link indexPut} and copy back. Refused on tensors autograd tracks.
 */
export function indexPut_(
  x: Tensor,
  indices: IndexItem | readonly IndexItem[],
  value: TensorLike,
  accumulate = false,
): Tensor {
  // Refuse before indexing, with the message every in-place op gives.
  if (x.tracksGrad) return assignInPlace('indexPut_', x, x);
  const items = asItems(indices);
  const [map, adv] = plan(x, items);
  if (adv.length === 0) {
    const view = isIdentityMap(map, x.shape) ? x : subview(x, map);
    const v = valueFor('indexPut_', x, value);
    const shape = broadcastShapes('indexPut_', view.shape, v.shape);
    if (!shapesEqual(shape, view.shape)) {
      throw new ShapeError(
        `indexPut_: value of shape ${fmtShape(v.shape)} cannot be written into shape ${fmtShape(view.shape)}`,
      );
    }
    // Expanded first: writing a smaller value through the in-place kernel would not broadcast it.
    assignInPlace('indexPut_', view, accumulate ? add(view, v) : expand(v, view.shape));
    return x;
  }
  return assignInPlace('indexPut_', x, indexPut(x, items, value, accumulate));
}

installMethods({
  index,
  get: index,
  indexPut,
  indexPut_,
  set: (x: Tensor, indices: IndexItem | readonly IndexItem[], value: TensorLike) =>
    indexPut_(x, indices, value),
});

declare module '../tensor.js' {
  interface Tensor {
    /** `x[...items]`: see {@link index}. */
    index(...items: IndexItem[]): Tensor;
    /** Alias of {@link Tensor.index}. */
    get(...items: IndexItem[]): Tensor;
    /** Out-of-place `x[indices] = value` (`accumulate` adds). */
    indexPut(indices: IndexItem | readonly IndexItem[], value: TensorLike, accumulate?: boolean): Tensor;
    /** In-place `x[indices] = value` (`accumulate` adds); returns `this`. */
    indexPut_(indices: IndexItem | readonly IndexItem[], value: TensorLike, accumulate?: boolean): Tensor;
    /**
     * `x[indices] = value`, in place; returns `this`.
     * @example x.set([0, ':'], 1)   // x[0, :] = 1
     * @example x.set(mask, 0)       // x[mask] = 0
     */
    set(indices: IndexItem | readonly IndexItem[], value: TensorLike): Tensor;
  }
}
