import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DType, Tensor } from '../index.js';
import * as T from '../index.js';
import { decode, type Encoded } from './test-utils/fixture-values.js';

/**
 * Edge cases (NaN, ±∞, −0, int32 wrap-around, bool, promotion of 0-d tensors and scalars)
 * compared with PyTorch 1.13; the fixture is written by
 * scripts/fixtures/elementwise_reduce_edge_cases.py.
 */
interface EncTensor {
  t: DType;
  s: number[];
  v: Encoded[];
}
type EncArg =
  | EncTensor
  | { n: Encoded }
  | { b: boolean }
  | { l: number[] }
  | { none: true }
  | { str: string };
interface Case {
  op: string;
  args: EncArg[];
  out?: EncTensor | EncTensor[];
  error?: string;
  note: string;
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/edge-cases.json', import.meta.url), 'utf8')) as {
  cases: Case[];
};

function decodeArg(a: EncArg): unknown {
  if ('t' in a) return T.tensor(a.v.map(decode), { dtype: a.t, shape: a.s }).reshape(a.s);
  if ('n' in a) return decode(a.n);
  if ('b' in a) return a.b;
  if ('l' in a) return a.l;
  if ('str' in a) return a.str;
  return null;
}

// biome-ignore lint/suspicious/noExplicitAny: the fixture drives ops of many signatures.
type AnyOp = (...args: any[]) => Tensor | Tensor[];
const ops = T as unknown as Record<string, AnyOp>;
/** Fixture op names whose torchlet call differs from `ops[name](...args)`. */
const ADAPTERS: Record<string, AnyOp> = {
  divFloor: (a, b) => T.div(a, b, 'floor'),
  divTrunc: (a, b) => T.div(a, b, 'trunc'),
  var: (x, dim, correction) => T.var(x, dim, { correction }),
  std: (x, dim, correction) => T.std(x, dim, { correction }),
  max: (x, dim) => (dim === undefined ? T.max(x) : [...T.max(x, dim as number)]),
  min: (x, dim) => (dim === undefined ? T.min(x) : [...T.min(x, dim as number)]),
  cummax: (x, dim) => [...T.cummax(x, dim)],
  cummin: (x, dim) => [...T.cummin(x, dim)],
  clamp: (x, lo, hi) => T.clamp(x, lo, hi),
};

/**
 * PyTorch's own maximum/minimum return either zero on (−0, 0) ties depending on its code path
 * (vectorized or not), so their zero sign is not compared.
 */
const ANY_ZERO_SIGN = new Set(['maximum', 'minimum']);

function close(got: number, want: number, dtype: DType, op: string): boolean {
  if (Number.isNaN(want)) return Number.isNaN(got);
  if (want === 0 && ANY_ZERO_SIGN.has(op)) return got === 0;
  if (want === 0) return Object.is(got, want) || (dtype === 'float32' && Math.abs(got) < 1e-7);
  if (!Number.isFinite(want) || dtype === 'int32' || dtype === 'bool') return got === want;
  // float64: PyTorch's libm and ours differ by a few ulps, amplified where 1 + erf(x) cancels.
  const tol = dtype === 'float32' ? 2e-6 : 1e-12;
  return Math.abs(got - want) <= tol * Math.abs(want) + (dtype === 'float32' ? 1e-7 : 1e-300);
}

function compare(got: Tensor, want: EncTensor, op: string): string | null {
  if (got.dtype !== want.t) return `dtype ${got.dtype}, expected ${want.t}`;
  if (JSON.stringify(got.shape) !== JSON.stringify(want.s))
    return `shape [${got.shape}], expected [${want.s}]`;
  const g = Array.from(got.dataSync());
  const w = want.v.map(decode);
  const bad = g.findIndex((v, i) => !close(v, w[i]!, want.t, op));
  return bad < 0 ? null : `element ${bad}: ${g[bad]}, expected ${w[bad]} (got [${g}], expected [${w}])`;
}

function describeArgs(args: EncArg[]): string {
  return args
    .map((a) => ('t' in a ? `${a.t}[${a.v.length > 6 ? `${a.v.slice(0, 6)},…` : a.v}]` : JSON.stringify(a)))
    .join(', ');
}

/** PyTorch rejected the call at argument parsing (a signature torchlet extends, e.g. scalars). */
const SIGNATURE_ONLY = /must be Tensor|invalid combination of arguments/;

function runCase(c: Case): string | null {
  const fn = ADAPTERS[c.op] ?? ops[c.op];
  if (!fn) return `no torchlet op '${c.op}'`;
  const args = c.args.map(decodeArg);
  if (c.error !== undefined) {
    if (SIGNATURE_ONLY.test(c.error)) return null;
    try {
      fn(...args);
    } catch {
      return null;
    }
    return `expected an error like PyTorch's "${c.error}"`;
  }
  let got: Tensor | Tensor[];
  try {
    got = fn(...args);
  } catch (e) {
    return `threw ${(e as Error).message}`;
  }
  const outs = Array.isArray(c.out) ? c.out : [c.out!];
  const gots = Array.isArray(got) ? got : [got];
  for (let i = 0; i < outs.length; i++) {
    const problem = compare(gots[i]!, outs[i]!, c.op);
    if (problem) return `output ${i}: ${problem}`;
  }
  return null;
}

const byOp = new Map<string, Case[]>();
for (const c of fixture.cases) {
  if (!byOp.has(c.op)) byOp.set(c.op, []);
  byOp.get(c.op)!.push(c);
}

describe('matches PyTorch on edge cases', () => {
  for (const [op, cases] of byOp) {
    it(`${op} (${cases.length} cases)`, () => {
      const failures = cases
        .map((c) => {
          const problem = runCase(c);
          return problem && `${op}(${describeArgs(c.args)}) ${c.note}: ${problem}`;
        })
        .filter((f): f is string => f !== null);
      if (failures.length > 0) console.log(failures.join('\n'));
      expect(failures).toEqual([]);
    });
  }
});
