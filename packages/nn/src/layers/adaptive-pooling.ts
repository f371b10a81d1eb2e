import {
  type AdaptiveSize,
  adaptiveAvgPool1d,
  adaptiveAvgPool2d,
  adaptiveAvgPool3d,
  adaptiveMaxPool1d,
  adaptiveMaxPool2d,
  adaptiveMaxPool3d,
  type Tensor,
} from '@torchlet/tensor';
import { Module } from '../module.js';
import type { MaxPoolResult } from './pooling.js';

/** Base of the adaptive pooling layers: the requested output size and its repr. */
abstract class AdaptivePoolNd extends Module {
  constructor(readonly outputSize: AdaptiveSize) {
    super();
  }

  override extraRepr(): string {
    const s = this.outputSize;
    return `outputSize=${typeof s === 'number' ? s : `[${s.map((v) => (v === null ? 'null' : v)).join(', ')}]`}`;
  }
}

/** Mean pooling of [N, C, L] inputs to a fixed length whatever the input length. */
export class AdaptiveAvgPool1d extends AdaptivePoolNd {
  override forward(x: Tensor): Tensor {
    return adaptiveAvgPool1d(x, this.outputSize);
  }
}

/** Mean pooling to a fixed output size whatever the input size (e.g. 1 for global pooling). */
export class AdaptiveAvgPool2d extends AdaptivePoolNd {
  override forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize);
  }
}

/** Mean pooling of [N, C, D, H, W] inputs to a fixed output size (null keeps an input dim). */
export class AdaptiveAvgPool3d extends AdaptivePoolNd {
  override forward(x: Tensor): Tensor {
    return adaptiveAvgPool3d(x, this.outputSize);
  }
}

/** Options of the adaptive max-pooling layers. */
export interface AdaptiveMaxPoolLayerOptions<R extends boolean> {
  /** Also return the index of each maximum (for MaxUnpool); the result is then [values, indices]. */
  returnIndices?: R;
}

abstract class AdaptiveMaxPoolNd<R extends boolean> extends AdaptivePoolNd {
  readonly returnIndices: boolean;

  constructor(outputSize: AdaptiveSize, options: AdaptiveMaxPoolLayerOptions<R>) {
    super(outputSize);
    this.returnIndices = options.returnIndices ?? false;
  }

  override extraRepr(): string {
    return `${super.extraRepr()}${this.returnIndices ? ', returnIndices=true' : ''}`;
  }
}

/** Max pooling of [N, C, L] inputs to a fixed length; `returnIndices` also gives the argmax positions. */
export class AdaptiveMaxPool1d<R extends boolean = false> extends AdaptiveMaxPoolNd<R> {
  constructor(outputSize: AdaptiveSize, options: AdaptiveMaxPoolLayerOptions<R> = {}) {
    super(outputSize, options);
  }

  override forward(x: Tensor): MaxPoolResult<R> {
    return adaptiveMaxPool1d(x, this.outputSize, { returnIndices: this.returnIndices }) as MaxPoolResult<R>;
  }
}

/**
 * Max pooling of [N, C, H, W] inputs to a fixed size (null keeps an input dim); `returnIndices`
 * also gives the flat (h·W + w) argmax positions.
 *
 * @example
 * const [values, indices] = new AdaptiveMaxPool2d([2, 2], { returnIndices: true }).call(x);
 */
export class AdaptiveMaxPool2d<R extends boolean = false> extends AdaptiveMaxPoolNd<R> {
  constructor(outputSize: AdaptiveSize, options: AdaptiveMaxPoolLayerOptions<R> = {}) {
    super(outputSize, options);
  }

  override forward(x: Tensor): MaxPoolResult<R> {
    return adaptiveMaxPool2d(x, this.outputSize, { returnIndices: this.returnIndices }) as MaxPoolResult<R>;
  }
}

/** Max pooling of [N, C, D, H, W] inputs to a fixed size; indices are flat `(d·H + h)·W + w`. */
export class AdaptiveMaxPool3d<R extends boolean = false> extends AdaptiveMaxPoolNd<R> {
  constructor(outputSize: AdaptiveSize, options: AdaptiveMaxPoolLayerOptions<R> = {}) {
    super(outputSize, options);
  }

  override forward(x: Tensor): MaxPoolResult<R> {
    return adaptiveMaxPool3d(x, this.outputSize, { returnIndices: this.returnIndices }) as MaxPoolResult<R>;
  }
}
