import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DType, Tensor } from '../index.js';
import * as T from '../index.js';

/**
 * Property tests: broadcasting elementwise ops, reductions, softmax and scans against naive
 * reference implementations written here, on random shapes, dims, keepdim and memory layouts.
 */

function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d]!;
    i = Math.floor(i / shape[d]!);
  }
  return idx;
}

function ravel(idx: readonly number[], shape: readonly number[]): number {
  let i = 0;
  for (let d = 0; d < shape.length; d++) i = i * shape[d]! + idx[d]!;
  return i;
}

const numel = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** A tensor of `shape` holding `values` (row-major), laid out contiguously or as a permuted view. */
function build(values: number[], shape: number[], dtype: DType, perm: number[] | null): Tensor {
  if (!perm || shape.length < 2) return T.tensor(values, { dtype, shape }).reshape(shape);
  // Store the permuted layout, then permute back: same values, non-contiguous strides.
  const stored = perm.map((d) => shape[d]!);
  const data = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) {
    const idx = unravel(i, shape);
    data[
      ravel(
        perm.map((d) => idx[d]!),
        stored,
      )
    ] = values[i]!;
  }
  const inverse = perm.map((_, d) => perm.indexOf(d));
  return T.tensor(data, { dtype, shape: stored }).reshape(stored).permute(inverse);
}

const shapeArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 4 });
const permArb = (n: number) =>
  fc.option(fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }));

/** A shape and a second one that broadcasts against it (fewer leading dims, some dims 1). */
const broadcastPair = shapeArb.chain((out) =>
  fc
    .tuple(
      fc.integer({ min: 0, max: out.length }),
      fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
      fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
    )
    .map(([drop, ones, onesA]) => {
      const b = out.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d));
      const a = out.map((d, i) => (onesA[i] && !ones[i] ? 1 : d));
      return [a, b] as const;
    }),
);

/** Reference broadcasting: out[i] = f(a[broadcast index], b[broadcast index]). */
function naiveBinary(
  a: number[],
  as: number[],
  b: number[],
  bs: number[],
  f: (x: number, y: number) => number,
) {
  const nd = Math.max(as.length, bs.length);
  const pad = (s: number[]) => [...Array(nd - s.length).fill(1), ...s];
  const [pa, pb] = [pad(as), pad(bs)];
  const out = pa.map((d, i) => Math.max(d, pb[i]!));
  const res: number[] = [];
  for (let i = 0; i < numel(out); i++) {
    const idx = unravel(i, out);
    const ia = ravel(
      idx.map((v, d) => (pa[d] === 1 ? 0 : v)),
      pa,
    );
    const ib = ravel(
      idx.map((v, d) => (pb[d] === 1 ? 0 : v)),
      pb,
    );
    res.push(f(a[ia]!, b[ib]!));
  }
  return { shape: out, values: res };
}

const floats = (n: number) =>
  fc.array(fc.double({ min: -8, max: 8, noNaN: true }), { minLength: n, maxLength: n });
const ints = (n: number) =>
  fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: n, maxLength: n });

const BINARY: [string, DType, (a: Tensor, b: Tensor) => Tensor, (x: number, y: number) => number][] = [
  ['add', 'float64', (a, b) => a.add(b), (x, y) => x + y],
  ['sub', 'float64', (a, b) => a.sub(b), (x, y) => x - y],
  ['mul', 'float64', (a, b) => a.mul(b), (x, y) => x * y],
  ['div', 'float64', (a, b) => a.div(b), (x, y) => x / y],
  ['maximum', 'float64', (a, b) => a.maximum(b), (x, y) => Math.max(x, y)],
  ['lt', 'float64', (a, b) => a.lt(b), (x, y) => (x < y ? 1 : 0)],
  ['add int32 wraps', 'int32', (a, b) => a.add(b), (x, y) => (x + y) | 0],
  ['mul int32 wraps', 'int32', (a, b) => a.mul(b), (x, y) => Math.imul(x, y)],
  // |INT_MIN| wraps to INT_MIN in int32, as in C; `| 0` reproduces it.
  [
    'floorDivide int32',
    'int32',
    (a, b) => a.floorDivide(b.abs().add(1)),
    (x, y) => Math.floor(x / ((Math.abs(y) + 1) | 0)) | 0,
  ],
];

describe('broadcast elementwise ops match a naive reference', () => {
  for (const [name, dtype, op, ref] of BINARY) {
    it(name, () => {
      fc.assert(
        fc.property(
          broadcastPair.chain(([as, bs]) =>
            fc.tuple(
              fc.constant(as),
              fc.constant(bs),
              dtype === 'int32' ? ints(numel(as)) : floats(numel(as)),
              dtype === 'int32' ? ints(numel(bs)) : floats(numel(bs)),
              permArb(as.length),
              permArb(bs.length),
            ),
          ),
          ([as, bs, av, bv, pa, pb]) => {
            const got = op(build(av, [...as], dtype, pa), build(bv, [...bs], dtype, pb));
            const want = naiveBinary(av, [...as], bv, [...bs], ref);
            expect(got.shape).toEqual(want.shape);
            expect(Array.from(got.dataSync())).toEqual(want.values);
          },
        ),
        { numRuns: 60 },
      );
    });
  }
});

/** Reference reduction: groups x's elements by output index, then folds each group with `f`. */
function naiveReduce(
  values: number[],
  shape: number[],
  dims: number[],
  keepdim: boolean,
  f: (xs: number[]) => number,
) {
  const outShape = keepdim
    ? shape.map((d, i) => (dims.includes(i) ? 1 : d))
    : shape.filter((_, i) => !dims.includes(i));
  const groups: number[][] = Array.from({ length: numel(outShape) }, () => []);
  values.forEach((v, i) => {
    const idx = unravel(i, shape);
    const outIdx = keepdim
      ? idx.map((x, d) => (dims.includes(d) ? 0 : x))
      : idx.filter((_, d) => !dims.includes(d));
    groups[ravel(outIdx, outShape)]!.push(v);
  });
  return { shape: outShape, values: groups.map(f) };
}

const sumOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const meanOf = (xs: number[]) => sumOf(xs) / xs.length;
const REDUCTIONS: [
  string,
  (x: Tensor, dims: number[], keepdim: boolean) => Tensor,
  (xs: number[]) => number,
][] = [
  ['sum', (x, d, k) => x.sum(d, k), sumOf],
  ['mean', (x, d, k) => x.mean(d, k), meanOf],
  ['prod', (x, d, k) => x.prod(d, k), (xs) => xs.reduce((a, b) => a * b, 1)],
  ['amax', (x, d, k) => x.amax(d, k), (xs) => Math.max(...xs)],
  ['amin', (x, d, k) => x.amin(d, k), (xs) => Math.min(...xs)],
  [
    'var',
    (x, d, k) => x.var(d, { keepdim: k }),
    (xs) => sumOf(xs.map((v) => (v - meanOf(xs)) ** 2)) / (xs.length - 1),
  ],
  ['logsumexp', (x, d, k) => x.logsumexp(d, k), (xs) => Math.log(sumOf(xs.map(Math.exp)))],
  ['norm', (x, d, k) => T.norm(x, 2, d, k), (xs) => Math.sqrt(sumOf(xs.map((v) => v * v)))],
  [
    'countNonzero',
    (x, d) => T.countNonzero(x.round(), d),
    (xs) => xs.filter((v) => Math.round(v) !== 0).length,
  ],
];

const reductionCase = shapeArb
  .filter((s) => s.length > 0)
  .chain((shape) =>
    fc.tuple(
      fc.constant(shape),
      floats(numel(shape)),
      fc.subarray([...shape.keys()], { minLength: 1 }),
      fc.boolean(),
      fc.boolean(),
      permArb(shape.length),
    ),
  );

function expectClose(got: number[], want: number[]): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    const w = want[i]!;
    if (Number.isNaN(w)) expect(g).toBeNaN();
    else expect(Math.abs(g - w)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(w)));
  });
}

describe('reductions match a naive reference over random dims, keepdim and layouts', () => {
  for (const [name, op, ref] of REDUCTIONS) {
    it(name, () => {
      fc.assert(
        fc.property(reductionCase, ([shape, values, dims, keepdim, negative, perm]) => {
          if (name === 'var' && dims.reduce((n, d) => n * shape[d]!, 1) < 2) return;
          const x = build(values, shape, 'float64', perm);
          const given = negative ? dims.map((d) => d - shape.length) : dims;
          const got = op(x, given, keepdim);
          const want = naiveReduce(
            values,
            shape,
            [...dims].sort(),
            name === 'countNonzero' ? false : keepdim,
            ref,
          );
          expect(got.shape).toEqual(want.shape);
          expectClose(Array.from(got.dataSync()), want.values);
        }),
        { numRuns: 60 },
      );
    });
  }
});

/** Reference for ops along one dim: applies `f` to each line along `dim`, writing a line back. */
function naiveAlong(
  values: number[],
  shape: number[],
  dim: number,
  f: (line: number[]) => number[],
): number[] {
  const out = new Array<number>(values.length);
  values.forEach((_, i) => {
    const idx = unravel(i, shape);
    if (idx[dim] !== 0) return;
    const positions = Array.from({ length: shape[dim]! }, (_, k) =>
      ravel(
        idx.map((v, d) => (d === dim ? k : v)),
        shape,
      ),
    );
    const line = f(positions.map((p) => values[p]!));
    positions.forEach((p, k) => {
      out[p] = line[k]!;
    });
  });
  return out;
}

const scanOf = (f: (acc: number, v: number) => number, init: number) => (line: number[]) => {
  let acc = init;
  return line.map((v) => (acc = f(acc, v)));
};
const ALONG: [string, (x: Tensor, dim: number) => Tensor, (line: number[]) => number[]][] = [
  ['softmax', (x, d) => x.softmax(d), (l) => l.map((v) => Math.exp(v) / sumOf(l.map(Math.exp)))],
  ['logSoftmax', (x, d) => x.logSoftmax(d), (l) => l.map((v) => v - Math.log(sumOf(l.map(Math.exp))))],
  ['cumsum', (x, d) => x.cumsum(d), scanOf((a, v) => a + v, 0)],
  ['cumprod', (x, d) => x.cumprod(d), scanOf((a, v) => a * v, 1)],
  ['cummax', (x, d) => x.cummax(d).values, scanOf((a, v) => Math.max(a, v), Number.NEGATIVE_INFINITY)],
  ['logcumsumexp', (x, d) => x.logcumsumexp(d), (l) => scanOf((a, v) => a + Math.exp(v), 0)(l).map(Math.log)],
];

describe('softmax and scans match a naive reference along random dims and layouts', () => {
  for (const [name, op, ref] of ALONG) {
    it(name, () => {
      fc.assert(
        fc.property(
          shapeArb
            .filter((s) => s.length > 0)
            .chain((shape) =>
              fc.tuple(
                fc.constant(shape),
                floats(numel(shape)),
                fc.nat(shape.length - 1),
                permArb(shape.length),
              ),
            ),
          ([shape, values, dim, perm]) => {
            const got = op(build(values, shape, 'float64', perm), dim - (dim % 2) * shape.length);
            expect(got.shape).toEqual(shape);
            expectClose(Array.from(got.dataSync()), naiveAlong(values, shape, dim, ref));
          },
        ),
        { numRuns: 60 },
      );
    });
  }
});
