import { empty, fmtShape, ShapeError, type Tensor, tensor } from '@torchlet/tensor';
import { dropout } from '../functional/dropout.js';
import { normal_ } from '../init.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';

/** Options of the positional encodings. */
export interface PositionalEncodingOptions {
  /** Longest sequence supported (default 5000). */
  maxLen?: number;
  /** Dropout on the sum (default 0.1, as the PyTorch tutorial). */
  dropout?: number;
  /** Inputs are [N, L, E] instead of [L, N, E]. */
  batchFirst?: boolean;
}

/**
 * The [maxLen, dModel] table of "Attention Is All You Need": PE[p, 2i] = sin(p / 10000^(2i/d)),
 * PE[p, 2i+1] = cos(p / 10000^(2i/d)).
 */
export function sinusoidalTable(maxLen: number, dModel: number): Tensor {
  const data = new Array<number>(maxLen * dModel);
  for (let p = 0; p < maxLen; p++) {
    for (let i = 0; i < dModel; i++) {
      const angle = p * Math.exp(-(i - (i % 2)) * (Math.log(10000) / dModel));
      data[p * dModel + i] = i % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return tensor(data, { shape: [maxLen, dModel] });
}

/** Adds rows of a [maxLen, E] table to [L, N, E] or [N, L, E] inputs, checking the length. */
abstract class PositionalEncodingBase extends Module {
  readonly maxLen: number;
  readonly dropout: number;
  readonly batchFirst: boolean;

  constructor(
    readonly dModel: number,
    options: PositionalEncodingOptions,
  ) {
    super();
    this.maxLen = options.maxLen ?? 5000;
    this.dropout = options.dropout ?? 0.1;
    this.batchFirst = options.batchFirst ?? false;
  }

  protected abstract table(): Tensor;

  override forward(x: Tensor): Tensor {
    const lenDim = this.batchFirst ? 1 : 0;
    const len = x.shape[lenDim]!;
    if (x.ndim !== 3 || x.shape[2] !== this.dModel || len > this.maxLen) {
      throw new ShapeError(
        `${this.className}: expected ${this.batchFirst ? '[N, L' : '[L, N'}, ${this.dModel}] with L ≤ ${this.maxLen}, got ${fmtShape(x.shape)}`,
      );
    }
    const rows = this.table()
      .narrow(0, 0, len)
      .unsqueeze(this.batchFirst ? 0 : 1);
    return dropout(x.add(rows.to(x.dtype)), this.dropout, this.training);
  }

  override extraRepr(): string {
    return `${this.dModel}, maxLen=${this.maxLen}, dropout=${this.dropout}, batchFirst=${this.batchFirst}`;
  }
}

/**
 * Adds the fixed sinusoidal encoding, then dropout, as the `PositionalEncoding` of PyTorch's
 * Transformer tutorial. The table is a non-persistent buffer (it is recomputed, not saved).
 *
 * @example
 * const pe = new SinusoidalPositionalEncoding(32, { dropout: 0 });
 * pe.call(embeddings); // [L, N, 32]
 */
export class SinusoidalPositionalEncoding extends PositionalEncodingBase {
  declare pe: Tensor;

  constructor(dModel: number, options: PositionalEncodingOptions = {}) {
    super(dModel, options);
    this.registerBuffer('pe', sinusoidalTable(this.maxLen, dModel), { persistent: false });
  }

  protected table(): Tensor {
    return this.pe;
  }
}

/**
 * Adds a learned [maxLen, dModel] table (`weight`, drawn from N(0, 1) as `nn.Embedding` draws
 * its rows, so positions weigh as much as token embeddings), then dropout.
 */
export class LearnedPositionalEncoding extends PositionalEncodingBase {
  declare weight: Parameter;

  constructor(dModel: number, options: PositionalEncodingOptions = {}) {
    super(dModel, options);
    this.registerParameter('weight', new Parameter(empty([this.maxLen, dModel])));
    this.resetParameters();
  }

  resetParameters(): void {
    normal_(this.weight);
  }

  protected table(): Tensor {
    return this.weight;
  }
}
