import { cat, empty, fmtShape, pad, ShapeError, type Tensor, TorchletError, zeros } from '@torchlet/tensor';
import { additiveMask, attentionWithWeights } from '../functional/attention.js';
import { linear } from '../functional/linear.js';
import { constant_, xavierNormal_, xavierUniform_ } from '../init.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { Linear } from './linear.js';

/** Options of {@link MultiheadAttention}. */
export interface MultiheadAttentionOptions {
  /** Dropout probability on the attention weights (default 0). */
  dropout?: number;
  /** Learn input and output projection biases (default true). */
  bias?: boolean;
  /** Feature size of the keys (default embedDim); a different size gives separate projection weights. */
  kdim?: number;
  /** Feature size of the values (default embedDim). */
  vdim?: number;
  /** Inputs and outputs are [N, L, E] instead of [L, N, E]. */
  batchFirst?: boolean;
  /** Learn a key and a value (`bias_k`, `bias_v`, [1, 1, E]) appended to every sequence's keys and values. */
  addBiasKv?: boolean;
  /** Append an all-zero key and value to every head after projection. */
  addZeroAttn?: boolean;
}

/** Options of {@link MultiheadAttention.forward}. */
export interface MultiheadAttentionCallOptions {
  /** [N, S]: bool (true = ignore that key) or float (added to the scores). */
  keyPaddingMask?: Tensor | null;
  /** Return the attention weights (default true). */
  needWeights?: boolean;
  /** [L, S] or [N·numHeads, L, S]: bool (true = not allowed) or float (added to the scores). */
  attnMask?: Tensor | null;
  /** Average the returned weights over heads ([N, L, S]) or keep them per head ([N, H, L, S]). Default true. */
  averageAttnWeights?: boolean;
}

/**
 * Multi-head attention as `torch.nn.MultiheadAttention`: project query, key and value, attend in
 * `numHeads` heads of size embedDim/numHeads, concatenate and project out. Parameters carry
 * PyTorch's names (`in_proj_weight`, `in_proj_bias`, `out_proj.weight`, or `q_proj_weight`… when
 * kdim/vdim differ from embedDim), so its state dicts load unchanged. Returns
 * `[output, weights]`, weights `null` unless `needWeights`.
 *
 * @example
 * const mha = new MultiheadAttention(16, 4, { batchFirst: true });
 * const [out, weights] = mha.call(x, x, x, { attnMask: F.causalMask(10) }); // [N,10,16], [N,10,10]
 */
export class MultiheadAttention extends Module {
  declare in_proj_weight: Parameter | null;
  declare q_proj_weight: Parameter | null;
  declare k_proj_weight: Parameter | null;
  declare v_proj_weight: Parameter | null;
  declare in_proj_bias: Parameter | null;
  declare bias_k: Parameter | null;
  declare bias_v: Parameter | null;
  declare out_proj: Linear;
  readonly kdim: number;
  readonly vdim: number;
  readonly headDim: number;
  readonly dropout: number;
  readonly batchFirst: boolean;
  readonly addZeroAttn: boolean;

  constructor(
    readonly embedDim: number,
    readonly numHeads: number,
    options: MultiheadAttentionOptions = {},
  ) {
    super();
    this.kdim = options.kdim ?? embedDim;
    this.vdim = options.vdim ?? embedDim;
    this.dropout = options.dropout ?? 0;
    this.batchFirst = options.batchFirst ?? false;
    this.addZeroAttn = options.addZeroAttn ?? false;
    this.headDim = Math.floor(embedDim / numHeads);
    if (this.headDim * numHeads !== embedDim) {
      throw new TorchletError(
        `MultiheadAttention: embedDim must be divisible by numHeads, got ${embedDim} and ${numHeads}`,
      );
    }
    // Registration order is PyTorch's, so parameters() lines up with torch's parameters().
    if (this.separateProjections) {
      this.registerParameter('q_proj_weight', new Parameter(empty([embedDim, embedDim])));
      this.registerParameter('k_proj_weight', new Parameter(empty([embedDim, this.kdim])));
      this.registerParameter('v_proj_weight', new Parameter(empty([embedDim, this.vdim])));
      this.registerParameter('in_proj_weight', null);
    } else {
      this.registerParameter('in_proj_weight', new Parameter(empty([3 * embedDim, embedDim])));
      this.registerParameter('q_proj_weight', null);
      this.registerParameter('k_proj_weight', null);
      this.registerParameter('v_proj_weight', null);
    }
    const bias = options.bias ?? true;
    this.registerParameter('in_proj_bias', bias ? new Parameter(empty([3 * embedDim])) : null);
    const biasKv = options.addBiasKv ?? false;
    this.registerParameter('bias_k', biasKv ? new Parameter(empty([1, 1, embedDim])) : null);
    this.registerParameter('bias_v', biasKv ? new Parameter(empty([1, 1, embedDim])) : null);
    this.registerModule('out_proj', new Linear(embedDim, embedDim, { bias }));
    this.resetParameters();
  }

  /** Whether keys or values have their own size, hence separate q/k/v projection weights. */
  get separateProjections(): boolean {
    return this.kdim !== this.embedDim || this.vdim !== this.embedDim;
  }

  /** xavier_uniform_ on the input projections, zero input and output biases (out_proj.weight keeps Linear's init). */
  resetParameters(): void {
    for (const w of [this.in_proj_weight, this.q_proj_weight, this.k_proj_weight, this.v_proj_weight]) {
      if (w) xavierUniform_(w);
    }
    if (this.in_proj_bias) constant_(this.in_proj_bias, 0);
    if (this.out_proj.bias) constant_(this.out_proj.bias, 0);
    if (this.bias_k) xavierNormal_(this.bias_k);
    if (this.bias_v) xavierNormal_(this.bias_v);
  }

  /** q, k, v projected to [N, L|S, E]. */
  private project(query: Tensor, key: Tensor, value: Tensor): [Tensor, Tensor, Tensor] {
    const e = this.embedDim;
    const [bq, bk, bv] = this.in_proj_bias ? this.in_proj_bias.chunk(3) : [null, null, null];
    if (this.in_proj_weight) {
      // Self-attention takes one matmul for all three, as PyTorch's packed projection does.
      if (query === key && key === value) {
        return linear(query, this.in_proj_weight, this.in_proj_bias).chunk(3, -1) as [Tensor, Tensor, Tensor];
      }
      const [wq, wk, wv] = this.in_proj_weight.split(e) as [Tensor, Tensor, Tensor];
      return [linear(query, wq, bq), linear(key, wk, bk), linear(value, wv, bv)];
    }
    return [
      linear(query, this.q_proj_weight!, bq),
      linear(key, this.k_proj_weight!, bk),
      linear(value, this.v_proj_weight!, bv),
    ];
  }

  private checkInputs(query: Tensor, key: Tensor, value: Tensor): void {
    const batched = query.ndim === 3;
    const fits = (t: Tensor, size: number) => t.ndim === query.ndim && t.shape[t.ndim - 1] === size;
    if (
      (query.ndim !== 2 && !batched) ||
      query.shape[query.ndim - 1] !== this.embedDim ||
      !fits(key, this.kdim) ||
      !fits(value, this.vdim) ||
      key.shape.slice(0, -1).join() !== value.shape.slice(0, -1).join()
    ) {
      throw new ShapeError(
        `MultiheadAttention: expected query [.., ${this.embedDim}], key [.., ${this.kdim}] and value [.., ${this.vdim}] (2-D unbatched or 3-D batched, key and value of one length), got ${fmtShape(query.shape)}, ${fmtShape(key.shape)} and ${fmtShape(value.shape)}`,
      );
    }
  }

  /** The attention mask and key padding mask merged into one additive mask broadcastable to [N, H, L, S]. */
  private mergedMask(
    n: number,
    l: number,
    s: number,
    dtype: Tensor['dtype'],
    options: MultiheadAttentionCallOptions,
  ): Tensor | null {
    const { attnMask, keyPaddingMask } = options;
    let mask: Tensor | null = null;
    if (attnMask) {
      const two = attnMask.ndim === 2 && attnMask.shape[0] === l && attnMask.shape[1] === s;
      const three = attnMask.ndim === 3 && attnMask.shape.join() === [n * this.numHeads, l, s].join();
      if (!two && !three) {
        throw new ShapeError(
          `MultiheadAttention: attnMask must be ${fmtShape([l, s])} or ${fmtShape([n * this.numHeads, l, s])}, got ${fmtShape(attnMask.shape)}`,
        );
      }
      mask = additiveMask('MultiheadAttention', attnMask, dtype);
      if (three) mask = mask.reshape([n, this.numHeads, l, s]);
    }
    if (keyPaddingMask) {
      if (keyPaddingMask.shape.join() !== [n, s].join()) {
        throw new ShapeError(
          `MultiheadAttention: keyPaddingMask must be ${fmtShape([n, s])}, got ${fmtShape(keyPaddingMask.shape)}`,
        );
      }
      const kpm = additiveMask('MultiheadAttention', keyPaddingMask, dtype).reshape([n, 1, 1, s]);
      mask = mask ? mask.add(kpm) : kpm;
    }
    return mask;
  }

  override forward(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    options: MultiheadAttentionCallOptions = {},
  ): [Tensor, Tensor | null] {
    this.checkInputs(query, key, value);
    const batched = query.ndim === 3;
    // Work batch-first internally: [N, L, E].
    const toInternal = (t: Tensor) => (!batched ? t.unsqueeze(0) : this.batchFirst ? t : t.transpose(0, 1));
    let kpm = options.keyPaddingMask ?? null;
    if (!batched && kpm) kpm = kpm.unsqueeze(0);
    const selfAttention = query === key && key === value;
    const q0 = toInternal(query);
    const k0 = selfAttention ? q0 : toInternal(key);
    const v0 = selfAttention ? q0 : toInternal(value);
    const [n, l] = q0.shape as [number, number];
    const s = k0.shape[1]!;
    let [q, k, v] = this.project(q0, k0, v0);
    const heads = (t: Tensor, len: number) =>
      t.reshape([n, len, this.numHeads, this.headDim]).transpose(1, 2);
    let mask = this.mergedMask(n, l, s, q.dtype, { ...options, keyPaddingMask: kpm });
    // Extra keys (learned bias_k/bias_v, then zeros) every query may attend to: the masks gain
    // an unmasked column for each, as in PyTorch.
    const extra = (this.bias_k ? 1 : 0) + (this.addZeroAttn ? 1 : 0);
    if (this.bias_k && this.bias_v) {
      k = cat([k, this.bias_k.expand([n, 1, this.embedDim])], 1);
      v = cat([v, this.bias_v.expand([n, 1, this.embedDim])], 1);
    }
    let kh = heads(k, k.shape[1]!);
    let vh = heads(v, v.shape[1]!);
    if (this.addZeroAttn) {
      const zero = zeros([n, this.numHeads, 1, this.headDim], { dtype: kh.dtype, device: kh.device });
      kh = cat([kh, zero], 2);
      vh = cat([vh, zero], 2);
    }
    if (mask && extra > 0) mask = pad(mask, [0, extra]);
    q = heads(q, l);
    const { output, weights } = attentionWithWeights(q, kh, vh, {
      attnMask: mask,
      dropoutP: this.dropout,
      training: this.training,
    });
    let out = this.out_proj.call(output.transpose(1, 2).reshape([n, l, this.embedDim]));
    out = !batched ? out.squeeze(0) : this.batchFirst ? out : out.transpose(0, 1);
    if (options.needWeights === false) return [out, null];
    let w = (options.averageAttnWeights ?? true) ? weights.mean(1) : weights;
    if (!batched) w = w.squeeze(0);
    return [out, w];
  }

  override extraRepr(): string {
    const extras = `${this.bias_k ? ', addBiasKv=true' : ''}${this.addZeroAttn ? ', addZeroAttn=true' : ''}`;
    return `embedDim=${this.embedDim}, numHeads=${this.numHeads}, dropout=${this.dropout}, batchFirst=${this.batchFirst}${extras}`;
  }
}
