import type { Attrs } from './backend.js';
import { TorchletError } from './errors.js';
import type { Tensor } from './tensor.js';

/** What a tensor records about the op that made it; its contents belong to the autograd engine. */
export interface GradNode {
  readonly op: string;
}

/** Options of `Tensor.backward()`, as PyTorch's keywords. */
export interface BackwardOptions {
  /** Keep the graph's saved tensors for another backward (default: `createGraph`). */
  retainGraph?: boolean;
  /** Record the backward pass, so the gradients are differentiable (higher-order derivatives). */
  createGraph?: boolean;
  /** Accumulate into `.grad` of these tensors only (leaves or not) instead of every leaf. */
  inputs?: Tensor[];
}

/**
 * The contract between tensor ops and an autograd engine. The tensor package works without one;
 * importing `@torchlet/autograd` installs it, after which ops on tensors that require grad are
 * recorded and `backward()` works.
 */
export interface AutogradEngine {
  record(op: string, inputs: readonly Tensor[], outputs: readonly Tensor[], attrs: Attrs): void;
  backward(tensor: Tensor, gradient: Tensor | undefined, options: BackwardOptions): void;
}

let engine: AutogradEngine | null = null;
let gradEnabled = true;

/** Installs the engine that records ops and runs backward; `@torchlet/autograd` calls it on import. */
export function installAutograd(e: AutogradEngine): void {
  engine = e;
}

/** The installed engine; throws, naming `op`, when `@torchlet/autograd` has not been imported. */
export function getAutograd(op: string): AutogradEngine {
  if (engine === null) {
    throw new TorchletError(`${op}: autograd is not installed; add @torchlet/autograd and import it once`);
  }
  return engine;
}

/** Whether ops are being recorded for backward (false inside `noGrad`). */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Sets grad mode and returns the previous value. Prefer `noGrad(fn)` / `enableGrad(fn)`. */
export function setGradEnabled(enabled: boolean): boolean {
  const prev = gradEnabled;
  gradEnabled = enabled;
  return prev;
}

/** Runs `fn` with gradient recording off, like `with torch.no_grad():`. */
export function noGrad<T>(fn: () => T): T {
  const prev = setGradEnabled(false);
  try {
    return fn();
  } finally {
    setGradEnabled(prev);
  }
}

/** Runs `fn` with gradient recording on, even inside `noGrad`. */
export function enableGrad<T>(fn: () => T): T {
  const prev = setGradEnabled(true);
  try {
    return fn();
  } finally {
    setGradEnabled(prev);
  }
}

/** Whether an op on `inputs` must be recorded now. */
export function needsGrad(inputs: readonly Tensor[]): boolean {
  if (engine === null || !gradEnabled) return false;
  for (const t of inputs) if (t.requiresGrad) return true;
  return false;
}

/**
 * Records a differentiable op for backward when any input requires grad; returns `output` so an
 * op can end with `return record('exp', [x], out)`. Outputs of non-differentiable ops are never
 * passed here.
 */
export function record<T extends Tensor | Tensor[]>(
  op: string,
  inputs: readonly Tensor[],
  output: T,
  attrs: Attrs = {},
): T {
  if (needsGrad(inputs)) engine!.record(op, inputs, Array.isArray(output) ? output : [output], attrs);
  return output;
}
