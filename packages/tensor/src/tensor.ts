import { type BackwardOptions, type GradNode, getAutograd, isGradEnabled } from './autograd-hooks.js';
import { getBackend, type Storage } from './backend.js';
import { allocArray, type DType, isFloating, type TypedArray } from './dtype.js';
import { TorchletError } from './errors.js';
import { contiguousStrides, normalizeDim, numelOf, type Shape } from './shape.js';

/** A nested JavaScript array of numbers or booleans, as accepted by `tensor()` and returned by `toArray()`. */
export type NestedArray = number | boolean | NestedArray[];

/** Anything an op accepts where a tensor is expected: a tensor or a scalar. */
export type TensorLike = Tensor | number | boolean;

/** A function called with a tensor's gradient during backward; it may return a replacement. */
export type GradHook = (grad: Tensor) => Tensor | undefined;

/**
 * An n-dimensional array: a view (shape, strides, offset) over a {@link Storage} shared with every
 * other view of the same memory. Ops live in their own modules and are installed as methods.
 */
export class Tensor {
  private _requiresGrad = false;
  /** Accumulated gradient (leaves, and non-leaves after `retainGrad()`). */
  grad: Tensor | null = null;
  /** The recorded op that produced this tensor, or null for a leaf. */
  gradFn: GradNode | null = null;
  /** Which output of `gradFn` this tensor is (ops such as `split` have several). */
  outputIndex = 0;
  /** Set by `retainGrad()`: keep `.grad` on a non-leaf. */
  retainsGrad = false;
  /** Hooks run on this tensor's gradient during backward. */
  gradHooks: GradHook[] | null = null;

  constructor(
    readonly storage: Storage,
    readonly shape: Shape,
    readonly strides: readonly number[] = contiguousStrides(shape),
    readonly offset = 0,
  ) {}

  /**
   * Whether operations on this tensor are recorded for backward. Only floating tensors can require
   * grad, and only a leaf can stop requiring it (use `detach()` for a non-leaf).
   */
  get requiresGrad(): boolean {
    return this._requiresGrad;
  }

  set requiresGrad(value: boolean) {
    if (value === this._requiresGrad) return;
    if (value && !isFloating(this.dtype)) {
      throw new TorchletError(`requiresGrad: only floating tensors can require grad, got ${this.dtype}`);
    }
    if (!value && !this.isLeaf) {
      throw new TorchletError(
        'requiresGrad: cannot turn off requiresGrad on a non-leaf tensor; use detach() to get a tensor without history',
      );
    }
    this._requiresGrad = value;
  }

  get dtype(): DType {
    return this.storage.dtype;
  }

  /** Name of the backend holding the data (`'cpu'`, `'gpu'`). */
  get device(): string {
    return this.storage.backend.name;
  }

  get ndim(): number {
    return this.shape.length;
  }

  /** Number of dims, as `torch.Tensor.dim()`. */
  dim(): number {
    return this.shape.length;
  }

  numel(): number {
    return numelOf(this.shape);
  }

  /** The shape, or the size of one (possibly negative) dim. */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    if (dim === undefined) return [...this.shape];
    return this.shape[normalizeDim(dim, this.ndim, 'size')] ?? 1;
  }

  /** True for tensors not produced by a recorded op (user-created, parameters, detached). */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /** In-place modification count of the underlying storage (shared by views). */
  get version(): number {
    return this.storage.version;
  }

  /** Whether elements are laid out densely in row-major order (size-1 dims ignored). */
  isContiguous(): boolean {
    let expected = 1;
    for (let i = this.shape.length - 1; i >= 0; i--) {
      const d = this.shape[i]!;
      if (d === 1) continue;
      if (this.strides[i] !== expected) return false;
      expected *= d;
    }
    return true;
  }

  /** Elements in row-major order as a new typed array (a copy: writing to it leaves the tensor alone). */
  dataSync(): TypedArray {
    const flat = this.storage.backend.download(this.storage);
    const n = this.numel();
    if (this.isContiguous()) return flat.slice(this.offset, this.offset + n);
    const out = allocArray(this.dtype, n);
    copyStrided(flat, this.offset, this.shape, this.strides, out);
    return out;
  }

  /** Asynchronous form of {@link dataSync}, for device backends that read back asynchronously. */
  async data(): Promise<TypedArray> {
    return this.dataSync();
  }

  /** The value of a one-element tensor as a JavaScript number (booleans as 0/1). */
  item(): number {
    if (this.numel() !== 1) {
      throw new TorchletError(`item: a tensor with ${this.numel()} elements cannot be converted to a scalar`);
    }
    // Read the one element in place: dataSync() would copy.
    return this.storage.backend.download(this.storage)[this.offset]!;
  }

  /** Nested JavaScript arrays with this tensor's values (booleans for `bool`). */
  toArray(): NestedArray {
    const flat = this.dataSync();
    const isBool = this.dtype === 'bool';
    const shape = this.shape;
    let pos = 0;
    const build = (d: number): NestedArray => {
      if (d === shape.length) {
        const v = flat[pos++]!;
        return isBool ? v !== 0 : v;
      }
      const out: NestedArray[] = [];
      for (let i = 0; i < shape[d]!; i++) out.push(build(d + 1));
      return out;
    };
    return build(0);
  }

  /** A tensor sharing this one's data but cut from the graph (`requiresGrad` false). */
  detach(): Tensor {
    return new Tensor(this.storage, this.shape, this.strides, this.offset);
  }

  /** Cuts this tensor from its graph in place: it becomes a leaf that does not require grad. */
  detach_(): this {
    this.gradFn = null;
    this.outputIndex = 0;
    this.retainsGrad = false;
    this._requiresGrad = false;
    return this;
  }

  /** Sets `requiresGrad` on a leaf, in place, and returns this tensor. */
  requiresGrad_(requiresGrad = true): this {
    this.requiresGrad = requiresGrad;
    return this;
  }

  /** Keeps `.grad` on this non-leaf tensor after backward. */
  retainGrad(): this {
    if (!this.requiresGrad) throw new TorchletError('retainGrad: the tensor does not require grad');
    if (!this.isLeaf) this.retainsGrad = true;
    return this;
  }

  /**
   * Registers `hook`, called with this tensor's gradient during backward; returning a tensor
   * replaces the gradient. Returns a function that removes the hook.
   */
  registerHook(hook: GradHook): () => void {
    if (!this.requiresGrad)
      throw new TorchletError('registerHook: cannot register a hook on a tensor that does not require grad');
    (this.gradHooks ??= []).push(hook);
    return () => {
      const i = this.gradHooks?.indexOf(hook) ?? -1;
      if (i >= 0) this.gradHooks!.splice(i, 1);
    };
  }

  /**
   * Computes gradients of this tensor with respect to graph leaves, accumulating into `.grad`.
   * A non-scalar tensor needs `gradient`, the vector of the vector-Jacobian product. Options may
   * come first when there is no gradient: `loss.backward({ retainGraph: true })`.
   */
  backward(gradient?: Tensor | BackwardOptions, options: BackwardOptions = {}): void {
    if (gradient !== undefined && !(gradient instanceof Tensor)) [gradient, options] = [undefined, gradient];
    getAutograd('backward').backward(this, gradient, options);
  }

  /** Releases device memory held by this tensor's storage (a no-op on the CPU). */
  dispose(): void {
    this.storage.release();
  }

  /** Whether grad mode is on and this tensor takes part in autograd. */
  get tracksGrad(): boolean {
    return this.requiresGrad && isGradEnabled();
  }
}

/** Copies a strided view of `src` into the dense `dst` (row-major). */
export function copyStrided(
  src: TypedArray,
  offset: number,
  shape: Shape,
  strides: readonly number[],
  dst: TypedArray,
  dstOffset = 0,
): void {
  const nd = shape.length;
  if (nd === 0) {
    dst[dstOffset] = src[offset]!;
    return;
  }
  const counter = new Array<number>(nd).fill(0);
  const n = shape[nd - 1]!;
  const s = strides[nd - 1]!;
  const total = numelOf(shape);
  let base = offset;
  let o = dstOffset;
  const end = dstOffset + total;
  while (o < end) {
    for (let i = 0, p = base; i < n; i++, p += s) dst[o++] = src[p]!;
    let d = nd - 2;
    for (; d >= 0; d--) {
      counter[d]!++;
      base += strides[d]!;
      if (counter[d]! < shape[d]!) break;
      base -= strides[d]! * shape[d]!;
      counter[d] = 0;
    }
    if (d < 0) break;
  }
}

/** Creates a dense tensor on `device` holding `values` (copied into that device's storage). */
export function fromTypedArray(values: TypedArray, shape: Shape, dtype: DType, device = 'cpu'): Tensor {
  if (values.length !== numelOf(shape)) {
    throw new TorchletError(
      `tensor: ${values.length} values do not fill shape [${shape.join(',')}] (${numelOf(shape)} elements)`,
    );
  }
  return new Tensor(getBackend(device).upload(values, dtype), [...shape]);
}

/** Allocates a zero-filled dense tensor on `device`. */
export function emptyTensor(shape: Shape, dtype: DType, device = 'cpu'): Tensor {
  return new Tensor(getBackend(device).alloc(dtype, numelOf(shape)), [...shape]);
}
