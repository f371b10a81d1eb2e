import { empty, type Tensor } from '@torchlet/tensor';
import { bilinear, linear } from '../functional/linear.js';
import { kaimingUniform_, uniform_ } from '../init.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';

/** Returns its input unchanged (a placeholder, e.g. for a removed head). */
export class Identity extends Module {
  override forward(x: Tensor): Tensor {
    return x;
  }
}

/** Options of layers that may omit their bias. */
export interface BiasOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
}

/**
 * Initializes a weight and bias as PyTorch's Linear and Conv layers do: kaiming_uniform_ with
 * a = √5 (U(−1/√fanIn, 1/√fanIn)) for the weight, U(−1/√fanIn, 1/√fanIn) for the bias.
 */
export function resetLinearParameters(weight: Tensor, bias: Tensor | null, fanIn: number): void {
  kaimingUniform_(weight, { a: Math.sqrt(5) });
  if (bias) {
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    uniform_(bias, -bound, bound);
  }
}

/**
 * y = x·Wᵀ + b on the last dim. Weight [outFeatures, inFeatures] and bias [outFeatures] start
 * from U(−1/√inFeatures, 1/√inFeatures), as in PyTorch.
 *
 * @example
 * const layer = new Linear(3, 2);
 * layer.call(randn([10, 3])).shape; // [10, 2]
 */
export class Linear extends Module {
  weight: Parameter;
  bias: Parameter | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: BiasOptions = {},
  ) {
    super();
    this.weight = new Parameter(empty([outFeatures, inFeatures]));
    this.bias = options.bias === false ? null : new Parameter(empty([outFeatures]));
    this.resetParameters();
  }

  /** Re-draws the weight and bias from their default distributions. */
  resetParameters(): void {
    resetLinearParameters(this.weight, this.bias, this.inFeatures);
  }

  override forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}

/** y = x1ᵀ·A·x2 + b, with weight [out, in1, in2] and bias from U(−1/√in1, 1/√in1). */
export class Bilinear extends Module {
  weight: Parameter;
  bias: Parameter | null;

  constructor(
    readonly in1Features: number,
    readonly in2Features: number,
    readonly outFeatures: number,
    options: BiasOptions = {},
  ) {
    super();
    this.weight = new Parameter(empty([outFeatures, in1Features, in2Features]));
    this.bias = options.bias === false ? null : new Parameter(empty([outFeatures]));
    this.resetParameters();
  }

  resetParameters(): void {
    const bound = 1 / Math.sqrt(this.in1Features);
    uniform_(this.weight, -bound, bound);
    if (this.bias) uniform_(this.bias, -bound, bound);
  }

  override forward(x1: Tensor, x2: Tensor): Tensor {
    return bilinear(x1, x2, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in1Features=${this.in1Features}, in2Features=${this.in2Features}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}
