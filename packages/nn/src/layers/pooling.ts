import {
  type AdaptiveSize,
  type AvgPoolOptions,
  adaptiveAvgPool2d,
  avgPool2d,
  type MaxPoolOptions,
  maxPool1d,
  maxPool2d,
  type Tensor,
} from '@torchlet/tensor';
import { Module } from '../module.js';

type Size = number | readonly number[];

function fmt(v: Size | undefined): string {
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
    return `kernelSize=${fmt(o.kernelSize)}, stride=${fmt(o.stride)}, padding=${fmt(o.padding ?? 0)}, dilation=${fmt(o.dilation ?? 1)}, ceilMode=${o.ceilMode ?? false}`;
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

/** Mean over sliding windows of [N, C, H, W] inputs. */
export class AvgPool2d extends Module {
  readonly options: AvgPoolOptions;

  constructor(kernelSize: Size, options: Omit<AvgPoolOptions, 'kernelSize'> = {}) {
    super();
    this.options = { ...options, kernelSize, stride: options.stride ?? kernelSize };
  }

  override forward(x: Tensor): Tensor {
    return avgPool2d(x, this.options);
  }

  override extraRepr(): string {
    const o = this.options;
    return `kernelSize=${fmt(o.kernelSize)}, stride=${fmt(o.stride)}, padding=${fmt(o.padding ?? 0)}`;
  }
}

/** Mean pooling to a fixed output size whatever the input size (e.g. 1 for global pooling). */
export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: AdaptiveSize) {
    super();
  }

  override forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize);
  }

  override extraRepr(): string {
    const s = this.outputSize;
    return `outputSize=${typeof s === 'number' ? s : `[${s.map((v) => (v === null ? 'null' : v)).join(', ')}]`}`;
  }
}
