import { type DType, type Tensor, TorchletError } from '@torchlet/tensor';
import { ModuleList } from '../containers.js';
import { causalMask } from '../functional/attention.js';
import { xavierUniform_ } from '../init.js';
import { Module } from '../module.js';
import { MultiheadAttention } from './attention.js';
import { Dropout } from './dropout.js';
import { Linear } from './linear.js';
import { LayerNorm } from './normalization.js';

/** The feed-forward activation: a name PyTorch accepts or a function. */
export type TransformerActivation = 'relu' | 'gelu' | ((x: Tensor) => Tensor);

/** Options of the Transformer layers (PyTorch's defaults). */
export interface TransformerLayerOptions {
  /** Hidden size of the feed-forward block (default 2048). */
  dimFeedforward?: number;
  /** Dropout after attention, inside and after the feed-forward block (default 0.1). */
  dropout?: number;
  activation?: TransformerActivation;
  layerNormEps?: number;
  /** Inputs and outputs are [N, L, E] instead of [L, N, E]. */
  batchFirst?: boolean;
  /** Pre-norm: normalize before each block instead of after the residual sum (default false). */
  normFirst?: boolean;
}

/** Masks of an encoder layer or encoder; float masks are added to the scores, bool `true` blocks. */
export interface EncoderMasks {
  /** [S, S] or [N·H, S, S] attention mask (`mask` on TransformerEncoder, as in PyTorch). */
  srcMask?: Tensor | null;
  /** [N, S]: true (or −∞) marks padding. */
  srcKeyPaddingMask?: Tensor | null;
}

/** Masks of a decoder layer or decoder. */
export interface DecoderMasks {
  /** [T, T] self-attention mask, usually {@link causalMask}. */
  tgtMask?: Tensor | null;
  /** [T, S] mask on the memory. */
  memoryMask?: Tensor | null;
  tgtKeyPaddingMask?: Tensor | null;
  memoryKeyPaddingMask?: Tensor | null;
}

function activationFn(activation: TransformerActivation): (x: Tensor) => Tensor {
  if (typeof activation === 'function') return activation;
  if (activation === 'relu') return (x) => x.relu();
  if (activation === 'gelu') return (x) => x.gelu();
  throw new TorchletError(`Transformer: activation should be 'relu' or 'gelu', not '${String(activation)}'`);
}

/** The parts both layer kinds share: the feed-forward block, its dropouts and the settings. */
abstract class TransformerLayerBase extends Module {
  declare linear1: Linear;
  declare dropout: Dropout;
  declare linear2: Linear;
  declare norm1: LayerNorm;
  declare norm2: LayerNorm;
  declare dropout1: Dropout;
  declare dropout2: Dropout;
  readonly normFirst: boolean;
  readonly batchFirst: boolean;
  protected readonly act: (x: Tensor) => Tensor;

  constructor(
    readonly dModel: number,
    readonly nhead: number,
    readonly options: TransformerLayerOptions,
  ) {
    super();
    this.normFirst = options.normFirst ?? false;
    this.batchFirst = options.batchFirst ?? false;
    this.act = activationFn(options.activation ?? 'relu');
  }

  protected attention(): MultiheadAttention {
    return new MultiheadAttention(this.dModel, this.nhead, {
      dropout: this.options.dropout ?? 0.1,
      batchFirst: this.batchFirst,
    });
  }

  /** Registers linear1, dropout, linear2 (PyTorch's names and order). */
  protected addFeedForward(): void {
    const ff = this.options.dimFeedforward ?? 2048;
    this.registerModule('linear1', new Linear(this.dModel, ff));
    this.registerModule('dropout', new Dropout(this.options.dropout ?? 0.1));
    this.registerModule('linear2', new Linear(ff, this.dModel));
  }

  /** Registers norm1…normK and dropout1…dropoutK. */
  protected addNormsAndDropouts(count: number): void {
    for (let i = 1; i <= count; i++) {
      this.registerModule(`norm${i}`, new LayerNorm(this.dModel, { eps: this.options.layerNormEps ?? 1e-5 }));
    }
    for (let i = 1; i <= count; i++)
      this.registerModule(`dropout${i}`, new Dropout(this.options.dropout ?? 0.1));
  }

  protected feedForward(x: Tensor, out: Dropout): Tensor {
    return out.call(this.linear2.call(this.dropout.call(this.act(this.linear1.call(x)))));
  }

  /** Applies `block` as a residual branch, pre-norm or post-norm. */
  protected residual(x: Tensor, norm: LayerNorm, block: (y: Tensor) => Tensor): Tensor {
    return this.normFirst ? x.add(block(norm.call(x))) : norm.call(x.add(block(x)));
  }

  /** A fresh layer of the same configuration and dtype holding a copy of this one's weights. */
  clone(): this {
    const Ctor = this.constructor as new (d: number, h: number, o: TransformerLayerOptions) => this;
    const copy = new Ctor(this.dModel, this.nhead, this.options);
    const dtype: DType | undefined = this.parameters()[0]?.dtype;
    if (dtype) copy.to(dtype);
    copy.loadStateDict(this.stateDict());
    return copy.train(this.training);
  }
}

/**
 * Self-attention and a feed-forward block, each a residual branch with dropout and LayerNorm, as
 * `torch.nn.TransformerEncoderLayer` (submodules `self_attn`, `linear1`, `linear2`, `norm1`, `norm2`, …).
 *
 * @example
 * const layer = new TransformerEncoderLayer(32, 4, { dimFeedforward: 64, batchFirst: true });
 * layer.call(randn([2, 10, 32])).shape; // [2, 10, 32]
 */
export class TransformerEncoderLayer extends TransformerLayerBase {
  declare self_attn: MultiheadAttention;

  constructor(dModel: number, nhead: number, options: TransformerLayerOptions = {}) {
    super(dModel, nhead, options);
    this.registerModule('self_attn', this.attention());
    this.addFeedForward();
    this.addNormsAndDropouts(2);
  }

  override forward(src: Tensor, masks: EncoderMasks = {}): Tensor {
    let x = this.residual(src, this.norm1, (y) => {
      const [a] = this.self_attn.call(y, y, y, {
        attnMask: masks.srcMask,
        keyPaddingMask: masks.srcKeyPaddingMask,
        needWeights: false,
      });
      return this.dropout1.call(a);
    });
    x = this.residual(x, this.norm2, (y) => this.feedForward(y, this.dropout2));
    return x;
  }
}

/**
 * Masked self-attention, attention over the encoder's memory and a feed-forward block, as
 * `torch.nn.TransformerDecoderLayer` (submodules `self_attn`, `multihead_attn`, `linear1`, …, `norm3`).
 */
export class TransformerDecoderLayer extends TransformerLayerBase {
  declare self_attn: MultiheadAttention;
  declare multihead_attn: MultiheadAttention;
  declare norm3: LayerNorm;
  declare dropout3: Dropout;

  constructor(dModel: number, nhead: number, options: TransformerLayerOptions = {}) {
    super(dModel, nhead, options);
    this.registerModule('self_attn', this.attention());
    this.registerModule('multihead_attn', this.attention());
    this.addFeedForward();
    this.addNormsAndDropouts(3);
  }

  override forward(tgt: Tensor, memory: Tensor, masks: DecoderMasks = {}): Tensor {
    let x = this.residual(tgt, this.norm1, (y) => {
      const [a] = this.self_attn.call(y, y, y, {
        attnMask: masks.tgtMask,
        keyPaddingMask: masks.tgtKeyPaddingMask,
        needWeights: false,
      });
      return this.dropout1.call(a);
    });
    x = this.residual(x, this.norm2, (y) => {
      const [a] = this.multihead_attn.call(y, memory, memory, {
        attnMask: masks.memoryMask,
        keyPaddingMask: masks.memoryKeyPaddingMask,
        needWeights: false,
      });
      return this.dropout2.call(a);
    });
    return this.residual(x, this.norm3, (y) => this.feedForward(y, this.dropout3));
  }
}

/** `numLayers` copies of a layer (PyTorch deep-copies it, so all start with the same weights). */
function copies<T extends TransformerLayerBase>(layer: T, numLayers: number): ModuleList {
  if (!Number.isInteger(numLayers) || numLayers < 1) {
    throw new TorchletError(`Transformer: numLayers must be a positive integer, got ${numLayers}`);
  }
  return new ModuleList(Array.from({ length: numLayers }, () => layer.clone()));
}

/**
 * A stack of encoder layers (`layers.0`, `layers.1`, …), each a copy of `encoderLayer`, with an
 * optional final `norm`, as `torch.nn.TransformerEncoder`.
 *
 * @example
 * const encoder = new TransformerEncoder(new TransformerEncoderLayer(32, 4), 2);
 * encoder.call(src, { mask: F.causalMask(src.shape[0]) });
 */
export class TransformerEncoder extends Module {
  declare layers: ModuleList;
  declare norm: Module | null;

  constructor(
    encoderLayer: TransformerEncoderLayer,
    numLayers: number,
    options: { norm?: Module | null } = {},
  ) {
    super();
    this.registerModule('layers', copies(encoderLayer, numLayers));
    this.registerModule('norm', options.norm ?? null);
  }

  override forward(
    src: Tensor,
    options: { mask?: Tensor | null; srcKeyPaddingMask?: Tensor | null } = {},
  ): Tensor {
    let x = src;
    for (const layer of this.layers) {
      x = (layer as TransformerEncoderLayer).call(x, {
        srcMask: options.mask,
        srcKeyPaddingMask: options.srcKeyPaddingMask,
      });
    }
    return this.norm ? (this.norm.call(x) as Tensor) : x;
  }
}

/** A stack of decoder layers with an optional final `norm`, as `torch.nn.TransformerDecoder`. */
export class TransformerDecoder extends Module {
  declare layers: ModuleList;
  declare norm: Module | null;

  constructor(
    decoderLayer: TransformerDecoderLayer,
    numLayers: number,
    options: { norm?: Module | null } = {},
  ) {
    super();
    this.registerModule('layers', copies(decoderLayer, numLayers));
    this.registerModule('norm', options.norm ?? null);
  }

  override forward(tgt: Tensor, memory: Tensor, masks: DecoderMasks = {}): Tensor {
    let x = tgt;
    for (const layer of this.layers) x = (layer as TransformerDecoderLayer).call(x, memory, masks);
    return this.norm ? (this.norm.call(x) as Tensor) : x;
  }
}

/** Options of {@link Transformer} (PyTorch's defaults: 512, 8 heads, 6 + 6 layers). */
export interface TransformerOptions extends TransformerLayerOptions {
  dModel?: number;
  nhead?: number;
  numEncoderLayers?: number;
  numDecoderLayers?: number;
}

/**
 * The encoder-decoder Transformer of "Attention Is All You Need", as `torch.nn.Transformer`:
 * `encoder` and `decoder` stacks, each ending in a LayerNorm, with every weight matrix drawn by
 * xavier_uniform_. Post-norm by default, pre-norm with `normFirst`.
 *
 * @example
 * const model = new Transformer({ dModel: 32, nhead: 4, numEncoderLayers: 2, numDecoderLayers: 2, batchFirst: true });
 * const out = model.call(src, tgt, { tgtMask: Transformer.generateSquareSubsequentMask(tgt.shape[1]) });
 */
export class Transformer extends Module {
  declare encoder: TransformerEncoder;
  declare decoder: TransformerDecoder;
  readonly dModel: number;
  readonly nhead: number;
  readonly batchFirst: boolean;

  constructor(options: TransformerOptions = {}) {
    super();
    const { dModel = 512, nhead = 8, numEncoderLayers = 6, numDecoderLayers = 6, ...layerOptions } = options;
    this.dModel = dModel;
    this.nhead = nhead;
    this.batchFirst = layerOptions.batchFirst ?? false;
    const eps = layerOptions.layerNormEps ?? 1e-5;
    this.registerModule(
      'encoder',
      new TransformerEncoder(new TransformerEncoderLayer(dModel, nhead, layerOptions), numEncoderLayers, {
        norm: new LayerNorm(dModel, { eps }),
      }),
    );
    this.registerModule(
      'decoder',
      new TransformerDecoder(new TransformerDecoderLayer(dModel, nhead, layerOptions), numDecoderLayers, {
        norm: new LayerNorm(dModel, { eps }),
      }),
    );
    for (const p of this.parameters()) if (p.ndim > 1) xavierUniform_(p);
  }

  /** The causal mask for a target of length `size` (see {@link causalMask}). */
  static generateSquareSubsequentMask(size: number, options: { dtype?: DType } = {}): Tensor {
    return causalMask(size, options);
  }

  override forward(src: Tensor, tgt: Tensor, masks: EncoderMasks & DecoderMasks = {}): Tensor {
    const memory = this.encoder.call(src, {
      mask: masks.srcMask,
      srcKeyPaddingMask: masks.srcKeyPaddingMask,
    });
    return this.decoder.call(tgt, memory, masks);
  }
}
