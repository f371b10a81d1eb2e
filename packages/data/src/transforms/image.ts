import {
  DTypeError,
  fmtShape,
  type Generator,
  ShapeError,
  type Tensor,
  TorchletError,
} from '@torchlet/tensor';
import { uniformIn } from '../random.js';
import { wrapArray } from '../tensor-data.js';

/** A float image as transforms work on it: a private CHW buffer they may modify in place. */
export interface Image {
  data: Float32Array | Float64Array;
  c: number;
  h: number;
  w: number;
  /** The input's shape, to restore leading dims (`[H,W]` stays `[H,W]`). */
  shape: readonly number[];
}

/** Reads a float `[H,W]` or `[...,C,H,W]` tensor (leading dims count as channels) into a fresh buffer. */
export function readImage(op: string, x: Tensor): Image {
  if (x.dtype !== 'float32' && x.dtype !== 'float64') {
    throw new DTypeError(
      `${op}: expected a float32 or float64 image tensor, got ${x.dtype} (use ToTensor first)`,
    );
  }
  if (x.ndim < 2)
    throw new ShapeError(`${op}: expected an image of shape [C,H,W] or [H,W], got ${fmtShape(x.shape)}`);
  const h = x.shape[x.ndim - 2]!;
  const w = x.shape[x.ndim - 1]!;
  const data = x.dataSync() as Float32Array | Float64Array;
  return { data, c: h * w === 0 ? 0 : data.length / (h * w), h, w, shape: x.shape };
}

/** A new image buffer of the same dtype as `like`, with size `h` × `w`. */
export function blankImage(like: Image, h = like.h, w = like.w, fill = 0): Image {
  const data = new (like.data.constructor as Float32ArrayConstructor)(like.c * h * w);
  if (fill !== 0) data.fill(fill);
  return { data, c: like.c, h, w, shape: [...like.shape.slice(0, -2), h, w] };
}

/** The image as a tensor with the input's leading dims. */
export function imageTensor(img: Image): Tensor {
  return wrapArray(img.data, img.shape);
}

/** Per-channel values: one number for all channels, or exactly `c` of them. */
export function perChannel(op: string, name: string, v: number | readonly number[], c: number): number[] {
  const arr = typeof v === 'number' ? [v] : [...v];
  if (arr.length === 1) return new Array<number>(c).fill(arr[0]!);
  if (arr.length !== c) throw new ShapeError(`${op}: ${name} has ${arr.length} values for ${c} channels`);
  return arr;
}

/** `v` as a `[min, max]` range: a number means `[-v, v]` (or `[center - v, center + v]`). */
export function symmetricRange(
  op: string,
  name: string,
  v: number | readonly [number, number],
  center = 0,
  floor = Number.NEGATIVE_INFINITY,
): [number, number] {
  if (typeof v === 'number') {
    if (v < 0) throw new TorchletError(`${op}: ${name} must be non-negative when a single number, got ${v}`);
    return [Math.max(floor, center - v), center + v];
  }
  if (v.length !== 2 || !(v[0] <= v[1])) {
    throw new TorchletError(
      `${op}: ${name} must be a number or [min, max] with min <= max, got [${v.join(', ')}]`,
    );
  }
  return [v[0], v[1]];
}

/** A uniform draw from a `[min, max]` range. */
export function drawIn(g: Generator, range: readonly [number, number]): number {
  return range[0] === range[1] ? range[0] : uniformIn(g, range[0], range[1]);
}

/** Mirrors an out-of-range index back inside [0, n) without repeating the edge (`reflect` padding). */
export function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  i = Math.abs(i) % period;
  return i < n ? i : period - i;
}
