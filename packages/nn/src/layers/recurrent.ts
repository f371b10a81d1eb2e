import {
  cat,
  empty,
  fmtShape,
  ShapeError,
  stack,
  type Tensor,
  TorchletError,
  tensor,
  where,
  zeros,
} from '@torchlet/tensor';
import { dropout } from '../functional/dropout.js';
import { linear } from '../functional/linear.js';
import { Module } from '../module.js';
import { PackedSequence, packPaddedSequence, unpackForRecurrence } from '../packed-sequence.js';
import { Parameter } from '../parameter.js';
import {
  foldsHiddenBias,
  GATE_COUNT,
  type RecurrentMode,
  recurrentStep,
  resetRecurrentParameters,
  splitViews,
} from './rnn-cells.js';

/** Options of RNN, LSTM and GRU. */
export interface RecurrentOptions {
  /** Stacked layers, each reading the previous one's outputs (default 1). */
  numLayers?: number;
  /** Learn bias_ih and bias_hh (default true). */
  bias?: boolean;
  /** Inputs and outputs are [N, L, features] instead of [L, N, features]. States stay [layers·D, N, H]. */
  batchFirst?: boolean;
  /** Dropout on the outputs of every layer but the last, in training (default 0). */
  dropout?: number;
  /** Run a second pass from the end and concatenate both directions' outputs. */
  bidirectional?: boolean;
}

/** LSTM's extra option. */
export interface LSTMOptions extends RecurrentOptions {
  /**
   * Project each hidden state to this size with `weight_hr_l{k}` (h = W_hr·(o ⊙ tanh c)), as
   * `proj_size` in PyTorch: outputs and h are [.., projSize], c stays [.., hiddenSize]. 0 = none.
   */
  projSize?: number;
}

/** The weights of one layer and direction, in PyTorch's `all_weights` order. */
interface LayerWeights {
  weightIh: Parameter;
  weightHh: Parameter;
  biasIh: Parameter | null;
  biasHh: Parameter | null;
  weightHr: Parameter | null;
}

/**
 * The multi-layer recurrence shared by RNN, LSTM and GRU. Parameters are registered under
 * PyTorch's names (`weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0`, `…_reverse`), in
 * PyTorch's order, so state dicts travel unchanged.
 */
abstract class RecurrentBase extends Module {
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  /** LSTM projection size (0: none). */
  readonly projSize: number;

  constructor(
    protected readonly mode: RecurrentMode,
    readonly inputSize: number,
    readonly hiddenSize: number,
    options: LSTMOptions,
  ) {
    super();
    this.numLayers = options.numLayers ?? 1;
    this.bias = options.bias ?? true;
    this.batchFirst = options.batchFirst ?? false;
    this.dropout = options.dropout ?? 0;
    this.bidirectional = options.bidirectional ?? false;
    this.projSize = options.projSize ?? 0;
    if (!Number.isInteger(this.numLayers) || this.numLayers < 1) {
      throw new TorchletError(
        `${this.className}: numLayers must be a positive integer, got ${this.numLayers}`,
      );
    }
    if (!(this.dropout >= 0 && this.dropout <= 1)) {
      throw new TorchletError(`${this.className}: dropout must be between 0 and 1, got ${this.dropout}`);
    }
    if (this.projSize !== 0 && mode !== 'lstm') {
      throw new TorchletError(`${this.className}: projSize is only supported by LSTM`);
    }
    if (
      !Number.isInteger(this.projSize) ||
      this.projSize < 0 ||
      (this.projSize > 0 && this.projSize >= hiddenSize)
    ) {
      throw new TorchletError(
        `${this.className}: projSize must be an integer in [0, hiddenSize), got ${this.projSize} (hiddenSize ${hiddenSize})`,
      );
    }
    const rows = GATE_COUNT[mode] * hiddenSize;
    const out = this.outputSize;
    for (let layer = 0; layer < this.numLayers; layer++) {
      const layerIn = layer === 0 ? inputSize : out * this.numDirections;
      for (let dir = 0; dir < this.numDirections; dir++) {
        const suffix = `l${layer}${dir === 1 ? '_reverse' : ''}`;
        this.registerParameter(`weight_ih_${suffix}`, new Parameter(empty([rows, layerIn])));
        this.registerParameter(`weight_hh_${suffix}`, new Parameter(empty([rows, out])));
        if (this.bias) {
          this.registerParameter(`bias_ih_${suffix}`, new Parameter(empty([rows])));
          this.registerParameter(`bias_hh_${suffix}`, new Parameter(empty([rows])));
        }
        if (this.projSize > 0) {
          this.registerParameter(`weight_hr_${suffix}`, new Parameter(empty([this.projSize, hiddenSize])));
        }
      }
    }
    this.resetParameters();
  }

  /** Features of each direction's output and of h: projSize when projecting, else hiddenSize. */
  get outputSize(): number {
    return this.projSize > 0 ? this.projSize : this.hiddenSize;
  }

  /** 2 when bidirectional, else 1. */
  get numDirections(): number {
    return this.bidirectional ? 2 : 1;
  }

  /** Re-draws every parameter from U(−1/√hidden, 1/√hidden). */
  resetParameters(): void {
    resetRecurrentParameters(this, this.hiddenSize);
  }

  private weights(layer: number, dir: number): LayerWeights {
    const suffix = `l${layer}${dir === 1 ? '_reverse' : ''}`;
    const own = this as unknown as Record<string, Parameter | undefined>;
    return {
      weightIh: own[`weight_ih_${suffix}`]!,
      weightHh: own[`weight_hh_${suffix}`]!,
      biasIh: own[`bias_ih_${suffix}`] ?? null,
      biasHh: own[`bias_hh_${suffix}`] ?? null,
      weightHr: own[`weight_hr_${suffix}`] ?? null,
    };
  }

  /**
   * Runs every layer over `input` ([L, N, in], [N, L, in] or unbatched [L, in]) from the initial
   * states (each [layers·D, N, H] or [layers·D, H]; zeros when omitted). Returns the last
   * layer's outputs in the input's layout and the final states in PyTorch's shapes.
   */
  protected run(
    input: Tensor | PackedSequence,
    initial: readonly (Tensor | undefined)[],
  ): { output: Tensor | PackedSequence; finals: Tensor[] } {
    if (input instanceof PackedSequence) {
      // Run the padded batch with each sequence's steps masked past its length, then pack again.
      const { padded, lengths } = unpackForRecurrence(input);
      const { output, finals } = this.runPadded(padded, initial, lengths);
      const enforceSorted = input.sortedIndices === null;
      return { output: packPaddedSequence(output as Tensor, lengths, { enforceSorted }), finals };
    }
    return this.runPadded(input, initial, null);
  }

  private runPadded(
    input: Tensor,
    initial: readonly (Tensor | undefined)[],
    lengths: number[] | null,
  ): { output: Tensor; finals: Tensor[] } {
    const op = this.className;
    if ((input.ndim !== 2 && input.ndim !== 3) || input.shape[input.ndim - 1] !== this.inputSize) {
      throw new ShapeError(
        `${op}: expected a 2-D (unbatched) or 3-D input with ${this.inputSize} features, got ${fmtShape(input.shape)}`,
      );
    }
    const batched = input.ndim === 3;
    // Time-major internally: [L, N, in] (a packed batch is unpacked time-major).
    let x = !batched ? input.unsqueeze(1) : this.batchFirst && !lengths ? input.transpose(0, 1) : input;
    // Per time step, which sequences are still running ([N, 1] bool), for packed input.
    const running = lengths
      ? Array.from({ length: x.shape[0]! }, (_, t) =>
          tensor(
            lengths.map((l) => t < l),
            { dtype: 'bool', device: x.device },
          ).unsqueeze(1),
        )
      : null;
    const n = x.shape[1]!;
    const layers = this.numLayers * this.numDirections;
    // h has the (projected) output size; LSTM's c keeps hiddenSize.
    const states = initial.map((s, k) => {
      const size = k === 0 ? this.outputSize : this.hiddenSize;
      const stateShape = [layers, ...(batched ? [n] : []), size];
      if (!s) return zeros([layers, n, size], { dtype: x.dtype });
      if (s.shape.join() !== stateShape.join()) {
        throw new ShapeError(
          `${op}: expected hidden state ${fmtShape(stateShape)}, got ${fmtShape(s.shape)}`,
        );
      }
      return batched ? s : s.unsqueeze(1);
    });
    const finals: Tensor[][] = initial.map(() => []);
    for (let layer = 0; layer < this.numLayers; layer++) {
      const outs: Tensor[] = [];
      for (let dir = 0; dir < this.numDirections; dir++) {
        const index = layer * this.numDirections + dir;
        const { output, state } = this.runDirection(
          x,
          this.weights(layer, dir),
          states.map((s) => s.select(0, index)),
          dir === 1,
          running,
        );
        outs.push(output);
        state.forEach((s, i) => {
          finals[i]!.push(s);
        });
      }
      x = outs.length === 1 ? outs[0]! : cat(outs, 2);
      if (layer < this.numLayers - 1 && this.dropout > 0) x = dropout(x, this.dropout, this.training);
    }
    const output = !batched ? x.squeeze(1) : this.batchFirst && !lengths ? x.transpose(0, 1) : x;
    return { output, finals: finals.map((f) => (batched ? stack(f, 0) : stack(f, 0).squeeze(1))) };
  }

  /**
   * One layer in one direction over time-major `x`; outputs stay in time order. With `running`,
   * a sequence's state is held once it has ended (the reverse pass thus starts at its last step).
   */
  private runDirection(
    x: Tensor,
    w: LayerWeights,
    initial: Tensor[],
    reverse: boolean,
    running: Tensor[] | null,
  ): { output: Tensor; state: Tensor[] } {
    const fold = foldsHiddenBias(this.mode);
    // The input projection of all time steps in one matmul; only h·W_hhᵀ is left in the loop.
    const inBias = fold && w.biasIh && w.biasHh ? w.biasIh.add(w.biasHh) : w.biasIh;
    const gi = linear(x, w.weightIh, inBias);
    const steps = splitViews(gi, gi.shape[0]!, 0).map((t) => t.squeeze(0));
    const hiddenBias = fold ? null : w.biasHh;
    const outs = new Array<Tensor>(steps.length);
    let state = initial;
    for (let k = 0; k < steps.length; k++) {
      const t = reverse ? steps.length - 1 - k : k;
      const next = recurrentStep(this.mode, steps[t]!, state, w.weightHh, hiddenBias, w.weightHr);
      const held = state;
      state = running ? next.map((s, i) => where(running[t]!, s, held[i]!)) : next;
      outs[t] = state[0]!;
    }
    return { output: stack(outs, 0), state };
  }

  override extraRepr(): string {
    const extras = [
      this.numLayers !== 1 && `numLayers=${this.numLayers}`,
      !this.bias && 'bias=false',
      this.batchFirst && 'batchFirst=true',
      this.dropout !== 0 && `dropout=${this.dropout}`,
      this.bidirectional && 'bidirectional=true',
      this.projSize > 0 && `projSize=${this.projSize}`,
    ].filter(Boolean);
    return [`${this.inputSize}`, `${this.hiddenSize}`, ...extras].join(', ');
  }
}

/**
 * A multi-layer Elman RNN (tanh or ReLU) as `torch.nn.RNN`. `call(input, h0?)` returns
 * `[output, hN]`: output [L, N, D·H] (batchFirst: [N, L, D·H]) from the last layer, hN
 * [layers·D, N, H].
 *
 * @example
 * const rnn = new RNN(10, 20, { numLayers: 2 });
 * const [output, hn] = rnn.call(randn([5, 3, 10])); // [5, 3, 20], [2, 3, 20]
 */
export class RNN extends RecurrentBase {
  readonly nonlinearity: 'tanh' | 'relu';

  constructor(
    inputSize: number,
    hiddenSize: number,
    options: RecurrentOptions & { nonlinearity?: 'tanh' | 'relu' } = {},
  ) {
    const nl = options.nonlinearity ?? 'tanh';
    if (nl !== 'tanh' && nl !== 'relu') {
      throw new TorchletError(`RNN: unknown nonlinearity '${String(nl)}' (expected 'tanh' or 'relu')`);
    }
    super(nl === 'tanh' ? 'rnnTanh' : 'rnnRelu', inputSize, hiddenSize, options);
    this.nonlinearity = nl;
  }

  override forward(input: PackedSequence, hx?: Tensor | null): [PackedSequence, Tensor];
  override forward(input: Tensor, hx?: Tensor | null): [Tensor, Tensor];
  override forward(input: Tensor | PackedSequence, hx?: Tensor | null): [Tensor | PackedSequence, Tensor] {
    const { output, finals } = this.run(input, [hx ?? undefined]);
    return [output, finals[0]!];
  }
}

/**
 * A multi-layer LSTM as `torch.nn.LSTM` (gate order input, forget, cell, output), with
 * PyTorch's optional projection (`projSize`). `call(input, [h0, c0]?)` returns
 * `[output, [hN, cN]]` in PyTorch's shapes.
 *
 * @example
 * const lstm = new LSTM(10, 20, { bidirectional: true, batchFirst: true });
 * const [output, [hn, cn]] = lstm.call(randn([3, 5, 10])); // [3, 5, 40], [2, 3, 20], [2, 3, 20]
 */
export class LSTM extends RecurrentBase {
  constructor(inputSize: number, hiddenSize: number, options: LSTMOptions = {}) {
    super('lstm', inputSize, hiddenSize, options);
  }

  override forward(
    input: PackedSequence,
    hx?: readonly [Tensor, Tensor] | null,
  ): [PackedSequence, [Tensor, Tensor]];
  override forward(input: Tensor, hx?: readonly [Tensor, Tensor] | null): [Tensor, [Tensor, Tensor]];
  override forward(
    input: Tensor | PackedSequence,
    hx?: readonly [Tensor, Tensor] | null,
  ): [Tensor | PackedSequence, [Tensor, Tensor]] {
    const { output, finals } = this.run(input, hx ? [hx[0], hx[1]] : [undefined, undefined]);
    return [output, [finals[0]!, finals[1]!]];
  }
}

/**
 * A multi-layer GRU as `torch.nn.GRU` (gate order reset, update, new). `call(input, h0?)`
 * returns `[output, hN]` in PyTorch's shapes.
 */
export class GRU extends RecurrentBase {
  constructor(inputSize: number, hiddenSize: number, options: RecurrentOptions = {}) {
    super('gru', inputSize, hiddenSize, options);
  }

  override forward(input: PackedSequence, hx?: Tensor | null): [PackedSequence, Tensor];
  override forward(input: Tensor, hx?: Tensor | null): [Tensor, Tensor];
  override forward(input: Tensor | PackedSequence, hx?: Tensor | null): [Tensor | PackedSequence, Tensor] {
    const { output, finals } = this.run(input, [hx ?? undefined]);
    return [output, finals[0]!];
  }
}
