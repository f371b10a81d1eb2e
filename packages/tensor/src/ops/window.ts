import { fmtShape, ShapeError, TorchletError } from '../errors.js';

/**
 * Sliding-window arithmetic shared by convolution, unfold/fold and pooling: argument
 * normalization (a number or a pair, as PyTorch accepts), output sizes, and the resolved geometry
 * the CPU kernels receive as attrs.
 */

/** A size given for every spatial dim at once or per dim (`3` or `[3, 5]`). */
export type SizeArg = number | readonly number[];

/** Expands `arg` to `dims` entries, checking each is an integer ≥ `min`. */
export function expandArg(op: string, what: string, arg: SizeArg, dims: number, min: number): number[] {
  const list = typeof arg === 'number' ? new Array<number>(dims).fill(arg) : [...arg];
  if (list.length !== dims || list.some((v) => !Number.isInteger(v) || v < min)) {
    throw new TorchletError(
      `${op}: ${what} must be ${min > 0 ? 'a positive' : 'a non-negative'} integer or ${dims} of them, got ${JSON.stringify(arg)}`,
    );
  }
  return list;
}

/**
 * A convolution's resolved 2-D geometry: output position o reads input position
 * `o * stride - padding + k * dilation` for kernel tap k (out-of-range positions read zero).
 * `padding` is the leading padding; the trailing side is implied by `outSize`, which lets
 * 'same' padding be asymmetric for even kernels, as in PyTorch.
 */
export interface ConvGeometry {
  stride: number[];
  padding: number[];
  dilation: number[];
  groups: number;
  /** Spatial size of the convolution's input (x). */
  inSize: number[];
  /** Spatial size of its output. */
  outSize: number[];
  kernelSize: number[];
}

/** `floor((in + padTotal - dilation·(kernel-1) - 1) / stride) + 1`, the sliding-window output size. */
export function windowOutSize(
  size: number,
  kernel: number,
  stride: number,
  padTotal: number,
  dilation: number,
  ceilMode = false,
): number {
  const span = size + padTotal - dilation * (kernel - 1) - 1;
  let out = (ceilMode ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  // In ceil mode the last window must start inside the input or the leading padding (PyTorch).
  if (ceilMode && (out - 1) * stride >= size + padTotal / 2) out--;
  return out;
}

/** Checks a computed output size is positive, naming the input size that was too small. */
export function checkOutSize(op: string, inShape: readonly number[], outSize: readonly number[]): void {
  if (outSize.some((s) => s < 1)) {
    throw new ShapeError(
      `${op}: output size [${outSize.join(',')}] is too small (input ${fmtShape(inShape)}); the kernel does not fit the padded input`,
    );
  }
}

/**
 * The input positions each output position of one pooling axis reads: `lo`, `lo + step`, … below
 * `hi` (already clipped to the input), and the divisor average pooling uses for it.
 */
export interface AxisWindows {
  lo: number[];
  hi: number[];
  step: number;
  div: number[];
}

/** Windows of a strided pooling axis (max and average pooling). */
export function slidingWindows(
  size: number,
  out: number,
  kernel: number,
  stride: number,
  padding: number,
  dilation: number,
  countIncludePad: boolean,
): AxisWindows {
  const w: AxisWindows = { lo: [], hi: [], step: dilation, div: [] };
  for (let o = 0; o < out; o++) {
    const start = o * stride - padding;
    const first = start < 0 ? Math.ceil(-start / dilation) : 0;
    const last = Math.min(kernel - 1, Math.floor((size - 1 - start) / dilation));
    const lo = start + first * dilation;
    const hi = last >= first ? start + last * dilation + 1 : lo;
    w.lo.push(lo);
    w.hi.push(hi);
    // Average pooling (dilation 1) counts the padding up to size + padding, not beyond.
    const padded = Math.min(start + kernel, size + padding) - start;
    w.div.push(countIncludePad ? padded : Math.max(hi - lo, 0));
  }
  return w;
}

/** Windows of adaptive pooling: output o reads `[floor(o·size/out), ceil((o+1)·size/out))`. */
export function adaptiveWindows(size: number, out: number): AxisWindows {
  const w: AxisWindows = { lo: [], hi: [], step: 1, div: [] };
  for (let o = 0; o < out; o++) {
    const lo = Math.floor((o * size) / out);
    const hi = Math.ceil(((o + 1) * size) / out);
    w.lo.push(lo);
    w.hi.push(hi);
    w.div.push(hi - lo);
  }
  return w;
}
