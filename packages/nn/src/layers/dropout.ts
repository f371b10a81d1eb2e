import { type Tensor, TorchletError } from '@torchlet/tensor';
import {
  alphaDropout,
  dropout,
  dropout1d,
  dropout2d,
  dropout3d,
  featureAlphaDropout,
} from '../functional/dropout.js';
import { Module } from '../module.js';

abstract class DropoutBase extends Module {
  constructor(readonly p = 0.5) {
    super();
    if (!(p >= 0 && p <= 1))
      throw new TorchletError(`${this.className}: dropout probability has to be between 0 and 1, got ${p}`);
  }

  override extraRepr(): string {
    return `p=${this.p}`;
  }
}

/**
 * In training, zeroes each element with probability `p` and scales the rest by 1/(1−p)
 * (inverted dropout); in eval mode it is the identity.
 *
 * @example
 * new Dropout(0.75).call(ones([8])); // each entry 0 or 4
 */
export class Dropout extends DropoutBase {
  override forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.training);
  }
}

/**
 * Zeroes whole channels of [N, C, H, W] inputs with probability `p`. A 3-D input counts as
 * [N, C, L], as in PyTorch (use Dropout1d for that).
 */
export class Dropout2d extends DropoutBase {
  override forward(x: Tensor): Tensor {
    return dropout2d(x, this.p, this.training);
  }
}

/** Zeroes whole channels of [N, C, L] (or [C, L]) inputs with probability `p`. */
export class Dropout1d extends DropoutBase {
  override forward(x: Tensor): Tensor {
    return dropout1d(x, this.p, this.training);
  }
}

/** Zeroes whole channels of [N, C, D, H, W] (or [C, D, H, W]) inputs with probability `p`. */
export class Dropout3d extends DropoutBase {
  override forward(x: Tensor): Tensor {
    return dropout3d(x, this.p, this.training);
  }
}

/**
 * Dropout for SELU networks: dropped entries take SELU's saturation value and an affine map keeps
 * zero mean and unit variance; the identity in eval mode.
 */
export class AlphaDropout extends DropoutBase {
  override forward(x: Tensor): Tensor {
    return alphaDropout(x, this.p, this.training);
  }
}

/** Alpha dropout of whole channels of [N, C, *] inputs. */
export class FeatureAlphaDropout extends DropoutBase {
  override forward(x: Tensor): Tensor {
    return featureAlphaDropout(x, this.p, this.training);
  }
}
