import { fmtShape, pad, ShapeError, type Tensor, TorchletError } from '@torchlet/tensor';
import { Module } from '../module.js';

/** How a padding layer fills the border (the modes of `F.pad`). */
export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';

/**
 * Shared by the padding layers: `padding` is one amount for every side or (left, right, top,
 * bottom, front, back) pairs from the last dim backwards, as in PyTorch.
 */
abstract class PadNd extends Module {
  readonly padding: number[];

  constructor(
    padding: number | readonly number[],
    readonly dims: number,
    readonly mode: PadMode,
    readonly value = 0,
    /** ZeroPad reprs show only the padding, as PyTorch's. */
    private readonly showValue = mode === 'constant',
  ) {
    super();
    this.padding = typeof padding === 'number' ? new Array<number>(2 * dims).fill(padding) : [...padding];
    if (this.padding.length !== 2 * dims || this.padding.some((p) => !Number.isInteger(p))) {
      throw new TorchletError(
        `${this.className}: padding must be an integer or ${2 * dims} integers, got ${JSON.stringify(padding)}`,
      );
    }
  }

  override forward(x: Tensor): Tensor {
    const d = this.dims;
    if (this.mode === 'constant' ? x.ndim < d : x.ndim !== d + 1 && x.ndim !== d + 2) {
      const want = this.mode === 'constant' ? `at least ${d}` : `${d + 1} or ${d + 2}`;
      throw new ShapeError(`${this.className}: expected a ${want}-D input, got shape ${fmtShape(x.shape)}`);
    }
    if (this.mode === 'reflect' || this.mode === 'circular') this.checkSizes(x);
    return pad(x, this.padding, { mode: this.mode, value: this.value });
  }

  /** Reflection needs pad < size (the edge is not repeated), circular pad ≤ size. */
  private checkSizes(x: Tensor): void {
    for (let i = 0; i < this.dims; i++) {
      const n = x.shape[x.ndim - 1 - i]!;
      const [l, r] = [this.padding[2 * i]!, this.padding[2 * i + 1]!];
      const ok = this.mode === 'reflect' ? l < n && r < n : l <= n && r <= n;
      if (l < 0 || r < 0 || !ok) {
        throw new ShapeError(
          `${this.className}: padding (${l}, ${r}) must be non-negative and ${this.mode === 'reflect' ? 'smaller than' : 'at most'} the size ${n} of dim ${x.ndim - 1 - i} (input shape ${fmtShape(x.shape)})`,
        );
      }
    }
  }

  override extraRepr(): string {
    return this.showValue
      ? `padding=[${this.padding.join(', ')}], value=${this.value}`
      : `[${this.padding.join(', ')}]`;
  }
}

/** Pads the last dim with a constant: `new ConstantPad1d([2, 1], 3.5)`. */
export class ConstantPad1d extends PadNd {
  constructor(padding: number | readonly [number, number], value: number) {
    super(padding, 1, 'constant', value);
  }
}

/** Pads the last two dims with a constant; [left, right, top, bottom]. Negative amounts crop. */
export class ConstantPad2d extends PadNd {
  constructor(padding: number | readonly [number, number, number, number], value: number) {
    super(padding, 2, 'constant', value);
  }
}

/** Pads the last three dims with a constant; [left, right, top, bottom, front, back]. */
export class ConstantPad3d extends PadNd {
  constructor(padding: number | readonly number[], value: number) {
    super(padding, 3, 'constant', value);
  }
}

/** Pads the last dim with zeros. */
export class ZeroPad1d extends PadNd {
  constructor(padding: number | readonly [number, number]) {
    super(padding, 1, 'constant', 0, false);
  }
}

/** Pads the last two dims with zeros: one amount for all sides, or [left, right, top, bottom]. */
export class ZeroPad2d extends PadNd {
  constructor(padding: number | readonly [number, number, number, number]) {
    super(padding, 2, 'constant', 0, false);
  }
}

/** Pads the last three dims with zeros. */
export class ZeroPad3d extends PadNd {
  constructor(padding: number | readonly number[]) {
    super(padding, 3, 'constant', 0, false);
  }
}

/** Pads [N, C, L] or [C, L] inputs with the reflection of the border (edge not repeated). */
export class ReflectionPad1d extends PadNd {
  constructor(padding: number | readonly [number, number]) {
    super(padding, 1, 'reflect');
  }
}

/**
 * Pads [N, C, H, W] or [C, H, W] inputs with the reflection of the border.
 *
 * @example
 * new ReflectionPad2d(1).call(zeros([1, 3, 8, 8])).shape; // [1, 3, 10, 10]
 */
export class ReflectionPad2d extends PadNd {
  constructor(padding: number | readonly [number, number, number, number]) {
    super(padding, 2, 'reflect');
  }
}

/** Pads [N, C, D, H, W] or [C, D, H, W] inputs with the reflection of the border. */
export class ReflectionPad3d extends PadNd {
  constructor(padding: number | readonly number[]) {
    super(padding, 3, 'reflect');
  }
}

/** Pads [N, C, L] or [C, L] inputs by repeating the edge value. */
export class ReplicationPad1d extends PadNd {
  constructor(padding: number | readonly [number, number]) {
    super(padding, 1, 'replicate');
  }
}

/** Pads [N, C, H, W] or [C, H, W] inputs by repeating the edge values. */
export class ReplicationPad2d extends PadNd {
  constructor(padding: number | readonly [number, number, number, number]) {
    super(padding, 2, 'replicate');
  }
}

/** Pads [N, C, D, H, W] or [C, D, H, W] inputs by repeating the edge values. */
export class ReplicationPad3d extends PadNd {
  constructor(padding: number | readonly number[]) {
    super(padding, 3, 'replicate');
  }
}

/** Pads [N, C, L] or [C, L] inputs by wrapping around (PyTorch 2.1's CircularPad1d). */
export class CircularPad1d extends PadNd {
  constructor(padding: number | readonly [number, number]) {
    super(padding, 1, 'circular');
  }
}

/** Pads [N, C, H, W] or [C, H, W] inputs by wrapping around (PyTorch 2.1's CircularPad2d). */
export class CircularPad2d extends PadNd {
  constructor(padding: number | readonly [number, number, number, number]) {
    super(padding, 2, 'circular');
  }
}
