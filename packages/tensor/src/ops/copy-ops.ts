import { record } from '../autograd-hooks.js';
import { run1 } from '../backend.js';
import { castScalar, isFloating } from '../dtype.js';
import { DTypeError, fmtShape, ShapeError, TorchletError } from '../errors.js';
import { normalizeDim, normalizeDims } from '../shape.js';
import { Tensor } from '../tensor.js';
import { clone } from './convert.js';
import { arange, full, scalarTensor, tensor, zeros } from './creation.js';
import { where } from './elementwise.js';
import { indexSelect } from './gather-scatter.js';
import { cat } from './join.js';
import { installMethods } from './methods.js';
import { diagonal, diagonalMap, identityMap, narrow, narrowMap, subviewScatter } from './subview.js';
import { expand, reshape } from './view.js';

function repsArgs(reps: (number | readonly number[])[]): number[] {
  return reps.length === 1 && Array.isArray(reps[0]) ? [...(reps[0] as number[])] : (reps as number[]);
}

/**
 * Repeats `x` `reps[i]` times along dim i (`reps` may add leading dims), as `torch.Tensor.repeat`.
 * @example repeat(tensor([1, 2]), 2, 2)  // [[1, 2, 1, 2], [1, 2, 1, 2]]
 */
export function repeat(x: Tensor, ...reps: (number | readonly number[])[]): Tensor {
  const r = repsArgs(reps);
  if (r.length < x.ndim) {
    throw new ShapeError(
      `repeat: number of repeat dims (${r.length}) cannot be smaller than the number of tensor dims (${x.ndim})`,
    );
  }
  if (r.some((n) => !Number.isInteger(n) || n < 0)) {
    throw new ShapeError(`repeat: repeats must be non-negative integers, got [${r}]`);
  }
  const shape = [...new Array<number>(r.length - x.ndim).fill(1), ...x.shape];
  // View as [1, s0, 1, s1, …], broadcast the 1s to the repeat counts, then merge pairs.
  const interleaved = reshape(
    x,
    shape.flatMap((n) => [1, n]),
  );
  const expanded = expand(
    interleaved,
    shape.flatMap((n, i) => [r[i]!, n]),
  );
  return reshape(
    expanded,
    shape.map((n, i) => n * r[i]!),
  );
}

/** Like `repeat`, but fewer reps than dims repeat the trailing dims only (`torch.tile`). */
export function tile(x: Tensor, ...reps: (number | readonly number[])[]): Tensor {
  const r = repsArgs(reps);
  return repeat(x, [...new Array<number>(Math.max(0, x.ndim - r.length)).fill(1), ...r]);
}

/** Reverses the order of elements along `dims` (a copy, as in PyTorch). */
export function flip(x: Tensor, dims: number | readonly number[]): Tensor {
  const ds = normalizeDims(dims, x.ndim, 'flip');
  const strides = [...x.strides];
  let offset = x.offset;
  // A transient negative-stride view; the identity kernel copies it into dense order.
  for (const d of ds) {
    if (x.shape[d]! > 1) {
      offset += (x.shape[d]! - 1) * strides[d]!;
      strides[d] = -strides[d]!;
    }
  }
  const reversed = new Tensor(x.storage, x.shape, strides, offset);
  const out = run1('identity', [reversed], { dtype: x.dtype, computeDtype: x.dtype });
  return record('flip', [x], out, { dims: ds });
}

/** Flips the last dim (left/right). */
export function fliplr(x: Tensor): Tensor {
  if (x.ndim < 2) throw new ShapeError(`fliplr: expected at least 2 dims, got shape ${fmtShape(x.shape)}`);
  return flip(x, 1);
}

/** Flips the first dim (up/down). */
export function flipud(x: Tensor): Tensor {
  if (x.ndim < 1) throw new ShapeError('flipud: expected at least 1 dim, got a 0-d tensor');
  return flip(x, 0);
}

/**
 * Rotates elements along `dims` by `shifts` (elements leaving one end come in at the other).
 * Without dims, the flattened tensor is rolled and the shape restored.
 */
export function roll(
  x: Tensor,
  shifts: number | readonly number[],
  dims?: number | readonly number[],
): Tensor {
  const sh = typeof shifts === 'number' ? [shifts] : [...shifts];
  if (dims === undefined) {
    if (sh.length !== 1) throw new TorchletError(`roll: without dims, expected one shift, got [${sh}]`);
    return reshape(roll(reshape(x, [-1]), sh[0]!, 0), x.shape);
  }
  const ds = typeof dims === 'number' ? [dims] : [...dims];
  if (ds.length !== sh.length) {
    throw new TorchletError(`roll: shifts [${sh}] and dims [${ds}] must have the same length`);
  }
  let out = x;
  ds.forEach((dim, i) => {
    const d = normalizeDim(dim, x.ndim, 'roll');
    const n = x.shape[d]!;
    if (n === 0) return;
    const s = ((sh[i]! % n) + n) % n;
    if (s !== 0) out = cat([narrow(out, d, n - s, s), narrow(out, d, 0, n - s)], d);
  });
  return out === x ? clone(x) : out;
}

/** Options of {@link pad} (`F.pad`). */
export interface PadOptions {
  /** How the border is filled (default `'constant'`). */
  mode?: 'constant' | 'reflect' | 'replicate' | 'circular';
  /** Fill value for `'constant'` mode (default 0). */
  value?: number;
}

/** Source positions along one dim of size `n` for `mode`, with `l` elements before and `r` after. */
function padIndex(mode: PadOptions['mode'], n: number, l: number, r: number): number[] {
  return Array.from({ length: n + l + r }, (_, i) => {
    const j = i - l;
    if (mode === 'replicate') return Math.min(Math.max(j, 0), n - 1);
    if (mode === 'circular') return ((j % n) + n) % n;
    // reflect: mirror about the edge elements, which are not repeated.
    const period = 2 * (n - 1);
    const m = period === 0 ? 0 : ((j % period) + period) % period;
    return m < n ? m : period - m;
  });
}

/**
 * Pads `x` as `torch.nn.functional.pad`: `pad` lists (before, after) amounts starting from the
 * last dim, e.g. `[1, 1, 2, 0]` pads the last dim by 1 on both sides and the one before it by 2
 * at the top. Constant padding may be negative (cropping).
 * @example pad(x, [1, 1], { mode: 'reflect' })
 */
export function pad(x: Tensor, padding: readonly number[], options: PadOptions = {}): Tensor {
  const mode = options.mode ?? 'constant';
  if (padding.length % 2 !== 0 || padding.length / 2 > x.ndim) {
    throw new ShapeError(
      `pad: padding [${padding}] must have an even length of at most 2 × ${x.ndim} (the input's dims)`,
    );
  }
  if (padding.some((p) => !Number.isInteger(p)))
    throw new ShapeError(`pad: padding [${padding}] must be integers`);
  const dims = Array.from({ length: padding.length / 2 }, (_, i) => x.ndim - 1 - i);
  if (mode === 'constant') {
    let cropped = x;
    const outShape = [...x.shape];
    dims.forEach((d, i) => {
      const [l, r] = [padding[2 * i]!, padding[2 * i + 1]!];
      const n = x.shape[d]!;
      if (n + l + r < 0) {
        throw new ShapeError(
          `pad: padding (${l}, ${r}) of dim ${d} leaves a negative size (input size ${n})`,
        );
      }
      const keepStart = Math.max(0, -l);
      cropped = narrow(cropped, d, keepStart, Math.max(0, n - keepStart - Math.max(0, -r)));
      outShape[d] = n + l + r;
    });
    const value = options.value ?? 0;
    if (!Number.isInteger(value) && !isFloating(x.dtype)) {
      throw new DTypeError(`pad: value ${value} cannot be stored in a ${x.dtype} tensor`);
    }
    let map = identityMap(outShape);
    dims.forEach((d, i) => {
      map = narrowMap(map, d, Math.max(0, padding[2 * i]!), cropped.shape[d]!);
    });
    const base = full(outShape, castScalar(value, x.dtype), { dtype: x.dtype, device: x.device });
    return subviewScatter(base, cropped, map);
  }
  let out = x;
  dims.forEach((d, i) => {
    const [l, r] = [padding[2 * i]!, padding[2 * i + 1]!];
    const n = x.shape[d]!;
    if (l < 0 || r < 0)
      throw new ShapeError(`pad: negative padding (${l}, ${r}) is only supported in constant mode`);
    if (l === 0 && r === 0) return;
    const limit = mode === 'reflect' ? n - 1 : mode === 'circular' ? n : Number.POSITIVE_INFINITY;
    if (n === 0 || l > limit || r > limit) {
      throw new ShapeError(
        `pad: ${mode} padding (${l}, ${r}) of dim ${d} must be at most ${mode === 'reflect' ? 'size - 1' : 'the size'} of that dim (${n})`,
      );
    }
    const idx = tensor(padIndex(mode, n, l, r), { dtype: 'int32', device: x.device });
    out = indexSelect(out, d, idx);
  });
  return out === x ? clone(x) : out;
}

/** Keeps elements where `keep(col − row)` holds on the last two dims and zeroes the rest. */
function triangle(op: string, x: Tensor, keep: (diff: Tensor) => Tensor): Tensor {
  if (x.ndim < 2)
    throw new ShapeError(`${op}: expected a tensor with at least 2 dims, got shape ${fmtShape(x.shape)}`);
  const [n, m] = [x.shape[x.ndim - 2]!, x.shape[x.ndim - 1]!];
  const opts = { dtype: 'int32' as const, device: x.device };
  const diff = arange(m, undefined, 1, opts).sub(reshape(arange(n, undefined, 1, opts), [n, 1]));
  return where(keep(diff), x, scalarTensor(0, x.dtype, x.device));
}

/** The lower triangle of the last two dims (on and below diagonal `diagonal`), the rest zero. */
export function tril(x: Tensor, diagonal = 0): Tensor {
  return triangle('tril', x, (diff) => diff.le(diagonal));
}

/** The upper triangle of the last two dims (on and above diagonal `diagonal`), the rest zero. */
export function triu(x: Tensor, diagonal = 0): Tensor {
  return triangle('triu', x, (diff) => diff.ge(diagonal));
}

/**
 * A 1-D `x` becomes a square matrix with `x` on diagonal `offset`; a 2-D `x` gives a copy of
 * its diagonal `offset`, as `torch.diag`.
 */
export function diag(x: Tensor, offset = 0): Tensor {
  if (x.ndim === 1) {
    const n = x.shape[0]! + Math.abs(offset);
    const base = zeros([n, n], { dtype: x.dtype, device: x.device });
    return subviewScatter(base, x, diagonalMap(identityMap([n, n]), offset, 0, 1));
  }
  if (x.ndim === 2) return diagonal(x, offset).clone();
  throw new ShapeError(`diag: expected a 1-D or 2-D tensor, got shape ${fmtShape(x.shape)}`);
}

/**
 * Places the last dim of `x` on diagonal `offset` of dims `dim1`, `dim2` of a new zero tensor
 * with one more dim, as `torch.diag_embed` (batched `diag`).
 */
export function diagEmbed(x: Tensor, offset = 0, dim1 = -2, dim2 = -1): Tensor {
  if (x.ndim === 0) throw new ShapeError('diagEmbed: expected at least 1 dim, got a 0-d tensor');
  const nd = x.ndim + 1;
  const d1 = normalizeDim(dim1, nd, 'diagEmbed');
  const d2 = normalizeDim(dim2, nd, 'diagEmbed');
  if (d1 === d2)
    throw new TorchletError(`diagEmbed: dim1 and dim2 cannot be the same dim (${dim1}, ${dim2})`);
  const n = x.shape[x.ndim - 1]! + Math.abs(offset);
  const batch = x.shape.slice(0, -1);
  const shape: number[] = [];
  for (let i = 0, b = 0; i < nd; i++) shape.push(i === d1 || i === d2 ? n : batch[b++]!);
  const base = zeros(shape, { dtype: x.dtype, device: x.device });
  return subviewScatter(base, x, diagonalMap(identityMap(shape), offset, d1, d2));
}

installMethods({ repeat, tile, flip, fliplr, flipud, roll, tril, triu, diag, diagEmbed });

declare module '../tensor.js' {
  interface Tensor {
    /** Repeats `reps[i]` times along dim i (`reps` may add leading dims), as `Tensor.repeat`; a copy. */
    repeat(...reps: number[]): Tensor;
    repeat(reps: readonly number[]): Tensor;
    /** Like `repeat`, but fewer reps than dims repeat the trailing dims only (`torch.tile`). */
    tile(...reps: number[]): Tensor;
    tile(reps: readonly number[]): Tensor;
    /** Reverses the order along `dims` (a copy, as in PyTorch). */
    flip(dims: number | readonly number[]): Tensor;
    /** Flips the last dim. */
    fliplr(): Tensor;
    /** Flips the first dim. */
    flipud(): Tensor;
    /** Rotates along `dims` by `shifts`; without dims, rolls the flattened tensor. */
    roll(shifts: number | readonly number[], dims?: number | readonly number[]): Tensor;
    /** Lower triangle of the last two dims (on and below `diagonal`), the rest zero. */
    tril(diagonal?: number): Tensor;
    /** Upper triangle of the last two dims (on and above `diagonal`), the rest zero. */
    triu(diagonal?: number): Tensor;
    /** 1-D: a square matrix with this on diagonal `offset`; 2-D: a copy of that diagonal. */
    diag(offset?: number): Tensor;
    /** Places the last dim on diagonal `offset` of dims `dim1`, `dim2` of a new zero tensor. */
    diagEmbed(offset?: number, dim1?: number, dim2?: number): Tensor;
  }
}
