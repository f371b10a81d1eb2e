import {
  type ConvTransposeOptions,
  conv1d,
  conv2d,
  conv3d,
  convTranspose1d,
  convTranspose2d,
  convTranspose3d,
  empty,
  type PadOptions,
  pad,
  type Tensor,
  TorchletError,
} from '@torchlet/tensor';
import { calculateFanInAndFanOut } from '../init.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { resetLinearParameters } from './linear.js';

type Size = number | readonly number[];

/** Options of Conv1d / Conv2d / Conv3d, as PyTorch's keyword arguments. */
export interface ConvLayerOptions {
  stride?: Size;
  /** Zero padding per side, or 'same' / 'valid'. */
  padding?: Size | 'same' | 'valid';
  dilation?: Size;
  groups?: number;
  bias?: boolean;
  /** How padding is filled (default 'zeros'). */
  paddingMode?: 'zeros' | 'reflect' | 'replicate' | 'circular';
}

/** Options of ConvTranspose1d / ConvTranspose2d. */
export interface ConvTransposeLayerOptions {
  stride?: Size;
  padding?: Size;
  outputPadding?: Size;
  dilation?: Size;
  groups?: number;
  bias?: boolean;
}

function tuple(size: Size, n: number): number[] {
  return typeof size === 'number' ? new Array<number>(n).fill(size) : [...size];
}

function fmt(t: readonly number[]): string {
  return `[${t.join(', ')}]`;
}

/** Weight/bias creation, default initialization and repr shared by the convolution layers. */
abstract class ConvNd extends Module {
  weight: Parameter;
  bias: Parameter | null;
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly dilation: number[];
  readonly groups: number;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: Size,
    dims: number,
    transposed: boolean,
    options: { stride?: Size; dilation?: Size; groups?: number; bias?: boolean },
  ) {
    super();
    this.groups = options.groups ?? 1;
    if (inChannels % this.groups !== 0 || outChannels % this.groups !== 0) {
      throw new TorchletError(
        `${this.className}: inChannels ${inChannels} and outChannels ${outChannels} must both be divisible by groups ${this.groups}`,
      );
    }
    this.kernelSize = tuple(kernelSize, dims);
    this.stride = tuple(options.stride ?? 1, dims);
    this.dilation = tuple(options.dilation ?? 1, dims);
    const wShape = transposed
      ? [inChannels, outChannels / this.groups, ...this.kernelSize]
      : [outChannels, inChannels / this.groups, ...this.kernelSize];
    this.weight = new Parameter(empty(wShape));
    this.bias = options.bias === false ? null : new Parameter(empty([outChannels]));
    this.resetParameters();
  }

  /** PyTorch's default: kaiming_uniform_(a=√5) weight, U(−1/√fanIn, 1/√fanIn) bias. */
  resetParameters(): void {
    resetLinearParameters(this.weight, this.bias, calculateFanInAndFanOut(this.weight)[0]);
  }

  /** Settings beyond the defaults, in PyTorch's repr order. */
  protected reprParts(extra: string[]): string {
    const parts = [
      `${this.inChannels}, ${this.outChannels}, kernelSize=${fmt(this.kernelSize)}, stride=${fmt(this.stride)}`,
    ];
    parts.push(...extra);
    if (this.dilation.some((d) => d !== 1)) parts.push(`dilation=${fmt(this.dilation)}`);
    if (this.groups !== 1) parts.push(`groups=${this.groups}`);
    if (this.bias === null) parts.push('bias=false');
    return parts.join(', ');
  }
}

/** Convolution layers that take ConvLayerOptions (padding modes included). */
abstract class ConvForward extends ConvNd {
  readonly padding: number[] | 'same' | 'valid';
  readonly paddingMode: NonNullable<ConvLayerOptions['paddingMode']>;

  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Size,
    dims: number,
    options: ConvLayerOptions,
  ) {
    super(inChannels, outChannels, kernelSize, dims, false, options);
    const p = options.padding ?? 0;
    this.padding = typeof p === 'string' ? p : tuple(p, dims);
    this.paddingMode = options.paddingMode ?? 'zeros';
    if (this.paddingMode !== 'zeros' && typeof this.padding === 'string') {
      throw new TorchletError(`${this.className}: paddingMode '${this.paddingMode}' needs numeric padding`);
    }
  }

  /** Applies a non-zero padding mode up front; returns the input and the padding left for the op. */
  protected padded(x: Tensor): [Tensor, number[] | 'same' | 'valid'] {
    if (this.paddingMode === 'zeros' || typeof this.padding === 'string') return [x, this.padding];
    const amounts = [...this.padding].reverse().flatMap((p) => [p, p]);
    return [pad(x, amounts, { mode: this.paddingMode as PadOptions['mode'] }), this.padding.map(() => 0)];
  }

  override extraRepr(): string {
    const extra: string[] = [];
    if (typeof this.padding === 'string') extra.push(`padding=${this.padding}`);
    else if (this.padding.some((p) => p !== 0)) extra.push(`padding=${fmt(this.padding)}`);
    const base = this.reprParts(extra);
    return this.paddingMode === 'zeros' ? base : `${base}, paddingMode=${this.paddingMode}`;
  }
}

/**
 * 1-D convolution over [N, C, L] (or [C, L]) inputs; weight [out, in/groups, k].
 */
export class Conv1d extends ConvForward {
  constructor(inChannels: number, outChannels: number, kernelSize: Size, options: ConvLayerOptions = {}) {
    super(inChannels, outChannels, kernelSize, 1, options);
  }

  override forward(x: Tensor): Tensor {
    const [input, padding] = this.padded(x);
    return conv1d(input, this.weight, this.bias, {
      stride: this.stride,
      padding,
      dilation: this.dilation,
      groups: this.groups,
    });
  }
}

/**
 * 2-D convolution over [N, C, H, W] (or [C, H, W]) inputs; weight [out, in/groups, kh, kw].
 *
 * @example
 * const conv = new Conv2d(1, 32, 3, { padding: 1 });
 * conv.call(zeros([8, 1, 28, 28])).shape; // [8, 32, 28, 28]
 */
export class Conv2d extends ConvForward {
  constructor(inChannels: number, outChannels: number, kernelSize: Size, options: ConvLayerOptions = {}) {
    super(inChannels, outChannels, kernelSize, 2, options);
  }

  override forward(x: Tensor): Tensor {
    const [input, padding] = this.padded(x);
    return conv2d(input, this.weight, this.bias, {
      stride: this.stride,
      padding,
      dilation: this.dilation,
      groups: this.groups,
    });
  }
}

/**
 * 3-D convolution over [N, C, D, H, W] (or [C, D, H, W]) inputs; weight [out, in/groups, kd, kh, kw].
 *
 * @example
 * const conv = new Conv3d(1, 8, 3, { padding: 1 });
 * conv.call(zeros([2, 1, 16, 16, 16])).shape; // [2, 8, 16, 16, 16]
 */
export class Conv3d extends ConvForward {
  constructor(inChannels: number, outChannels: number, kernelSize: Size, options: ConvLayerOptions = {}) {
    super(inChannels, outChannels, kernelSize, 3, options);
  }

  override forward(x: Tensor): Tensor {
    const [input, padding] = this.padded(x);
    return conv3d(input, this.weight, this.bias, {
      stride: this.stride,
      padding,
      dilation: this.dilation,
      groups: this.groups,
    });
  }
}

/** Transposed convolutions: weight [in, out/groups, ...kernel], padding and output padding. */
abstract class ConvTransposeNd extends ConvNd {
  readonly padding: number[];
  readonly outputPadding: number[];

  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Size,
    dims: number,
    options: ConvTransposeLayerOptions,
  ) {
    super(inChannels, outChannels, kernelSize, dims, true, options);
    this.padding = tuple(options.padding ?? 0, dims);
    this.outputPadding = tuple(options.outputPadding ?? 0, dims);
  }

  protected get opOptions(): ConvTransposeOptions {
    return {
      stride: this.stride,
      padding: this.padding,
      outputPadding: this.outputPadding,
      dilation: this.dilation,
      groups: this.groups,
    };
  }

  override extraRepr(): string {
    const extra: string[] = [];
    if (this.padding.some((p) => p !== 0)) extra.push(`padding=${fmt(this.padding)}`);
    if (this.outputPadding.some((p) => p !== 0)) extra.push(`outputPadding=${fmt(this.outputPadding)}`);
    return this.reprParts(extra);
  }
}

/** Transposed 1-D convolution over [N, C, L] (or [C, L]) inputs; weight [in, out/groups, k]. */
export class ConvTranspose1d extends ConvTransposeNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Size,
    options: ConvTransposeLayerOptions = {},
  ) {
    super(inChannels, outChannels, kernelSize, 1, options);
  }

  override forward(x: Tensor): Tensor {
    return convTranspose1d(x, this.weight, this.bias, this.opOptions);
  }
}

/**
 * Transposed 2-D convolution (the gradient of Conv2d with respect to its input), for upsampling;
 * weight [in, out/groups, kh, kw].
 */
export class ConvTranspose2d extends ConvTransposeNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Size,
    options: ConvTransposeLayerOptions = {},
  ) {
    super(inChannels, outChannels, kernelSize, 2, options);
  }

  override forward(x: Tensor): Tensor {
    return convTranspose2d(x, this.weight, this.bias, this.opOptions);
  }
}

/** Transposed 3-D convolution over [N, C, D, H, W] (or [C, D, H, W]) inputs; weight [in, out/groups, kd, kh, kw]. */
export class ConvTranspose3d extends ConvTransposeNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Size,
    options: ConvTransposeLayerOptions = {},
  ) {
    super(inChannels, outChannels, kernelSize, 3, options);
  }

  override forward(x: Tensor): Tensor {
    return convTranspose3d(x, this.weight, this.bias, this.opOptions);
  }
}
