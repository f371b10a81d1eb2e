import { fmtShape, full, ShapeError, type Tensor } from '@torchlet/tensor';
import * as A from './functional/activation.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

/** max(x, 0). */
export class ReLU extends Module {
  override forward(x: Tensor): Tensor {
    return A.relu(x);
  }
}

/** min(max(x, 0), 6). */
export class ReLU6 extends Module {
  override forward(x: Tensor): Tensor {
    return A.relu6(x);
  }
}

/** scale · ELU(x, α) with the self-normalizing constants. */
export class SELU extends Module {
  override forward(x: Tensor): Tensor {
    return A.selu(x);
  }
}

/** x · sigmoid(x) (swish). */
export class SiLU extends Module {
  override forward(x: Tensor): Tensor {
    return A.silu(x);
  }
}

/** x · tanh(softplus(x)). */
export class Mish extends Module {
  override forward(x: Tensor): Tensor {
    return A.mish(x);
  }
}

/** 1 / (1 + exp(−x)). */
export class Sigmoid extends Module {
  override forward(x: Tensor): Tensor {
    return A.sigmoid(x);
  }
}

/** log(sigmoid(x)). */
export class LogSigmoid extends Module {
  override forward(x: Tensor): Tensor {
    return A.logsigmoid(x);
  }
}

/** clamp(x/6 + 1/2, 0, 1). */
export class Hardsigmoid extends Module {
  override forward(x: Tensor): Tensor {
    return A.hardsigmoid(x);
  }
}

/** x · hardsigmoid(x). */
export class Hardswish extends Module {
  override forward(x: Tensor): Tensor {
    return A.hardswish(x);
  }
}

/** tanh(x). */
export class Tanh extends Module {
  override forward(x: Tensor): Tensor {
    return A.tanh(x);
  }
}

/** x / (1 + |x|). */
export class Softsign extends Module {
  override forward(x: Tensor): Tensor {
    return A.softsign(x);
  }
}

/** x for x > 0, else `negativeSlope · x`. */
export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return A.leakyRelu(x, this.negativeSlope);
  }
  override extraRepr(): string {
    return `negativeSlope=${this.negativeSlope}`;
  }
}

/**
 * Leaky ReLU whose negative slope is learned: one shared (default) or one per channel
 * (`numParameters` = C), initialized to `init` (0.25).
 */
export class PReLU extends Module {
  weight: Parameter;
  constructor(
    readonly numParameters = 1,
    init = 0.25,
  ) {
    super();
    this.weight = new Parameter(full([numParameters], init));
  }
  override forward(x: Tensor): Tensor {
    return A.prelu(x, this.weight);
  }
  override extraRepr(): string {
    return `numParameters=${this.numParameters}`;
  }
}

/** Leaky ReLU with a random slope from U(lower, upper) in training, their mean in eval. */
export class RReLU extends Module {
  constructor(
    readonly lower = 1 / 8,
    readonly upper = 1 / 3,
  ) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return A.rrelu(x, this.lower, this.upper, this.training);
  }
  override extraRepr(): string {
    return `lower=${this.lower}, upper=${this.upper}`;
  }
}

/** x for x > 0, else α·(exp(x) − 1). */
export class ELU extends Module {
  constructor(readonly alpha = 1) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return A.elu(x, this.alpha);
  }
  override extraRepr(): string {
    return `alpha=${this.alpha}`;
  }
}

/** x for x > 0, else α·(exp(x/α) − 1). */
export class CELU extends Module {
  constructor(readonly alpha = 1) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return A.celu(x, this.alpha);
  }
  override extraRepr(): string {
    return `alpha=${this.alpha}`;
  }
}

/** x·Φ(x), exact (`'none'`, default) or with the tanh approximation. */
export class GELU extends Module {
  constructor(readonly approximate: 'none' | 'tanh' = 'none') {
    super();
  }
  override forward(x: Tensor): Tensor {
    return A.gelu(x, this.approximate);
  }
  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/** clamp(x, minVal, maxVal). */
export class Hardtanh extends Module {
  constructor(
    readonly minVal = -1,
    readonly maxVal = 1,
  ) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return A.hardtanh(x, this.minVal, this.maxVal);
  }
  override extraRepr(): string {
    return `minVal=${this.minVal}, maxVal=${this.maxVal}`;
  }
}

/** log(1 + exp(β·x)) / β, linear where β·x > threshold. */
export class Softplus extends Module {
  constructor(
    readonly beta = 1,
    readonly threshold = 20,
  ) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return A.softplus(x, this.beta, this.threshold);
  }
  override extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }
}

/** A softmax-family activation along one dim (−1 by default). */
abstract class AlongDim extends Module {
  constructor(readonly dim = -1) {
    super();
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** exp(x) / Σ exp(x) along `dim`. */
export class Softmax extends AlongDim {
  override forward(x: Tensor): Tensor {
    return A.softmax(x, this.dim);
  }
}

/** log(softmax(x)) along `dim`. */
export class LogSoftmax extends AlongDim {
  override forward(x: Tensor): Tensor {
    return A.logSoftmax(x, this.dim);
  }
}

/** softmax(−x) along `dim`. */
export class Softmin extends AlongDim {
  override forward(x: Tensor): Tensor {
    return A.softmin(x, this.dim);
  }
}

/** x where x > threshold, else `value`. */
export class Threshold extends Module {
  constructor(
    readonly threshold: number,
    readonly value: number,
  ) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return A.threshold(x, this.threshold, this.value);
  }
  override extraRepr(): string {
    return `threshold=${this.threshold}, value=${this.value}`;
  }
}

/**
 * The perceptron's step unit: 1 where x > 0, 0 where x < 0, `valueAtZero` (0) at 0.
 *
 * @example
 * new Heaviside().call(tensor([-1, 0, 2])); // tensor([0., 0., 1.])
 */
export class Heaviside extends Module {
  constructor(readonly valueAtZero = 0) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return A.heaviside(x, this.valueAtZero);
  }
  override extraRepr(): string {
    return `valueAtZero=${this.valueAtZero}`;
  }
}

/** Gated linear unit: splits `dim` in halves a, b and returns a · sigmoid(b). */
export class GLU extends Module {
  constructor(readonly dim = -1) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return A.glu(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** Shrinks towards zero by λ: x − λ above λ, x + λ below −λ, 0 between. */
export class Softshrink extends Module {
  constructor(readonly lambd = 0.5) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return A.softshrink(x, this.lambd);
  }
  override extraRepr(): string {
    return `${this.lambd}`;
  }
}

/** Zeroes entries with |x| ≤ λ. */
export class Hardshrink extends Module {
  constructor(readonly lambd = 0.5) {
    super();
  }
  override forward(x: Tensor): Tensor {
    return A.hardshrink(x, this.lambd);
  }
  override extraRepr(): string {
    return `${this.lambd}`;
  }
}

/** x − tanh(x). */
export class Tanhshrink extends Module {
  override forward(x: Tensor): Tensor {
    return A.tanhshrink(x);
  }
}

/** Softmax over the channels of [N, C, H, W] or [C, H, W] inputs, at every location. */
export class Softmax2d extends Module {
  override forward(x: Tensor): Tensor {
    if (x.ndim !== 3 && x.ndim !== 4) {
      throw new ShapeError(`Softmax2d: expected a 3-D or 4-D input, got shape ${fmtShape(x.shape)}`);
    }
    return A.softmax(x, -3);
  }
}
