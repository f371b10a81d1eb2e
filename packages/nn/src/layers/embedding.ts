import {
  empty,
  fmtShape,
  noGrad,
  ShapeError,
  type Tensor,
  TorchletError,
  tensor,
  where,
} from '@torchlet/tensor';
import { type EmbeddingBagMode, embedding, embeddingBag } from '../functional/embedding.js';
import { normal_ } from '../init.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';

/** Options of {@link Embedding}. */
export interface EmbeddingOptions {
  /** This row is kept at zero initially and receives no gradient (e.g. padding tokens). */
  paddingIdx?: number | null;
}

/**
 * A lookup table of `numEmbeddings` vectors of size `embeddingDim`, initialized from N(0, 1).
 *
 * @example
 * const emb = new Embedding(10, 3, { paddingIdx: 0 });
 * emb.call(tensor([[1, 2], [0, 9]], { dtype: 'int32' })).shape; // [2, 2, 3]
 */
export class Embedding extends Module {
  weight: Parameter;
  readonly paddingIdx: number | null;

  constructor(
    readonly numEmbeddings: number,
    readonly embeddingDim: number,
    options: EmbeddingOptions = {},
  ) {
    super();
    this.paddingIdx = normalizePadding(options.paddingIdx ?? null, numEmbeddings);
    this.weight = new Parameter(empty([numEmbeddings, embeddingDim]));
    this.resetParameters();
  }

  /** PyTorch's default: N(0, 1), the padding row zero. */
  resetParameters(): void {
    resetEmbedding(this.weight, this.paddingIdx);
  }

  /**
   * An Embedding whose weight is `embeddings` (copied), frozen unless `freeze` is false.
   */
  static fromPretrained(
    embeddings: Tensor,
    options: EmbeddingOptions & { freeze?: boolean } = {},
  ): Embedding {
    if (embeddings.ndim !== 2) {
      throw new ShapeError(
        `Embedding.fromPretrained: expected a 2-D tensor, got shape ${fmtShape(embeddings.shape)}`,
      );
    }
    const [n, d] = embeddings.shape as [number, number];
    const emb = new Embedding(n, d, { paddingIdx: options.paddingIdx ?? null });
    emb.weight = new Parameter(embeddings.detach().clone(), !(options.freeze ?? true));
    return emb;
  }

  override forward(input: Tensor): Tensor {
    return embedding(input, this.weight, { paddingIdx: this.paddingIdx });
  }

  override extraRepr(): string {
    const pad = this.paddingIdx !== null ? `, paddingIdx=${this.paddingIdx}` : '';
    return `${this.numEmbeddings}, ${this.embeddingDim}${pad}`;
  }
}

function normalizePadding(idx: number | null, n: number): number | null {
  if (idx === null) return null;
  if (!Number.isInteger(idx) || idx < -n || idx >= n) {
    throw new TorchletError(`Embedding: paddingIdx ${idx} must be within [${-n}, ${n - 1}]`);
  }
  return idx < 0 ? idx + n : idx;
}

function resetEmbedding(weight: Parameter, paddingIdx: number | null): void {
  normal_(weight);
  if (paddingIdx === null) return;
  const mask = rowMask(weight.shape[0]!, paddingIdx);
  noGrad(() => weight.copy_(where(mask, weight, 0)));
}

/** [n, 1] bool column, false only at `row`. */
function rowMask(n: number, row: number): Tensor {
  const m = new Uint8Array(n).fill(1);
  m[row] = 0;
  return tensor(m, { shape: [n, 1], dtype: 'bool' });
}

/** Options of {@link EmbeddingBag}. */
export interface EmbeddingBagLayerOptions {
  /** 'mean' (default), 'sum' or 'max'. */
  mode?: EmbeddingBagMode;
  /** This row starts at zero and its indices take no part in any bag. */
  paddingIdx?: number | null;
  /** Offsets passed to `call` end with the end of the last bag. */
  includeLastOffset?: boolean;
}

/**
 * Sums, averages or maxes bags of embeddings: `call(input, offsets?, perSampleWeights?)` with 2-D
 * input (a bag per row) or 1-D input split at `offsets`; weight N(0, 1) as PyTorch.
 *
 * @example
 * const bag = new EmbeddingBag(10, 3, { mode: 'sum' });
 * bag.call(tensor([1, 2, 4, 4, 3], { dtype: 'int32' }), tensor([0, 3], { dtype: 'int32' })).shape; // [2, 3]
 */
export class EmbeddingBag extends Module {
  weight: Parameter;
  readonly mode: EmbeddingBagMode;
  readonly paddingIdx: number | null;
  readonly includeLastOffset: boolean;

  constructor(
    readonly numEmbeddings: number,
    readonly embeddingDim: number,
    options: EmbeddingBagLayerOptions = {},
  ) {
    super();
    this.mode = options.mode ?? 'mean';
    this.paddingIdx = normalizePadding(options.paddingIdx ?? null, numEmbeddings);
    this.includeLastOffset = options.includeLastOffset ?? false;
    this.weight = new Parameter(empty([numEmbeddings, embeddingDim]));
    this.resetParameters();
  }

  /** PyTorch's default: N(0, 1), the padding row zero. */
  resetParameters(): void {
    resetEmbedding(this.weight, this.paddingIdx);
  }

  override forward(input: Tensor, offsets?: Tensor | null, perSampleWeights?: Tensor | null): Tensor {
    return embeddingBag(input, this.weight, {
      offsets: offsets ?? null,
      perSampleWeights: perSampleWeights ?? null,
      mode: this.mode,
      paddingIdx: this.paddingIdx,
      includeLastOffset: this.includeLastOffset,
    });
  }

  override extraRepr(): string {
    const pad = this.paddingIdx !== null ? `, paddingIdx=${this.paddingIdx}` : '';
    return `${this.numEmbeddings}, ${this.embeddingDim}, mode='${this.mode}'${pad}`;
  }
}
