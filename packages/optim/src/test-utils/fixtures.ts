import { readFileSync } from 'node:fs';
import { scalarTensor, type Tensor, tensor } from '@torchlet/tensor';
import { expect } from 'vitest';
import {
  Adadelta,
  Adagrad,
  Adam,
  Adamax,
  AdamW,
  ASGD,
  LBFGS,
  NAdam,
  type Optimizer,
  type ParamsInput,
  RAdam,
  RMSprop,
  Rprop,
  SGD,
} from '../index.js';

/** Reads a JSON fixture written by scripts/fixtures/optim_fixtures.py. */
export function readFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

type AnyOptimizerClass = new (params: ParamsInput<never>, options: Record<string, unknown>) => Optimizer;

/** Every optimizer by class name, for fixture-driven tests. */
export const OPTIMIZERS = {
  SGD,
  Adagrad,
  RMSprop,
  Adam,
  AdamW,
  Adamax,
  NAdam,
  RAdam,
  Adadelta,
  LBFGS,
  Rprop,
  ASGD,
} as unknown as Record<string, AnyOptimizerClass>;

export interface OptimizerFixtures {
  x: number[];
  c: number[][];
  w0: number[];
  b0: number[][];
  cases: {
    name: string;
    options: Record<string, unknown>;
    source: string;
    trajectory: [number[], number[][]][];
  }[];
}

/** The fixtures' test problem: two float64 parameters and a non-quadratic loss (see the script). */
export function testProblem(fx: OptimizerFixtures): { w: Tensor; b: Tensor; loss: () => Tensor } {
  const f64 = { dtype: 'float64' as const };
  const w = tensor(fx.w0, { ...f64, requiresGrad: true });
  const b = tensor(fx.b0, { ...f64, requiresGrad: true });
  const x = tensor(fx.x, f64);
  const c = tensor(fx.c, f64);
  const s = (v: number) => scalarTensor(v, 'float64');
  const loss = () =>
    w
      .mul(x)
      .sum()
      .sub(s(1.5))
      .pow(2)
      .add(b.pow(2).mul(c).sum())
      .add(w.pow(4).sum().mul(s(0.1)))
      .add(b.mul(b.tanh()).sum());
  return { w, b, loss };
}

/** Takes one optimizer step on `loss` (through a closure for L-BFGS). */
export function trainStep(opt: Optimizer, loss: () => Tensor): void {
  const closure = () => {
    opt.zeroGrad();
    const l = loss();
    l.backward();
    return l;
  };
  if (opt.constructor.name === 'LBFGS') opt.step(closure);
  else {
    closure();
    opt.step();
  }
}

/** Element-wise closeness with a relative and an absolute tolerance, reporting the worst entry. */
export function expectClose(actual: number[], expected: number[], rtol: number, atol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i]!;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      expect.fail(`entry ${i}: got ${a}, expected ${e} (|diff| ${Math.abs(a - e)})`);
    }
  });
}
