import { fmtShape, noGrad, ones, ShapeError, type Tensor, zeros } from '@torchlet/tensor';
import {
  batchNorm,
  groupNorm,
  instanceNorm,
  type LocalResponseNormOptions,
  layerNorm,
  localResponseNorm,
  rmsNorm,
} from '../functional/normalization.js';
import { ones_, zeros_ } from '../init.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';

/** Options of the batch and instance normalization layers. */
export interface NormOptions {
  eps?: number;
  /** Weight of each new batch in the running statistics (default 0.1); null for a cumulative average. */
  momentum?: number | null;
  /** Learn a per-channel scale and shift. */
  affine?: boolean;
  /** Keep running statistics (used in eval mode). */
  trackRunningStats?: boolean;
}

/** Shared state of BatchNorm and InstanceNorm: affine parameters and running-statistics buffers. */
abstract class NormBase extends Module {
  weight: Parameter | null;
  bias: Parameter | null;
  declare runningMean: Tensor | null;
  declare runningVar: Tensor | null;
  declare numBatchesTracked: Tensor | null;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;

  constructor(
    readonly numFeatures: number,
    options: NormOptions,
    defaults: { affine: boolean; trackRunningStats: boolean },
  ) {
    super();
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum === undefined ? 0.1 : options.momentum;
    this.affine = options.affine ?? defaults.affine;
    this.trackRunningStats = options.trackRunningStats ?? defaults.trackRunningStats;
    this.weight = this.affine ? new Parameter(ones([numFeatures])) : null;
    this.bias = this.affine ? new Parameter(zeros([numFeatures])) : null;
    const track = this.trackRunningStats;
    this.registerBuffer('runningMean', track ? zeros([numFeatures]) : null, { stateName: 'running_mean' });
    this.registerBuffer('runningVar', track ? ones([numFeatures]) : null, { stateName: 'running_var' });
    this.registerBuffer('numBatchesTracked', track ? zeros([], { dtype: 'int32' }) : null, {
      stateName: 'num_batches_tracked',
    });
  }

  /** Running statistics back to mean 0, variance 1, no batches seen. */
  resetRunningStats(): void {
    if (!this.trackRunningStats) return;
    zeros_(this.runningMean!);
    ones_(this.runningVar!);
    zeros_(this.numBatchesTracked!);
  }

  /** The averaging factor for this step, counting the batch when training with running stats. */
  protected averagingFactor(): number {
    if (!(this.training && this.trackRunningStats && this.numBatchesTracked)) return this.momentum ?? 0;
    noGrad(() => this.numBatchesTracked!.add_(1));
    return this.momentum ?? 1 / this.numBatchesTracked.item();
  }

  protected checkDims(x: Tensor, allowed: number[], what: string, channelDim = 1): void {
    if (!allowed.includes(x.ndim)) {
      throw new ShapeError(`${this.className}: expected ${what} input, got shape ${fmtShape(x.shape)}`);
    }
    if (x.shape[channelDim] !== this.numFeatures) {
      throw new ShapeError(
        `${this.className}: expected ${this.numFeatures} channels, got shape ${fmtShape(x.shape)}`,
      );
    }
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.affine}, trackRunningStats=${this.trackRunningStats}`;
  }
}

abstract class BatchNormNd extends NormBase {
  constructor(numFeatures: number, options: NormOptions = {}) {
    super(numFeatures, options, { affine: true, trackRunningStats: true });
  }

  protected normalize(x: Tensor): Tensor {
    const factor = this.averagingFactor();
    const useBatchStats = this.training || this.runningMean === null;
    const keepStats = !this.training || this.trackRunningStats;
    return batchNorm(x, keepStats ? this.runningMean : null, keepStats ? this.runningVar : null, {
      weight: this.weight,
      bias: this.bias,
      training: useBatchStats,
      momentum: factor,
      eps: this.eps,
    });
  }
}

/**
 * Batch normalization of [N, C] or [N, C, L] inputs: per-feature batch statistics in training
 * (updating the running ones), running statistics in eval mode.
 */
export class BatchNorm1d extends BatchNormNd {
  override forward(x: Tensor): Tensor {
    this.checkDims(x, [2, 3], '2-D or 3-D');
    return this.normalize(x);
  }
}

/** Batch normalization of [N, C, H, W] inputs over N, H and W per channel. */
export class BatchNorm2d extends BatchNormNd {
  override forward(x: Tensor): Tensor {
    this.checkDims(x, [4], '4-D');
    return this.normalize(x);
  }
}

/** Batch normalization of [N, C, D, H, W] inputs over N, D, H and W per channel. */
export class BatchNorm3d extends BatchNormNd {
  override forward(x: Tensor): Tensor {
    this.checkDims(x, [5], '5-D');
    return this.normalize(x);
  }
}

/** Instance normalization over `spatial` trailing dims; batched or unbatched inputs. */
abstract class InstanceNormNd extends NormBase {
  constructor(
    numFeatures: number,
    options: NormOptions,
    private readonly spatial: number,
  ) {
    super(numFeatures, options, { affine: false, trackRunningStats: false });
  }

  override forward(x: Tensor): Tensor {
    const d = this.spatial;
    const unbatched = x.ndim === d + 1;
    this.checkDims(x, [d + 1, d + 2], `${d + 1}-D or ${d + 2}-D`, unbatched ? 0 : 1);
    const input = unbatched ? x.unsqueeze(0) : x;
    // Unlike batch norm, PyTorch's instance norm neither counts batches nor averages cumulatively.
    const factor = this.momentum ?? 0.1;
    const out = instanceNorm(input, {
      runningMean: this.runningMean,
      runningVar: this.runningVar,
      weight: this.weight,
      bias: this.bias,
      useInputStats: this.training || !this.trackRunningStats,
      momentum: factor,
      eps: this.eps,
    });
    return unbatched ? out.squeeze(0) : out;
  }
}

/** Normalizes each sample and channel of [N, C, L] (or [C, L]) over L. */
export class InstanceNorm1d extends InstanceNormNd {
  constructor(numFeatures: number, options: NormOptions = {}) {
    super(numFeatures, options, 1);
  }
}

/**
 * Normalizes each sample and channel of [N, C, H, W] (or [C, H, W]) over H and W; no affine and no
 * running statistics unless asked for.
 */
export class InstanceNorm2d extends InstanceNormNd {
  constructor(numFeatures: number, options: NormOptions = {}) {
    super(numFeatures, options, 2);
  }
}

/** Normalizes each sample and channel of [N, C, D, H, W] (or [C, D, H, W]) over D, H and W. */
export class InstanceNorm3d extends InstanceNormNd {
  constructor(numFeatures: number, options: NormOptions = {}) {
    super(numFeatures, options, 3);
  }
}

/** Options of {@link LayerNorm}. */
export interface LayerNormOptions {
  eps?: number;
  /** Learn an elementwise scale (and shift) of the normalized shape (default true). */
  elementwiseAffine?: boolean;
  /** Learn the shift too (default true). */
  bias?: boolean;
}

/** Normalizes over the trailing `normalizedShape` dims of each sample. */
export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(normalizedShape: number | readonly number[], options: LayerNormOptions = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    this.eps = options.eps ?? 1e-5;
    const affine = options.elementwiseAffine ?? true;
    this.weight = affine ? new Parameter(ones(this.normalizedShape)) : null;
    this.bias = affine && options.bias !== false ? new Parameter(zeros(this.normalizedShape)) : null;
  }

  override forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `[${this.normalizedShape.join(', ')}], eps=${this.eps}, elementwiseAffine=${this.weight !== null}`;
  }
}

/** Normalizes groups of channels of [N, C, …] inputs; per-channel affine. */
export class GroupNorm extends Module {
  readonly eps: number;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(
    readonly numGroups: number,
    readonly numChannels: number,
    options: { eps?: number; affine?: boolean } = {},
  ) {
    super();
    if (numChannels % numGroups !== 0) {
      throw new ShapeError(
        `GroupNorm: numChannels ${numChannels} must be divisible by numGroups ${numGroups}`,
      );
    }
    this.eps = options.eps ?? 1e-5;
    const affine = options.affine ?? true;
    this.weight = affine ? new Parameter(ones([numChannels])) : null;
    this.bias = affine ? new Parameter(zeros([numChannels])) : null;
  }

  override forward(x: Tensor): Tensor {
    return groupNorm(x, this.numGroups, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${this.eps}, affine=${this.weight !== null}`;
  }
}

/** Normalizes each position of [N, C, *] inputs by the squares of its `size` neighbouring channels (AlexNet). */
export class LocalResponseNorm extends Module {
  readonly alpha: number;
  readonly beta: number;
  readonly k: number;

  constructor(
    readonly size: number,
    options: LocalResponseNormOptions = {},
  ) {
    super();
    this.alpha = options.alpha ?? 1e-4;
    this.beta = options.beta ?? 0.75;
    this.k = options.k ?? 1;
  }

  override forward(x: Tensor): Tensor {
    return localResponseNorm(x, this.size, { alpha: this.alpha, beta: this.beta, k: this.k });
  }

  override extraRepr(): string {
    return `${this.size}, alpha=${this.alpha}, beta=${this.beta}, k=${this.k}`;
  }
}

/** Options of {@link RMSNorm}. */
export interface RMSNormOptions {
  /** Added to the mean square; default (null) the input dtype's machine epsilon, as PyTorch. */
  eps?: number | null;
  /** Learn an elementwise scale `weight` (ones) of the normalized shape (default true). */
  elementwiseAffine?: boolean;
}

/**
 * Root-mean-square layer normalization over the trailing `normalizedShape` dims (PyTorch 2.4):
 * x / √(mean(x²) + eps) · weight, no centering and no bias.
 *
 * @example
 * new RMSNorm(512).call(x); // x: [..., 512]
 */
export class RMSNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number | null;
  weight: Parameter | null;

  constructor(normalizedShape: number | readonly number[], options: RMSNormOptions = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    this.eps = options.eps ?? null;
    this.weight = (options.elementwiseAffine ?? true) ? new Parameter(ones(this.normalizedShape)) : null;
  }

  override forward(x: Tensor): Tensor {
    return rmsNorm(x, this.normalizedShape, this.weight, this.eps);
  }

  override extraRepr(): string {
    return `[${this.normalizedShape.join(', ')}], eps=${this.eps}, elementwiseAffine=${this.weight !== null}`;
  }
}
