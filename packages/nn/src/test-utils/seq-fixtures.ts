import type { Tensor } from '@torchlet/tensor';
import { expect } from 'vitest';
import type { Module, StateDict } from '../module.js';
import { decode, type Encoded, expectClose } from './fixtures.js';

/** One case of scripts/fixtures/seq_fixtures.py: named inputs, flattened outputs, gradients by name. */
export interface SeqCase {
  inputs: Record<string, Encoded>;
  state: Record<string, Encoded>;
  outputs: Encoded[];
  cotangents: Encoded[];
  /** `input:<name>` for inputs, dotted parameter names otherwise. */
  grads: Record<string, Encoded>;
}

/** Nested outputs (`[out, [h, c]]`, `[out, null]`) as the flat list the script writes. */
export type Nested = Tensor | null | readonly Nested[];

function flatten(out: Nested): Tensor[] {
  if (out === null) return [];
  if (Array.isArray(out)) return out.flatMap((o) => flatten(o as Nested));
  return [out as Tensor];
}

/**
 * Loads the case's state into `module` (float64, eval mode), runs `run` on the decoded inputs and
 * compares the outputs and the gradients of Σ output·cotangent for the inputs and every parameter.
 */
export function checkSeqCase<M extends Module | null>(
  module: M,
  c: SeqCase,
  run: (m: M, inputs: Record<string, Tensor>) => Nested,
  tolerance = { atol: 1e-9, rtol: 1e-7 },
): void {
  if (module) {
    module.double().eval();
    const state: StateDict = {};
    for (const [k, v] of Object.entries(c.state)) state[k] = decode(v);
    module.loadStateDict(state);
    // Same keys in the same order as PyTorch's state dict, so parameters() lines up with torch's.
    expect(Object.keys(module.stateDict()), 'state dict keys').toEqual(Object.keys(c.state));
  }
  const inputs: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(c.inputs)) {
    const t = decode(v);
    inputs[k] = `input:${k}` in c.grads ? t.requiresGrad_(true) : t;
  }
  const outs = flatten(run(module, inputs));
  expect(outs.length, 'number of outputs').toBe(c.outputs.length);
  outs.forEach((o, i) => {
    expectClose(o, c.outputs[i]!, `output ${i}`, tolerance.atol, tolerance.rtol);
  });
  const total = outs.map((o, i) => o.mul(decode(c.cotangents[i]!)).sum()).reduce((a, b) => a.add(b));
  total.backward();
  const params = new Map(module ? module.namedParameters() : []);
  expect(
    [...params.keys()].filter((n) => !(n in c.grads)),
    'parameters without a reference gradient',
  ).toEqual([]);
  for (const [name, want] of Object.entries(c.grads)) {
    const t = name.startsWith('input:') ? inputs[name.slice(6)] : params.get(name);
    expect(t, `gradient target ${name}`).toBeDefined();
    expect(t!.grad, `gradient of ${name}`).not.toBeNull();
    expectClose(t!.grad!, want, `grad ${name}`, tolerance.atol, tolerance.rtol);
  }
}
