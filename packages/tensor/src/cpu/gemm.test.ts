import { afterEach, describe, expect, it } from 'vitest';
import { gemm, hasWasmGemm, type MatRef, setGemmImpl } from './gemm.js';

/** A seeded uniform stream, so failures reproduce. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
}

function naive(m: number, n: number, k: number, a: MatRef, b: MatRef): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++)
        s +=
          a.data[a.offset + i * a.rowStride + p * a.colStride]! *
          b.data[b.offset + p * b.rowStride + j * b.colStride]!;
      out[i * n + j] = s;
    }
  return out;
}

/** A rows×cols operand stored transposed or not, at an offset, with a padded leading dimension. */
function operand(
  rows: number,
  cols: number,
  transposed: boolean,
  Ctor: typeof Float32Array | typeof Float64Array,
  rnd: () => number,
): MatRef {
  const ld = (transposed ? rows : cols) + 3;
  const data = new Ctor(5 + ld * (transposed ? cols : rows));
  for (let i = 0; i < data.length; i++) data[i] = rnd();
  return transposed
    ? { data, offset: 5, rowStride: 1, colStride: ld }
    : { data, offset: 5, rowStride: ld, colStride: 1 };
}

const SIZES: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 7],
  [4, 8, 1],
  [17, 9, 300],
  [130, 70, 9],
  [9, 2100, 3],
  [200, 33, 513],
];

describe('gemm', () => {
  afterEach(() => {
    setGemmImpl('auto');
  });

  it('loads the WebAssembly SIMD kernels on this platform', () => {
    expect(hasWasmGemm()).toBe(true);
  });

  for (const impl of ['auto', 'js'] as const) {
    for (const Ctor of [Float32Array, Float64Array]) {
      it(`${impl} ${Ctor.name} matches a naive product for strided and transposed operands`, () => {
        setGemmImpl(impl);
        const rnd = lcg(7);
        const tol = Ctor === Float32Array ? 1e-4 : 1e-12;
        for (const [m, n, k] of SIZES) {
          for (const [ta, tb] of [
            [false, false],
            [true, false],
            [false, true],
            [true, true],
          ] as const) {
            const a = operand(m, k, ta, Ctor, rnd);
            const b = operand(k, n, tb, Ctor, rnd);
            const ref = naive(m, n, k, a, b);
            const out = new Ctor(2 + m * (n + 1));
            gemm(m, n, k, a, b, { data: out, offset: 2, ld: n + 1 });
            let worst = 0;
            for (let i = 0; i < m; i++)
              for (let j = 0; j < n; j++)
                worst = Math.max(worst, Math.abs(out[2 + i * (n + 1) + j]! - ref[i * n + j]!));
            expect(worst, `${m}x${n}x${k} ta=${ta} tb=${tb}`).toBeLessThanOrEqual(tol * (1 + Math.sqrt(k)));
          }
        }
      });
    }
  }

  it('accumulates into the output and treats k = 0 as an empty sum', () => {
    const a: MatRef = { data: new Float32Array([1, 2]), offset: 0, rowStride: 2, colStride: 1 };
    const b: MatRef = { data: new Float32Array([3, 4]), offset: 0, rowStride: 1, colStride: 1 };
    const out = new Float32Array([10]);
    gemm(1, 1, 2, a, b, { data: out, offset: 0, ld: 1 }, true);
    expect(out[0]).toBe(21);
    gemm(1, 1, 0, a, b, { data: out, offset: 0, ld: 1 });
    expect(out[0]).toBe(0);
  });

  it('reads and writes blocked columns (one block per image) as the plain layout', () => {
    // A [2 × 6] and B [6 × 5] with columns in blocks of 2 and 3 (row pitch per block, blocks apart).
    const rnd = lcg(3);
    const [m, k, n] = [2, 6, 5];
    const a = new Float32Array(40).map(rnd);
    const b = new Float32Array(80).map(rnd);
    const aRef: MatRef = {
      data: a,
      offset: 1,
      rowStride: 2,
      colStride: 1,
      colBlocks: { size: 2, stride: 7 },
    };
    const bRef: MatRef = {
      data: b,
      offset: 2,
      rowStride: 3,
      colStride: 1,
      colBlocks: { size: 3, stride: 20 },
    };
    const at = (r: MatRef, i: number, j: number) =>
      r.data[
        r.offset +
          i * r.rowStride +
          (j % r.colBlocks!.size) +
          Math.floor(j / r.colBlocks!.size) * r.colBlocks!.stride
      ]!;
    const plainA = Float32Array.from({ length: m * k }, (_, t) => at(aRef, Math.floor(t / k), t % k));
    const plainB = Float32Array.from({ length: k * n }, (_, t) => at(bRef, Math.floor(t / n), t % n));
    const want = new Float32Array(m * n);
    gemm(
      m,
      n,
      k,
      { data: plainA, offset: 0, rowStride: k, colStride: 1 },
      { data: plainB, offset: 0, rowStride: n, colStride: 1 },
      { data: want, offset: 0, ld: n },
    );
    const out = new Float32Array(30);
    gemm(m, n, k, aRef, bRef, { data: out, offset: 1, ld: 3, colBlocks: { size: 3, stride: 10 } });
    const got = Array.from({ length: m * n }, (_, t) => {
      const [i, j] = [Math.floor(t / n), t % n];
      return out[1 + i * 3 + (j % 3) + Math.floor(j / 3) * 10]!;
    });
    expect(got).toEqual(Array.from(want));
  });

  it('multiplies int32 operands exactly', () => {
    const a: MatRef = { data: new Int32Array([1, 2, 3, 4]), offset: 0, rowStride: 2, colStride: 1 };
    const out = new Int32Array(4);
    gemm(2, 2, 2, a, a, { data: out, offset: 0, ld: 2 });
    expect([...out]).toEqual([7, 10, 15, 22]);
  });
});
