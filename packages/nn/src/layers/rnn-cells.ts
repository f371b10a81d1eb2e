import { defineFunction } from '@torchlet/autograd';
import { cat, empty, fmtShape, ShapeError, type Tensor, TorchletError, zeros } from '@torchlet/tensor';
import { linear } from '../functional/linear.js';
import { uniform_ } from '../init.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';

/** The recurrence of a layer: Elman RNN with tanh or ReLU, LSTM or GRU (PyTorch's gate orders). */
export type RecurrentMode = 'rnnTanh' | 'rnnRelu' | 'lstm' | 'gru';

/** Rows of weight_ih per hidden unit: LSTM gates i, f, g, o; GRU gates r, z, n. */
export const GATE_COUNT: Record<RecurrentMode, number> = { rnnTanh: 1, rnnRelu: 1, lstm: 4, gru: 3 };

/** Whether bias_hh can be added to the input projection up front (not for GRU, where r gates it). */
export const foldsHiddenBias = (mode: RecurrentMode): boolean => mode !== 'gru';

/**
 * `x.chunk(k, dim)` differentiated as one op whose gradient concatenates the pieces' gradients.
 * Separate slices would each scatter into a zero tensor of x's full size, which makes the backward
 * of a sequence loop quadratic in its length. Used for the gates and the time steps.
 */
export const splitViews = defineFunction({
  name: 'splitViews',
  forward: (ctx, x: Tensor, k: number, dim: number): Tensor[] => {
    ctx.dim = dim;
    return x.chunk(k, dim);
  },
  backward: (ctx, ...grads: Tensor[]) => [cat(grads, ctx.dim as number), null, null],
});

/**
 * One time step. `gi` is the input projection x·W_ihᵀ + b_ih (plus b_hh when it folds), `state`
 * is [h] or [h, c] for LSTM (h projected by `weightHr` when given); returns the new state. GRU follows PyTorch:
 * n = tanh(W_in·x + b_in + r ⊙ (W_hn·h + b_hn)), h' = (1 − z) ⊙ n + z ⊙ h.
 */
export function recurrentStep(
  mode: RecurrentMode,
  gi: Tensor,
  state: readonly Tensor[],
  weightHh: Tensor,
  biasHh: Tensor | null,
  weightHr: Tensor | null = null,
): Tensor[] {
  const h = state[0]!;
  const gh = linear(h, weightHh, biasHh);
  switch (mode) {
    case 'rnnTanh':
      return [gi.add(gh).tanh()];
    case 'rnnRelu':
      return [gi.add(gh).relu()];
    case 'lstm': {
      const [i, f, g, o] = splitViews(gi.add(gh), 4, -1) as [Tensor, Tensor, Tensor, Tensor];
      const c = f.sigmoid().mul(state[1]!).add(i.sigmoid().mul(g.tanh()));
      const h = o.sigmoid().mul(c.tanh());
      return [weightHr ? linear(h, weightHr) : h, c];
    }
    case 'gru': {
      const [ir, iz, inn] = splitViews(gi, 3, -1) as [Tensor, Tensor, Tensor];
      const [hr, hz, hn] = splitViews(gh, 3, -1) as [Tensor, Tensor, Tensor];
      const r = ir.add(hr).sigmoid();
      const z = iz.add(hz).sigmoid();
      const n = inn.add(r.mul(hn)).tanh();
      return [n.add(z.mul(h.sub(n)))];
    }
  }
}

/** Draws every parameter from U(−1/√hidden, 1/√hidden), PyTorch's default for recurrent layers. */
export function resetRecurrentParameters(module: Module, hiddenSize: number): void {
  const bound = hiddenSize > 0 ? 1 / Math.sqrt(hiddenSize) : 0;
  for (const p of module.parameters()) uniform_(p, -bound, bound);
}

/** Options of the cells. */
export interface RNNCellOptions {
  /** Learn bias_ih and bias_hh (default true). */
  bias?: boolean;
}

/** Shared by RNNCell, LSTMCell and GRUCell: PyTorch's `weight_ih`, `weight_hh`, `bias_ih`, `bias_hh`. */
abstract class RecurrentCell extends Module {
  declare weight_ih: Parameter;
  declare weight_hh: Parameter;
  declare bias_ih: Parameter | null;
  declare bias_hh: Parameter | null;

  constructor(
    readonly inputSize: number,
    readonly hiddenSize: number,
    protected readonly mode: RecurrentMode,
    options: RNNCellOptions,
  ) {
    super();
    const rows = GATE_COUNT[mode] * hiddenSize;
    const bias = options.bias ?? true;
    this.registerParameter('weight_ih', new Parameter(empty([rows, inputSize])));
    this.registerParameter('weight_hh', new Parameter(empty([rows, hiddenSize])));
    this.registerParameter('bias_ih', bias ? new Parameter(empty([rows])) : null);
    this.registerParameter('bias_hh', bias ? new Parameter(empty([rows])) : null);
    this.resetParameters();
  }

  /** Re-draws the parameters from U(−1/√hidden, 1/√hidden). */
  resetParameters(): void {
    resetRecurrentParameters(this, this.hiddenSize);
  }

  /** Runs one step on [N, in] (or unbatched [in]) with states [N, hidden] (zeros when omitted). */
  protected step(input: Tensor, state: readonly (Tensor | undefined)[]): Tensor[] {
    const op = this.className;
    if ((input.ndim !== 1 && input.ndim !== 2) || input.shape[input.ndim - 1] !== this.inputSize) {
      throw new ShapeError(
        `${op}: expected input [N, ${this.inputSize}] or [${this.inputSize}], got ${fmtShape(input.shape)}`,
      );
    }
    const batched = input.ndim === 2;
    const x = batched ? input : input.unsqueeze(0);
    const expected = batched ? [x.shape[0]!, this.hiddenSize] : [this.hiddenSize];
    const states = state.map((s) => {
      if (!s) return zeros([x.shape[0]!, this.hiddenSize], { dtype: x.dtype });
      if (s.shape.join() !== expected.join()) {
        throw new ShapeError(`${op}: expected hidden state ${fmtShape(expected)}, got ${fmtShape(s.shape)}`);
      }
      return batched ? s : s.unsqueeze(0);
    });
    const gi = linear(x, this.weight_ih, this.bias_ih);
    const out = recurrentStep(this.mode, gi, states, this.weight_hh, this.bias_hh);
    return batched ? out : out.map((t) => t.squeeze(0));
  }

  override extraRepr(): string {
    return `${this.inputSize}, ${this.hiddenSize}${this.bias_ih ? '' : ', bias=false'}`;
  }
}

/**
 * An Elman RNN cell: h' = tanh(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh) (or ReLU).
 *
 * @example
 * const cell = new RNNCell(10, 20);
 * let h = zeros([3, 20]);
 * for (const x of inputs) h = cell.call(x, h);
 */
export class RNNCell extends RecurrentCell {
  constructor(
    inputSize: number,
    hiddenSize: number,
    options: RNNCellOptions & { nonlinearity?: 'tanh' | 'relu' } = {},
  ) {
    const nl = options.nonlinearity ?? 'tanh';
    if (nl !== 'tanh' && nl !== 'relu') {
      throw new TorchletError(`RNNCell: unknown nonlinearity '${String(nl)}' (expected 'tanh' or 'relu')`);
    }
    super(inputSize, hiddenSize, nl === 'tanh' ? 'rnnTanh' : 'rnnRelu', options);
  }

  override forward(input: Tensor, hx?: Tensor | null): Tensor {
    return this.step(input, [hx ?? undefined])[0]!;
  }
}

/**
 * An LSTM cell with PyTorch's gate order (input, forget, cell, output); returns `[h', c']`.
 *
 * @example
 * const [h, c] = new LSTMCell(10, 20).call(x, [h0, c0]);
 */
export class LSTMCell extends RecurrentCell {
  constructor(inputSize: number, hiddenSize: number, options: RNNCellOptions = {}) {
    super(inputSize, hiddenSize, 'lstm', options);
  }

  override forward(input: Tensor, hx?: readonly [Tensor, Tensor] | null): [Tensor, Tensor] {
    const [h, c] = this.step(input, hx ? [hx[0], hx[1]] : [undefined, undefined]);
    return [h!, c!];
  }
}

/** A GRU cell with PyTorch's gate order (reset, update, new). */
export class GRUCell extends RecurrentCell {
  constructor(inputSize: number, hiddenSize: number, options: RNNCellOptions = {}) {
    super(inputSize, hiddenSize, 'gru', options);
  }

  override forward(input: Tensor, hx?: Tensor | null): Tensor {
    return this.step(input, [hx ?? undefined])[0]!;
  }
}
