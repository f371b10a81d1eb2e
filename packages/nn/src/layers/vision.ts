import {
  type FoldOptions,
  fold,
  type InterpolateMode,
  interpolate,
  type Tensor,
  TorchletError,
  type UnfoldOptions,
  unfold,
} from '@torchlet/tensor';
import { channelShuffle, pixelShuffle, pixelUnshuffle } from '../functional/vision.js';
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

/** Size or scale factor of the fixed-mode upsampling layers: exactly one of them. */
export type UpsamplingOptions = Omit<UpsampleOptions, 'mode' | 'alignCorners'>;

/** Nearest-neighbour upsampling of [N, C, H, W] inputs (`Upsample` with mode 'nearest'). */
export class UpsamplingNearest2d extends Upsample {
  constructor(options: UpsamplingOptions) {
    super({ ...options, mode: 'nearest' });
  }
}

/** Bilinear upsampling of [N, C, H, W] inputs with aligned corners, as PyTorch's UpsamplingBilinear2d. */
export class UpsamplingBilinear2d extends Upsample {
  constructor(options: UpsamplingOptions) {
    super({ ...options, mode: 'bilinear', alignCorners: true });
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

/** Rearranges [*, C, H·r, W·r] into [*, C·r², H, W] (the inverse of PixelShuffle). */
export class PixelUnshuffle extends Module {
  constructor(readonly downscaleFactor: number) {
    super();
  }

  override forward(x: Tensor): Tensor {
    return pixelUnshuffle(x, this.downscaleFactor);
  }

  override extraRepr(): string {
    return `downscaleFactor=${this.downscaleFactor}`;
  }
}

/** Interleaves the channels of [N, C, *] inputs across `groups` groups (ShuffleNet). */
export class ChannelShuffle extends Module {
  constructor(readonly groups: number) {
    super();
  }

  override forward(x: Tensor): Tensor {
    return channelShuffle(x, this.groups);
  }

  override extraRepr(): string {
    return `groups=${this.groups}`;
  }
}

type Size = number | readonly number[];

function fmtOpt(v: number | readonly number[] | undefined, fallback: number): string {
  const s = v ?? fallback;
  return typeof s === 'number' ? String(s) : `[${s.join(', ')}]`;
}

function blockRepr(o: UnfoldOptions): string {
  return `kernelSize=${fmtOpt(o.kernelSize, 0)}, dilation=${fmtOpt(o.dilation, 1)}, padding=${fmtOpt(o.padding, 0)}, stride=${fmtOpt(o.stride, 1)}`;
}

/**
 * Extracts sliding blocks of [N, C, H, W] inputs as columns: [N, C·kh·kw, L] (im2col).
 *
 * @example
 * new Unfold(3, { padding: 1 }).call(zeros([1, 2, 4, 4])).shape; // [1, 18, 16]
 */
export class Unfold extends Module {
  readonly options: UnfoldOptions;

  constructor(kernelSize: Size, options: Omit<UnfoldOptions, 'kernelSize'> = {}) {
    super();
    this.options = { ...options, kernelSize };
  }

  override forward(x: Tensor): Tensor {
    return unfold(x, this.options);
  }

  override extraRepr(): string {
    return blockRepr(this.options);
  }
}

/** Sums columns [N, C·kh·kw, L] back into [N, C, H, W] images (col2im; overlaps add up). */
export class Fold extends Module {
  readonly options: FoldOptions;

  constructor(
    outputSize: Size,
    kernelSize: Size,
    options: Omit<FoldOptions, 'kernelSize' | 'outputSize'> = {},
  ) {
    super();
    this.options = { ...options, outputSize, kernelSize };
  }

  override forward(x: Tensor): Tensor {
    return fold(x, this.options);
  }

  override extraRepr(): string {
    return `outputSize=${fmtOpt(this.options.outputSize, 0)}, ${blockRepr(this.options)}`;
  }
}
