import { type DType, type Tensor, tensor } from '@torchlet/tensor';
import { expect } from 'vitest';
import type { Module, StateDict } from '../module.js';

/** A tensor as the fixture script writes it (non-finite values as strings). */
export interface Encoded {
  shape: number[];
  dtype: DType;
  data: (number | string)[];
}

/** One reference computation made with PyTorch by scripts/fixtures/nn_fixtures.py. */
export interface Case {
  inputs: Encoded[];
  state: Record<string, Encoded>;
  outputs: Encoded[];
  cotangents: Encoded[];
  grads: Record<string, Encoded>;
  stateAfter: Record<string, Encoded>;
}

export function decode(e: Encoded): Tensor {
  const values = e.data.map((v) => (typeof v === 'string' ? Number(v.replace('inf', 'Infinity')) : v));
  return tensor(values.length === 0 && e.shape.length === 0 ? 0 : values, {
    dtype: e.dtype,
    shape: e.shape,
  }).reshape(e.shape);
}

/** Asserts shape and values within `atol + rtol·|expected|`. */
export function expectClose(actual: Tensor, expected: Encoded, what: string, atol = 1e-9, rtol = 1e-7): void {
  expect(actual.shape, `${what}: shape`).toEqual(expected.shape);
  const got = actual.dataSync();
  const want = decode(expected).dataSync();
  for (let i = 0; i < want.length; i++) {
    const a = got[i]!;
    const b = want[i]!;
    if (Number.isNaN(b)) expect(Number.isNaN(a), `${what}[${i}]: NaN`).toBe(true);
    else if (!Number.isFinite(b)) expect(a, `${what}[${i}]`).toBe(b);
    else if (!(Math.abs(a - b) <= atol + rtol * Math.abs(b))) {
      expect.fail(`${what}[${i}]: got ${a}, expected ${b} (torch)`);
    }
  }
}

/**
 * Runs `module` (converted to float64, loaded with the case's state) on the case's inputs and
 * compares the outputs, the gradients of Σ output·cotangent and the state afterwards.
 */
export function checkCase(module: Module, c: Case, train = false): void {
  module.double();
  const state: StateDict = {};
  for (const [k, v] of Object.entries(c.state)) state[k] = decode(v);
  module.loadStateDict(state);
  module.train(train);
  const inputs = c.inputs.map((e, i) => {
    const t = decode(e);
    return `input${i}` in c.grads ? t.requiresGrad_(true) : t;
  });
  const out = module.call(...inputs) as Tensor | Tensor[];
  const outs = Array.isArray(out) ? out : [out];
  outs.forEach((o, i) => {
    expectClose(o, c.outputs[i]!, `output ${i}`);
  });
  const names = Object.keys(c.grads);
  if (names.length > 0) {
    const total = outs.map((o, i) => o.mul(decode(c.cotangents[i]!)).sum()).reduce((a, b) => a.add(b));
    total.backward();
    const params = new Map(module.namedParameters());
    for (const name of names) {
      const t = name.startsWith('input') ? inputs[Number(name.slice(5))]! : params.get(name)!;
      expect(t, `gradient target ${name}`).toBeDefined();
      expect(t.grad, `gradient of ${name}`).not.toBeNull();
      expectClose(t.grad!, c.grads[name]!, `grad ${name}`);
    }
  }
  const after = module.stateDict();
  for (const [k, v] of Object.entries(c.stateAfter)) expectClose(after[k]!, v, `state ${k}`);
}
