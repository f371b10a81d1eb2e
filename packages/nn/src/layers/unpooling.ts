import type { Tensor } from '@torchlet/tensor';
import { type MaxUnpoolOptions, maxUnpool1d, maxUnpool2d } from '../functional/pooling.js';
import { Module } from '../module.js';
import { fmtSize } from './pooling.js';

type Size = number | readonly number[];

/** Options of the MaxUnpool layers (the output size is given per call). */
export type MaxUnpoolLayerOptions = Omit<MaxUnpoolOptions, 'outputSize'>;

abstract class MaxUnpoolNd extends Module {
  constructor(
    readonly kernelSize: Size,
    readonly options: MaxUnpoolLayerOptions,
  ) {
    super();
  }

  protected withSize(outputSize?: readonly number[]): MaxUnpoolOptions {
    return outputSize === undefined ? this.options : { ...this.options, outputSize };
  }

  override extraRepr(): string {
    const o = this.options;
    return `kernelSize=${fmtSize(this.kernelSize)}, stride=${fmtSize(o.stride ?? this.kernelSize)}, padding=${fmtSize(o.padding ?? 0)}`;
  }
}

/** Inverse of MaxPool1d: `call(values, indices, outputSize?)` scatters values back, zeros elsewhere. */
export class MaxUnpool1d extends MaxUnpoolNd {
  constructor(kernelSize: number, options: MaxUnpoolLayerOptions = {}) {
    super(kernelSize, options);
  }

  override forward(x: Tensor, indices: Tensor, outputSize?: readonly number[]): Tensor {
    return maxUnpool1d(x, indices, this.kernelSize as number, this.withSize(outputSize));
  }
}

/**
 * Inverse of MaxPool2d: `call(values, indices, outputSize?)` scatters values back, zeros elsewhere.
 *
 * @example
 * const [v, i] = new MaxPool2d(2, { returnIndices: true }).call(x);
 * new MaxUnpool2d(2).call(v, i, x.shape).shape; // x.shape
 */
export class MaxUnpool2d extends MaxUnpoolNd {
  constructor(kernelSize: Size, options: MaxUnpoolLayerOptions = {}) {
    super(kernelSize, options);
  }

  override forward(x: Tensor, indices: Tensor, outputSize?: readonly number[]): Tensor {
    return maxUnpool2d(x, indices, this.kernelSize, this.withSize(outputSize));
  }
}
