import { cat, empty, fmtShape, ShapeError, stack, type Tensor, TorchletError, zeros } from '@torchlet/tensor';
import { dropout } from '../functional/dropout.js';
import { linear } from '../functional/linear.js';
import { Module } from '../module.js';
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

/** The weights of one layer and direction, in PyTorch's `all_weights` order. */
interface LayerWeights {
  weightIh: Parameter;
  weightHh: Parameter;
  biasIh: Parameter | null;
  biasHh: Parameter | null;
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

  constructor(
    protected readonly mode: RecurrentMode,
    readonly inputSize: number,
    readonly hiddenSize: number,
    options: RecurrentOptions,
  ) {
    super();
    this.numLayers = options.numLayers ?? 1;
    this.bias = options.bias ?? true;
    this.batchFirst = options.batchFirst ?? false;
    this.dropout = options.dropout ?? 0;
    this.bidirectional = options.bidirectional ?? false;
    if (!Number.isInteger(this.numLayers) || this.numLayers < 1) {
      throw new TorchletError(
        `${this.className}: numLayers must be a positive integer, got ${this.numLayers}`,
      );
    }
    if (!(this.dropout >= 0 && this.dropout <= 1)) {
      throw new TorchletError(`${this.className}: dropout must be between 0 and 1, got ${this.dropout}`);
    }
    const rows = GATE_COUNT[mode] * hiddenSize;
    for (let layer = 0; layer < this.numLayers; layer++) {
      const layerIn = layer === 0 ? inputSize : hiddenSize * this.numDirections;
      for (let dir = 0; dir < this.numDirections; dir++) {
        const suffix = `l${layer}${dir === 1 ? '_reverse' : ''}`;
        this.registerParameter(`weight_ih_${suffix}`, new Parameter(empty([rows, layerIn])));
        this.registerParameter(`weight_hh_${suffix}`, new Parameter(empty([rows, hiddenSize])));
        if (this.bias) {
          this.registerParameter(`bias_ih_${suffix}`, new Parameter(empty([rows])));
          this.registerParameter(`bias_hh_${suffix}`, new Parameter(empty([rows])));
        }
      }
    }
    this.resetParameters();
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
    };
  }

  /**
   * Runs every layer over `input` ([L, N, in], [N, L, in] or unbatched [L, in]) from the initial
   * states (each [layers·D, N, H] or [layers·D, H]; zeros when omitted). Returns the last
   * layer's outputs in the input's layout and the final states in PyTorch's shapes.
   */
  protected run(
    input: Tensor,
    initial: readonly (Tensor | undefined)[],
  ): { output: Tensor; finals: Tensor[] } {
    const op = this.className;
    if ((input.ndim !== 2 && input.ndim !== 3) || input.shape[input.ndim - 1] !== this.inputSize) {
      throw new ShapeError(
        `${op}: expected a 2-D (unbatched) or 3-D input with ${this.inputSize} features, got ${fmtShape(input.shape)}`,
      );
    }
    const batched = input.ndim === 3;
    // Time-major internally: [L, N, in].
    let x = !batched ? input.unsqueeze(1) : this.batchFirst ? input.transpose(0, 1) : input;
    const n = x.shape[1]!;
    const stateShape = [this.numLayers * this.numDirections, ...(batched ? [n] : []), this.hiddenSize];
    const states = initial.map((s) => {
      if (!s) return zeros([stateShape[0]!, n, this.hiddenSize], { dtype: x.dtype });
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
        );
        outs.push(output);
        state.forEach((s, i) => {
          finals[i]!.push(s);
        });
      }
      x = outs.length === 1 ? outs[0]! : cat(outs, 2);
      if (layer < this.numLayers - 1 && this.dropout > 0) x = dropout(x, this.dropout, this.training);
    }
    const output = !batched ? x.squeeze(1) : this.batchFirst ? x.transpose(0, 1) : x;
    return { output, finals: finals.map((f) => (batched ? stack(f, 0) : stack(f, 0).squeeze(1))) };
  }

  /** One layer in one direction over time-major `x`; outputs stay in time order. */
  private runDirection(
    x: Tensor,
    w: LayerWeights,
    initial: Tensor[],
    reverse: boolean,
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
      state = recurrentStep(this.mode, steps[t]!, state, w.weightHh, hiddenBias);
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

  override forward(input: Tensor, hx?: Tensor | null): [Tensor, Tensor] {
    const { output, finals } = this.run(input, [hx ?? undefined]);
    return [output, finals[0]!];
  }
}

/**
 * A multi-layer LSTM as `torch.nn.LSTM` (gate order input, forget, cell, output).
 * `call(input, [h0, c0]?)` returns `[output, [hN, cN]]` in PyTorch's shapes.
 *
 * @example
 * const lstm = new LSTM(10, 20, { bidirectional: true, batchFirst: true });
 * const [output, [hn, cn]] = lstm.call(randn([3, 5, 10])); // [3, 5, 40], [2, 3, 20], [2, 3, 20]
 */
export class LSTM extends RecurrentBase {
  constructor(inputSize: number, hiddenSize: number, options: RecurrentOptions = {}) {
    super('lstm', inputSize, hiddenSize, options);
  }

  override forward(input: Tensor, hx?: readonly [Tensor, Tensor] | null): [Tensor, [Tensor, Tensor]] {
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

  override forward(input: Tensor, hx?: Tensor | null): [Tensor, Tensor] {
    const { output, finals } = this.run(input, [hx ?? undefined]);
    return [output, finals[0]!];
  }
}
