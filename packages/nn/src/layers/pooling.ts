import {
  type AvgPoolOptions,
  avgPool1d,
  avgPool2d,
  avgPool3d,
  type MaxPoolOptions,
  maxPool1d,
  maxPool2d,
  maxPool3d,
  type Tensor,
} from '@torchlet/tensor';
import { type LPPoolOptions, lpPool1d, lpPool2d } from '../functional/pooling.js';
import { Module } from '../module.js';

type Size = number | readonly number[];

/** A size as reprs show it: `3` or `[2, 3]`. */
export function fmtSize(v: Size | undefined): string {
  return typeof v === 'number' || v === undefined ? String(v) : `[${v.join(', ')}]`;
}

/** Options of MaxPool1d / MaxPool2d (the kernel size is the first constructor argument). */
export type MaxPoolLayerOptions<R extends boolean> = Omit<MaxPoolOptions, 'kernelSize' | 'returnIndices'> & {
  /** Also return the index of each maximum (for MaxUnpool); the result is then [values, indices]. */
  returnIndices?: R;
};

/** What a max-pooling layer returns: the values, or [values, indices] with `returnIndices: true`. */
export type MaxPoolResult<R extends boolean> = R extends true ? [Tensor, Tensor] : Tensor;

abstract class MaxPoolNd<R extends boolean> extends Module {
  readonly options: MaxPoolOptions;

  constructor(kernelSize: Size, options: MaxPoolLayerOptions<R>) {
    super();
    this.options = { ...options, kernelSize, stride: options.stride ?? kernelSize };
  }

  override extraRepr(): string {
    const o = this.options;
    return `kernelSize=${fmtSize(o.kernelSize)}, stride=${fmtSize(o.stride)}, padding=${fmtSize(o.padding ?? 0)}, dilation=${fmtSize(o.dilation ?? 1)}, ceilMode=${o.ceilMode ?? false}`;
  }
}

/** Max over sliding windows of [N, C, L] inputs. */
export class MaxPool1d<R extends boolean = false> extends MaxPoolNd<R> {
  constructor(kernelSize: Size, options: MaxPoolLayerOptions<R> = {}) {
    super(kernelSize, options);
  }

  override forward(x: Tensor): MaxPoolResult<R> {
    return maxPool1d(x, this.options) as MaxPoolResult<R>;
  }
}

/**
 * Max over sliding windows of [N, C, H, W] inputs; the stride defaults to the kernel size.
 *
 * @example
 * new MaxPool2d(2).call(zeros([8, 32, 28, 28])).shape; // [8, 32, 14, 14]
 */
export class MaxPool2d<R extends boolean = false> extends MaxPoolNd<R> {
  constructor(kernelSize: Size, options: MaxPoolLayerOptions<R> = {}) {
    super(kernelSize, options);
  }

  override forward(x: Tensor): MaxPoolResult<R> {
    return maxPool2d(x, this.options) as MaxPoolResult<R>;
  }
}

/**
 * Max over sliding windows of [N, C, D, H, W] inputs; the stride defaults to the kernel size.
 *
 * @example
 * new MaxPool3d(2).call(zeros([2, 4, 8, 8, 8])).shape; // [2, 4, 4, 4, 4]
 */
export class MaxPool3d<R extends boolean = false> extends MaxPoolNd<R> {
  constructor(kernelSize: Size, options: MaxPoolLayerOptions<R> = {}) {
    super(kernelSize, options);
  }

  override forward(x: Tensor): MaxPoolResult<R> {
    return maxPool3d(x, this.options) as MaxPoolResult<R>;
  }
}

abstract class AvgPoolNd extends Module {
  readonly options: AvgPoolOptions;

  constructor(kernelSize: Size, options: Omit<AvgPoolOptions, 'kernelSize'>) {
    super();
    this.options = { ...options, kernelSize, stride: options.stride ?? kernelSize };
  }

  override extraRepr(): string {
    const o = this.options;
    return `kernelSize=${fmtSize(o.kernelSize)}, stride=${fmtSize(o.stride)}, padding=${fmtSize(o.padding ?? 0)}`;
  }
}

/** Mean over sliding windows of [N, C, L] inputs. */
export class AvgPool1d extends AvgPoolNd {
  constructor(kernelSize: number, options: Omit<AvgPoolOptions, 'kernelSize' | 'divisorOverride'> = {}) {
    super(kernelSize, options);
  }

  override forward(x: Tensor): Tensor {
    return avgPool1d(x, this.options);
  }
}

/** Mean over sliding windows of [N, C, H, W] inputs. */
export class AvgPool2d extends AvgPoolNd {
  constructor(kernelSize: Size, options: Omit<AvgPoolOptions, 'kernelSize'> = {}) {
    super(kernelSize, options);
  }

  override forward(x: Tensor): Tensor {
    return avgPool2d(x, this.options);
  }
}

/** Mean over sliding windows of [N, C, D, H, W] inputs. */
export class AvgPool3d extends AvgPoolNd {
  constructor(kernelSize: Size, options: Omit<AvgPoolOptions, 'kernelSize'> = {}) {
    super(kernelSize, options);
  }

  override forward(x: Tensor): Tensor {
    return avgPool3d(x, this.options);
  }
}

abstract class LPPoolNd extends Module {
  constructor(
    readonly normType: number,
    readonly kernelSize: Size,
    readonly options: LPPoolOptions,
  ) {
    super();
  }

  override extraRepr(): string {
    const o = this.options;
    return `normType=${this.normType}, kernelSize=${fmtSize(this.kernelSize)}, stride=${fmtSize(o.stride ?? this.kernelSize)}, ceilMode=${o.ceilMode ?? false}`;
  }
}

/** (Σ_window x^p)^(1/p) over sliding windows of [N, C, L] inputs. */
export class LPPool1d extends LPPoolNd {
  constructor(normType: number, kernelSize: number, options: LPPoolOptions = {}) {
    super(normType, kernelSize, options);
  }

  override forward(x: Tensor): Tensor {
    return lpPool1d(x, this.normType, this.kernelSize as number, this.options);
  }
}

/**
 * (Σ_window x^p)^(1/p) over sliding windows of [N, C, H, W] inputs.
 *
 * @example
 * new LPPool2d(2, 3, { stride: 2 }).call(x); // the L2 norm of each 3×3 window
 */
export class LPPool2d extends LPPoolNd {
  constructor(normType: number, kernelSize: Size, options: LPPoolOptions = {}) {
    super(normType, kernelSize, options);
  }

  override forward(x: Tensor): Tensor {
    return lpPool2d(x, this.normType, this.kernelSize, this.options);
  }
}
