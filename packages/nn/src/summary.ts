import { type DType, getRngState, noGrad, rand, setRngState, Tensor } from '@torchlet/tensor';
import { ModuleList, Sequential } from './containers.js';
import type { Module } from './module.js';

/** Options of {@link summary}. */
export interface SummaryOptions {
  /** Batch size shown in the output shapes (default −1, "any", as torchsummary). */
  batchSize?: number;
  /** dtype of the probe input (default float32). */
  dtype?: DType;
}

/** One line of the summary: a module call, in call order. */
export interface SummaryRow {
  /** `Linear-1`, `ReLU-2`, …: class name and call number. */
  layer: string;
  outputShape: number[] | number[][];
  /** Parameters held directly by the module. */
  params: number;
  trainableParams: number;
}

/** The numbers of the summary table. */
export interface ModelSummary {
  rows: SummaryRow[];
  totalParams: number;
  trainableParams: number;
  /** The estimates torchsummary prints, in MB (float32 sizes; activations counted twice for gradients). */
  inputSizeMB: number;
  forwardBackwardSizeMB: number;
  paramsSizeMB: number;
  totalSizeMB: number;
}

const MB = 1024 * 1024;

/**
 * Runs `model` once on a random batch of two inputs of shape `inputSize` (one shape, or a list
 * for several inputs) and records, for every module called other than containers and the model
 * itself, its output shape and parameter count, as torchsummary does. Grad mode, the random
 * generator and the buffers (e.g. batch-norm statistics) are left as they were.
 */
export function summarize(
  model: Module,
  inputSize: readonly number[] | readonly (readonly number[])[],
  options: SummaryOptions = {},
): ModelSummary {
  const batchSize = options.batchSize ?? -1;
  const shapes = (Array.isArray(inputSize[0]) ? inputSize : [inputSize]) as number[][];
  const rows: SummaryRow[] = [];
  const handles = model
    .modules()
    .filter((m) => m !== model && !(m instanceof Sequential) && !(m instanceof ModuleList))
    .map((m) =>
      m.registerForwardHook((mod, _inputs, output) => {
        const params = mod.parameters({ recurse: false });
        const count = (ps: Tensor[]) => ps.reduce((n, p) => n + p.numel(), 0);
        rows.push({
          layer: `${mod.className}-${rows.length + 1}`,
          outputShape: Array.isArray(output)
            ? output.filter((o) => o instanceof Tensor).map((o) => [-1, ...o.shape.slice(1)])
            : [batchSize, ...(output as Tensor).shape.slice(1)],
          params: count(params),
          trainableParams: count(params.filter((p) => p.requiresGrad)),
        });
      }),
    );
  const rng = getRngState();
  const saved = model.buffers().map((b) => [b, b.clone()] as const);
  try {
    noGrad(() => {
      const inputs = shapes.map((s) => rand([2, ...s], { dtype: options.dtype ?? 'float32' }));
      model.call(...inputs);
    });
  } finally {
    for (const h of handles) h.remove();
    setRngState(rng);
    noGrad(() => {
      for (const [b, copy] of saved) b.copy_(copy);
    });
  }
  const totalParams = rows.reduce((n, r) => n + r.params, 0);
  const trainableParams = rows.reduce((n, r) => n + r.trainableParams, 0);
  const prod = (s: number[]) => s.reduce((a, b) => a * b, 1);
  const totalOutput = rows.reduce((n, r) => {
    const shapesOut = (Array.isArray(r.outputShape[0]) ? r.outputShape : [r.outputShape]) as number[][];
    return n + shapesOut.reduce((m, s) => m + prod(s), 0);
  }, 0);
  const inputSizeMB = Math.abs((shapes.reduce((n, s) => n + prod(s), 0) * batchSize * 4) / MB);
  const forwardBackwardSizeMB = Math.abs((2 * totalOutput * 4) / MB);
  const paramsSizeMB = Math.abs((totalParams * 4) / MB);
  return {
    rows,
    totalParams,
    trainableParams,
    inputSizeMB,
    forwardBackwardSizeMB,
    paramsSizeMB,
    totalSizeMB: inputSizeMB + forwardBackwardSizeMB + paramsSizeMB,
  };
}

/** 10180 → '10,180', as Python's `'{0:,}'`. */
function withCommas(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function pyList(shape: number[] | number[][]): string {
  return `[${(shape as (number | number[])[]).map((d) => (Array.isArray(d) ? pyList(d) : String(d))).join(', ')}]`;
}

/**
 * The torchsummary table of `model` for inputs of shape `inputSize` (without the batch dim):
 * one row per module call with its output shape and parameter count, then the totals and the
 * memory estimate.
 *
 * @example
 * console.log(summary(model, [20], { batchSize: 10 }));
 * // ----------------------------------------------------------------
 * //         Layer (type)               Output Shape         Param #
 * // ================================================================
 * //             Linear-1                   [10, 64]           1,344
 * // ...
 */
export function summary(
  model: Module,
  inputSize: readonly number[] | readonly (readonly number[])[],
  options: SummaryOptions = {},
): string {
  const s = summarize(model, inputSize, options);
  const rule = '-'.repeat(64);
  const double = '='.repeat(64);
  const row = (a: string, b: string, c: string) => `${a.padStart(20)}  ${b.padStart(25)} ${c.padStart(15)}`;
  return [
    rule,
    row('Layer (type)', 'Output Shape', 'Param #'),
    double,
    ...s.rows.map((r) => row(r.layer, pyList(r.outputShape), withCommas(r.params))),
    double,
    `Total params: ${withCommas(s.totalParams)}`,
    `Trainable params: ${withCommas(s.trainableParams)}`,
    `Non-trainable params: ${withCommas(s.totalParams - s.trainableParams)}`,
    rule,
    `Input size (MB): ${s.inputSizeMB.toFixed(2)}`,
    `Forward/backward pass size (MB): ${s.forwardBackwardSizeMB.toFixed(2)}`,
    `Params size (MB): ${s.paramsSizeMB.toFixed(2)}`,
    `Estimated Total Size (MB): ${s.totalSizeMB.toFixed(2)}`,
    rule,
  ].join('\n');
}
