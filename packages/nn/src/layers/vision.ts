import { type InterpolateMode, interpolate, pad, type Tensor, TorchletError } from '@torchlet/tensor';
import { pixelShuffle } from '../functional/vision.js';
import { Module } from '../module.js';

/** Options of {@link Upsample}: exactly one of `size` and `scaleFactor`. */
export interface UpsampleOptions {
  size?: number | readonly number[];
  scaleFactor?: number | readonly number[];
  /** 'nearest' (default), 'bilinear', … */
  mode?: InterpolateMode;
  alignCorners?: boolean;
}

/** Resizes [N, C, H, W] inputs by interpolation (nearest or bilinear). */
export class Upsample extends Module {
  constructor(readonly options: UpsampleOptions) {
    super();
    if ((options.size === undefined) === (options.scaleFactor === undefined)) {
      throw new TorchletError('Upsample: give exactly one of size and scaleFactor');
    }
  }

  override forward(x: Tensor): Tensor {
    const { size, scaleFactor, mode = 'nearest', alignCorners } = this.options;
    return interpolate(x, {
      mode,
      ...(size !== undefined ? { size } : {}),
      ...(scaleFactor !== undefined ? { scaleFactor } : {}),
      ...(alignCorners !== undefined ? { alignCorners } : {}),
    });
  }

  override extraRepr(): string {
    const { size, scaleFactor, mode = 'nearest' } = this.options;
    const which = size !== undefined ? `size=${String(size)}` : `scaleFactor=${String(scaleFactor)}`;
    return `${which}, mode='${mode}'`;
  }
}

/** Pads the last two dims with zeros: one amount for all sides, or [left, right, top, bottom]. */
export class ZeroPad2d extends Module {
  readonly padding: [number, number, number, number];

  constructor(padding: number | readonly [number, number, number, number]) {
    super();
    this.padding = typeof padding === 'number' ? [padding, padding, padding, padding] : [...padding];
  }

  override forward(x: Tensor): Tensor {
    return pad(x, this.padding, { mode: 'constant', value: 0 });
  }

  override extraRepr(): string {
    return `[${this.padding.join(', ')}]`;
  }
}

/** Rearranges [*, C·r², H, W] into [*, C, H·r, W·r]. */
export class PixelShuffle extends Module {
  constructor(readonly upscaleFactor: number) {
    super();
  }

  override forward(x: Tensor): Tensor {
    return pixelShuffle(x, this.upscaleFactor);
  }

  override extraRepr(): string {
    return `upscaleFactor=${this.upscaleFactor}`;
  }
}
