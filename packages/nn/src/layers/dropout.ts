import { type Tensor, TorchletError } from '@torchlet/tensor';
import { dropout, dropout2d } from '../functional/dropout.js';
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

/** Zeroes whole channels of [N, C, H, W] (or [C, H, W]) inputs with probability `p`. */
export class Dropout2d extends DropoutBase {
  override forward(x: Tensor): Tensor {
    return dropout2d(x, this.p, this.training);
  }
}
