import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  arange,
  contiguousStrides,
  type NestedArray,
  numelOf,
  type Tensor,
  tensor,
  viewStrides,
} from '../index.js';

/**
 * Property tests of the views against naive references on nested arrays: a random tensor is a
 * random layout (a permuted, step-sliced window of a larger buffer), so strides, offsets and
 * non-contiguity are all exercised.
 */

type Idx = number[];

/** Reads element `idx` of a nested array. */
function at(a: NestedArray, idx: Idx): NestedArray {
  return idx.reduce<NestedArray>((v, i) => (v as NestedArray[])[i]!, a);
}

/** Builds a nested array of `shape` from `f(idx)`. */
function build(shape: number[], f: (idx: Idx) => NestedArray, prefix: Idx = []): NestedArray {
  if (prefix.length === shape.length) return f(prefix);
  return Array.from({ length: shape[prefix.length]! }, (_, i) => build(shape, f, [...prefix, i]));
}

function flatValues(a: NestedArray): number[] {
  return Array.isArray(a) ? a.flatMap(flatValues) : [Number(a)];
}

/** A random tensor of `shape` with a random strided layout over a larger storage. */
const arbLayout = (maxDims = 4) =>
  fc
    .array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: maxDims })
    .chain((shape) =>
      fc.record({
        shape: fc.constant(shape),
        perm: fc.shuffledSubarray(
          shape.map((_, i) => i),
          { minLength: shape.length, maxLength: shape.length },
        ),
        steps: fc.array(fc.integer({ min: 1, max: 2 }), { minLength: shape.length, maxLength: shape.length }),
        lead: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: shape.length, maxLength: shape.length }),
      }),
    )
    .map(({ shape, perm, steps, lead }) => {
      // Storage big enough for a window starting at `lead` with `steps`, in permuted dim order.
      const baseShape = perm.map((d) => lead[d]! + Math.max(shape[d]!, 1) * steps[d]!);
      const base = arange(numelOf(baseShape), undefined, 1, { dtype: 'float64' }).reshape(baseShape);
      const window = base.index(
        ...perm.map((d) => `${lead[d]}:${lead[d]! + shape[d]! * steps[d]!}:${steps[d]}`),
      );
      const inverse = perm.map((_, i) => perm.indexOf(i));
      return window.permute(inverse);
    });

/** Storage positions of a tensor's elements in row-major order. */
function positions(t: { shape: readonly number[]; strides: readonly number[]; offset: number }): number[] {
  const out: number[] = [];
  const rec = (d: number, p: number) => {
    if (d === t.shape.length) out.push(p);
    else for (let i = 0; i < t.shape[d]!; i++) rec(d + 1, p + i * t.strides[d]!);
  };
  rec(0, t.offset);
  return out;
}

/** Whether the row-major positions are an affine function of the multi-index of `shape` (a view exists). */
function naiveViewable(pos: number[], shape: number[]): boolean {
  if (pos.length === 0) return true;
  const cs = contiguousStrides(shape);
  const strides = shape.map((n, k) => (n > 1 ? pos[cs[k]!]! - pos[0]! : 0));
  return positions({ shape, strides, offset: pos[0]! }).every((p, i) => p === pos[i]);
}

/** A random shape with `numel` elements, with size-1 dims sprinkled in. */
function arbShapeOf(numel: number): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: 1, max: 6 }), { maxLength: 5 }).map((seeds) => {
    const out: number[] = [];
    let rest = numel;
    for (const s of seeds) {
      const divisors = Array.from({ length: rest }, (_, i) => i + 1).filter((d) => rest % d === 0);
      const d = divisors[s % divisors.length]!;
      out.push(d);
      rest /= d;
    }
    out.push(rest);
    return out;
  });
}

describe('viewStrides', () => {
  it('finds a view exactly when the elements are an affine function of the new index', () => {
    fc.assert(
      fc.property(
        fc
          .tuple(arbLayout(), fc.nat(), fc.integer({ min: 0, max: 3 }))
          .map(([x, at, reps]) => {
            // Sometimes broadcast a new dim (stride 0), which only splits, never merges.
            if (reps === 0) return x;
            const k = at % (x.ndim + 1);
            const shape = [...x.shape];
            shape.splice(k, 0, reps);
            return x.unsqueeze(k).expand(shape);
          })
          .chain((x) => fc.tuple(fc.constant(x), arbShapeOf(x.numel()))),
        ([x, target]) => {
          const pos = positions(x);
          const strides = viewStrides(x.shape, x.strides, target);
          if (x.numel() > 0) expect(strides !== null).toBe(naiveViewable(pos, target));
          if (strides !== null && x.numel() > 0) {
            expect(positions({ shape: target, strides, offset: x.offset })).toEqual(pos);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('views expanded dims when they stay separate and refuses to merge them', () => {
    const x = tensor([1, 2, 3]).reshape(3, 1).expand(3, 4);
    expect(viewStrides(x.shape, x.strides, [3, 2, 2])).toEqual([1, 0, 0]);
    expect(viewStrides(x.shape, x.strides, [12])).toBeNull();
  });
});

describe('views share storage and match a naive reference', () => {
  it('reshape, flatten and unflatten keep row-major order', () => {
    fc.assert(
      fc.property(arbLayout(), (x) => {
        const flat = flatValues(x.toArray());
        expect(flatValues(x.reshape(-1).toArray())).toEqual(flat);
        expect(flatValues(x.flatten().toArray())).toEqual(flat);
        if (x.ndim > 0) {
          const y = x.unflatten(0, [1, x.shape[0]!, 1]);
          expect(y.shape).toEqual([1, x.shape[0]!, 1, ...x.shape.slice(1)]);
          expect(flatValues(y.toArray())).toEqual(flat);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('narrow, select, diagonal, permute, transpose, movedim, squeeze, unsqueeze, expand', () => {
    fc.assert(
      fc.property(arbLayout(), fc.nat(), fc.nat(), fc.integer({ min: -3, max: 3 }), (x, r1, r2, off) => {
        const a = x.toArray();
        const nd = x.ndim;
        const shares = (v: Tensor) => expect(v.storage).toBe(x.storage);
        if (nd > 0) {
          const d = r1 % nd;
          const neg = d - nd;
          const n = x.shape[d]!;
          const start = n === 0 ? 0 : r2 % n;
          const len = n - start === 0 ? 0 : 1 + (r1 % (n - start));
          const nar = x.narrow(neg, start, len);
          shares(nar);
          expect(nar.toArray()).toEqual(
            build(nar.shape as number[], (i) =>
              at(
                a,
                i.map((v, k) => (k === d ? v + start : v)),
              ),
            ),
          );
          if (n > 0) {
            const sel = x.select(neg, -1);
            shares(sel);
            expect(sel.toArray()).toEqual(
              build(sel.shape as number[], (i) => at(a, [...i.slice(0, d), n - 1, ...i.slice(d)])),
            );
          }
          const unsq = x.unsqueeze(-1 - d);
          shares(unsq);
          expect(flatValues(unsq.toArray())).toEqual(flatValues(a));
          const moved = x.movedim(d, 0);
          expect(moved.toArray()).toEqual(
            build(moved.shape as number[], (i) => at(a, [...i.slice(1, d + 1), i[0]!, ...i.slice(d + 1)])),
          );
        }
        if (nd >= 2) {
          const [d1, d2] = [r1 % nd, (r1 + 1 + (r2 % (nd - 1))) % nd];
          const dg = x.diagonal(off, d1 - nd, d2);
          shares(dg);
          expect(dg.toArray()).toEqual(
            build(dg.shape as number[], (i) => {
              const j = i[i.length - 1]!;
              const full: number[] = [];
              for (let k = 0, b = 0; k < nd; k++) {
                if (k === d1) full.push(j + Math.max(-off, 0));
                else if (k === d2) full.push(j + Math.max(off, 0));
                else full.push(i[b++]!);
              }
              return at(a, full);
            }),
          );
          const tr = x.transpose(0, -1);
          expect(tr.toArray()).toEqual(
            build(tr.shape as number[], (i) => at(a, [i[nd - 1]!, ...i.slice(1, nd - 1), i[0]!])),
          );
        }
        const sq = x.squeeze();
        shares(sq);
        expect(flatValues(sq.toArray())).toEqual(flatValues(a));
        const ex = x.unsqueeze(0).expand(2, ...x.shape);
        shares(ex);
        expect(ex.toArray()).toEqual([a, a]);
      }),
      { numRuns: 200 },
    );
  });

  it('basic indexing equals the composition of narrow/select with steps', () => {
    fc.assert(
      fc.property(
        arbLayout(3),
        fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 9, maxLength: 9 }),
        (x, r) => {
          const items: string[] = [];
          const refs: ((a: NestedArray, i: Idx) => Idx)[] = [];
          x.shape.forEach((n, d) => {
            const [start, stop, step] = [r[3 * d]!, r[3 * d + 1]!, 1 + Math.abs(r[3 * d + 2]!)];
            items.push(`${start}:${stop}:${step}`);
            const s = Math.min(Math.max(start < 0 ? start + n : start, 0), n);
            refs.push((_a, i) => [s + i[d]! * step]);
          });
          const v = x.index(...items);
          expect(v.storage).toBe(x.storage);
          const a = x.toArray();
          expect(v.toArray()).toEqual(
            build(v.shape as number[], (i) =>
              at(
                a,
                refs.flatMap((f) => f(a, i)),
              ),
            ),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
