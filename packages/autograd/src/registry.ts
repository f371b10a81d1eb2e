import type { Attrs, Tensor } from '@torchlet/tensor';

/** What a gradient rule sees of the op it differentiates. */
export interface GradContext {
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  readonly attrs: Attrs;
  /** Whether input i needs a gradient; a rule may skip work for the others. */
  readonly needsInputGrad: readonly boolean[];
}

/**
 * A vector-Jacobian product: given the gradients of the op's outputs, return one gradient per
 * input (null where an input gets none). Written with tensor ops, so it is differentiable again.
 */
export type GradRule = (grads: readonly Tensor[], ctx: GradContext) => readonly (Tensor | null | undefined)[];

const rules = new Map<string, GradRule>();

/** Registers the gradient rule of op `name` (replacing any earlier one). */
export function registerGradient(name: string, rule: GradRule): void {
  rules.set(name, rule);
}

/** The gradient rule of op `name`, if one is registered. */
export function getGradient(name: string): GradRule | undefined {
  return rules.get(name);
}

/** Names of ops that have a gradient rule. */
export function registeredGradients(): string[] {
  return [...rules.keys()].sort();
}
