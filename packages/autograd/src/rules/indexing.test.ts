import {
  cat,
  chunk,
  diag,
  diagEmbed,
  Generator,
  gather,
  indexAdd,
  indexCopy,
  indexFill,
  indexPut,
  indexSelect,
  kthvalue,
  maskedSelect,
  pad,
  randint,
  randn,
  repeat,
  roll,
  scatter,
  scatterAdd,
  scatterReduce,
  selectScatter,
  sort,
  split,
  stack,
  type Tensor,
  take,
  tensor,
  tile,
  topk,
} from '@torchlet/tensor';
import { describe, expect, it } from 'vitest';
import { gradcheck, gradgradcheck } from '../index.js';

const gen = new Generator(7);
const f64 = { dtype: 'float64' as const, generator: gen };

/** A float64 leaf of `shape` in each layout a rule must handle: dense, transposed, strided slice. */
function layouts(shape: number[]): Tensor[] {
  const dense = randn(shape, f64).requiresGrad_();
  const rev = [...shape].reverse();
  const transposed = randn(rev, f64)
    .permute(rev.map((_, i) => rev.length - 1 - i))
    .detach()
    .requiresGrad_();
  const wide = randn(
    shape.map((n, i) => (i === shape.length - 1 ? 2 * n : n + 1)),
    f64,
  );
  const sliced = wide
    .index(...shape.map((n, i) => (i === shape.length - 1 ? '::2' : `1:${n + 1}`)))
    .detach()
    .requiresGrad_();
  return [dense, transposed, sliced];
}

/** gradcheck over every layout of an input of `shape`. */
function check(shape: number[], fn: (x: Tensor) => Tensor | Tensor[]): void {
  for (const x of layouts(shape)) expect(gradcheck(fn, [x])).toBe(true);
}

const idx = (v: number[] | number[][]) => tensor(v, { dtype: 'int32' });

describe('gradients of views', () => {
  it('narrow, select, unbind, diagonal with negative dims', () => {
    check([3, 4, 2], (x) => x.narrow(-2, 1, 2));
    check([3, 4, 2], (x) => x.select(-1, 1));
    check([3, 4], (x) => x.unbind(-1));
    check([3, 4, 2], (x) => x.diagonal(1, -2, 0));
    check([4, 3], (x) => x.diagonal(-2));
  });

  it('basic indexing: slices, steps, new axes, ellipsis', () => {
    check([4, 3, 5], (x) => x.index('1:', null, '...', '::2'));
    check([4, 5], (x) => x.index(-1, '1:4:2'));
  });

  it('split and chunk (views)', () => {
    check([5, 3], (x) => split(x, [2, 3], 0));
    check([3, 5], (x) => chunk(x, 2, -1));
  });

  it('double backward through views and their scatter', () => {
    const [x] = layouts([3, 4]);
    expect(gradgradcheck((t) => t.narrow(1, 1, 2).square(), [x!])).toBe(true);
    expect(gradgradcheck((t) => t.diagonal().square(), [x!])).toBe(true);
    const src = randn([4], f64).requiresGrad_();
    expect(gradcheck((a, b) => selectScatter(a, b, 0, -1), [x!, src])).toBe(true);
    expect(gradgradcheck((a, b) => selectScatter(a, b, 0, -1).square(), [x!, src])).toBe(true);
  });
});

describe('gradients of advanced indexing', () => {
  it('index arrays, several broadcast together, and masks', () => {
    check([4, 3, 2], (x) => x.index(':', [2, 0, 2]));
    check([4, 3, 2], (x) => x.index([[0], [3]], ':', [1, 0, 1]));
    check([4, 3], (x) => x.index(x.gt(0)));
    const [x] = layouts([4, 3]);
    expect(gradgradcheck((t) => t.index([0, 0, 2], [-1, 1, 0]).square(), [x!])).toBe(true);
  });

  it('indexPut into x and from values, with and without accumulate', () => {
    const v = randn([2, 3], f64).requiresGrad_();
    for (const x of layouts([4, 3])) {
      expect(gradcheck((a, b) => indexPut(a, [[1, 3]], b), [x, v])).toBe(true);
      expect(gradcheck((a, b) => indexPut(a, [[1, 1]], b, true), [x, v])).toBe(true);
      expect(gradcheck((a, b) => indexPut(a, [0, ':'], b.index(0)), [x, v])).toBe(true);
    }
  });

  it('maskedSelect and take', () => {
    check([3, 4], (x) => maskedSelect(x, tensor([true, false, false, true])));
    check([3, 4], (x) => take(x, [0, -1, 5, 5]));
  });
});

describe('gradients of copying ops', () => {
  it('cat and stack with mixed layouts and negative dims', () => {
    const [a, b, c] = layouts([2, 3]);
    expect(gradcheck((x, y, z) => cat([x, y, z], -1), [a!, b!, c!])).toBe(true);
    expect(gradcheck((x, y) => stack([x, y], -1), [a!, b!])).toBe(true);
    expect(gradgradcheck((x, y) => cat([x, y], 0).square(), [a!, b!])).toBe(true);
  });

  it('repeat, tile, flip, roll', () => {
    check([2, 3], (x) => repeat(x, 2, 1, 2));
    check([2, 3], (x) => tile(x, [2]));
    check([2, 3, 2], (x) => x.flip([0, -1]));
    check([3, 4], (x) => roll(x, [1, -5], [-1, 0]));
    check([3, 4], (x) => roll(x, 5));
  });

  it('pad in every mode', () => {
    check([2, 3, 4], (x) => pad(x, [1, -1, 2, 0], { value: 3 }));
    check([2, 3, 4], (x) => pad(x, [3, 2, 1, 2], { mode: 'reflect' }));
    check([2, 3, 4], (x) => pad(x, [2, 5, 0, 1], { mode: 'replicate' }));
    check([2, 3, 4], (x) => pad(x, [4, 1, 3, 3], { mode: 'circular' }));
    const [x] = layouts([3, 4]);
    expect(gradgradcheck((t) => pad(t, [2, 2], { mode: 'reflect' }).square(), [x!])).toBe(true);
  });

  it('tril, triu, diag, diagEmbed', () => {
    check([2, 3, 4], (x) => x.tril(1));
    check([4, 3], (x) => x.triu(-1));
    check([4], (x) => diag(x, -1));
    check([3, 4], (x) => diag(x, 1));
    check([2, 3], (x) => diagEmbed(x, -1, 0, -1));
    const [x] = layouts([3]);
    expect(gradgradcheck((t) => diag(t).square(), [x!])).toBe(true);
  });
});

describe('gradients of gather and scatter', () => {
  const index = idx([
    [2, 0, 1, 1],
    [0, 0, 2, 1],
  ]);

  it('gather and indexSelect', () => {
    check([3, 4], (x) => gather(x, 0, index));
    check([3, 4], (x) =>
      gather(
        x,
        -1,
        idx([
          [3, 3],
          [0, 1],
          [2, 2],
        ]),
      ),
    );
    check([3, 4, 2], (x) => indexSelect(x, -2, [3, 0, 3]));
    const [x] = layouts([3, 4]);
    expect(gradgradcheck((t) => gather(t, 0, index).square(), [x!])).toBe(true);
  });

  it('scatter, scatterAdd and the index ops built on them', () => {
    const src = randn([2, 4], f64).requiresGrad_();
    const columns = randn([2, 3], f64).T.detach().requiresGrad_();
    const distinct = idx([
      [2, 0, 1, 1],
      [0, 1, 2, 0],
    ]);
    for (const x of layouts([3, 4])) {
      expect(gradcheck((a, s) => scatter(a, 0, distinct, s), [x, src])).toBe(true);
      expect(gradcheck((a) => scatter(a, 0, index, 2.5), [x])).toBe(true);
      expect(gradcheck((a, s) => scatterAdd(a, 0, index, s), [x, src])).toBe(true);
      expect(gradcheck((a, s) => indexAdd(a, 0, [2, 2], s, -1.5), [x, src])).toBe(true);
      expect(gradcheck((a, s) => indexCopy(a, -1, [3, 0], s), [x, columns])).toBe(true);
      expect(gradcheck((a) => indexFill(a, 1, [0, 2], -1), [x])).toBe(true);
    }
    expect(gradgradcheck((a, s) => scatterAdd(a, 0, index, s).square(), [layouts([3, 4])[1]!, src])).toBe(
      true,
    );
  });

  it('scatterReduce sum, mean, amax, amin (with and without self)', () => {
    const src = randn([2, 4], f64).requiresGrad_();
    for (const includeSelf of [true, false]) {
      for (const reduce of ['sum', 'mean', 'amax', 'amin'] as const) {
        const [x] = layouts([3, 4]);
        const ok = gradcheck((a, s) => scatterReduce(a, 0, index, s, reduce, { includeSelf }), [x!, src]);
        expect(ok, `${reduce} includeSelf=${includeSelf}`).toBe(true);
      }
    }
  });

  it('scatterReduce prod, with zeros in self and src (one and two per position)', () => {
    const index2 = idx([
      [0, 1, 2, 0],
      [0, 1, 1, 2],
    ]);
    for (const includeSelf of [true, false]) {
      const [x] = layouts([3, 4]);
      const src = randn([2, 4], f64).requiresGrad_();
      expect(gradcheck((a, s) => scatterReduce(a, 0, index2, s, 'prod', { includeSelf }), [x!, src])).toBe(
        true,
      );
      // Zeros: x[0,0] (self), src[0,1] alone on its position, src[0,0] and src[1,0] together.
      const xz = tensor(
        [
          [0, 2, -1, 0.5],
          [1.5, -2, 3, 1],
          [0.7, 1, -0.3, 2],
        ],
        { dtype: 'float64' },
      ).requiresGrad_();
      const sz = tensor(
        [
          [0, 0, 1.2, -0.8],
          [0, 1.1, 0.9, 2],
        ],
        { dtype: 'float64' },
      ).requiresGrad_();
      const f = (a: Tensor, s: Tensor) => scatterReduce(a, 0, index2, s, 'prod', { includeSelf });
      expect(gradcheck(f, [xz, sz]), `zeros includeSelf=${includeSelf}`).toBe(true);
      expect(gradgradcheck(f, [x!, src]), `double includeSelf=${includeSelf}`).toBe(true);
    }
  });
});

describe('gradients of sort and topk values', () => {
  it('flow through the selected elements', () => {
    check([3, 4], (x) => sort(x, 0).values);
    check([3, 4], (x) => sort(x, -1, true).values);
    check([3, 5], (x) => topk(x, 2, -1).values);
    check([3, 5], (x) => topk(x, 2, 0, { largest: false }).values);
    check([4, 3], (x) => kthvalue(x, 2, 0).values);
    const [x] = layouts([2, 5]);
    expect(gradgradcheck((t) => topk(t, 3).values.square(), [x!])).toBe(true);
  });

  it('random index tensors over random shapes', () => {
    for (let trial = 0; trial < 4; trial++) {
      const shape = [1 + (trial % 3), 2 + trial, 3];
      const dim = -1 - (trial % 3);
      const size = shape[shape.length + dim]!;
      const ix = randint(0, size, shape, { dtype: 'int32', generator: gen });
      check(shape, (x) => gather(x, dim, ix));
    }
  });
});
