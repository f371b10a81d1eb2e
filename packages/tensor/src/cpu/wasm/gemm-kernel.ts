import { assembleModule, Code, I32, V128 } from './encoder.js';

/** Shape of a register-tiled micro-kernel: an `mr`×`nr` tile of C held in SIMD locals. */
export interface MicroKernelShape {
  /** Rows of the tile (elements of A splatted per k step). */
  mr: number;
  /** Columns of the tile (a multiple of the vector width). */
  nr: number;
  /** Bytes per element. */
  size: number;
}

/** f32x4: a 4×8 tile is 8 accumulators + 2 B vectors + 1 splat, within the 16 SIMD registers. */
export const F32_TILE: MicroKernelShape = { mr: 4, nr: 8, size: 4 };
/** f64x2: a 4×4 tile, the same register budget. */
export const F64_TILE: MicroKernelShape = { mr: 4, nr: 4, size: 8 };

const SIMD = {
  load: 0x00,
  load32Splat: 0x09,
  load64Splat: 0x0a,
  store: 0x0b,
  const: 0x0c,
  f32x4Add: 0xe4,
  f32x4Mul: 0xe6,
  f64x2Add: 0xf0,
  f64x2Mul: 0xf2,
};

/**
 * The macro-kernel `(a, b, c, mPanels, nPanels, kc, ldc)`: for every packed B micro-panel (kc×nr,
 * row-interleaved) and every packed A micro-panel (kc×mr, column-interleaved), C[tile] += A·B.
 * B's micro-panel is the outer loop so it stays in L1 while A's block streams from L2. `ldc` is
 * C's row pitch in bytes; all sizes are padded to whole tiles by the packing, so there are no
 * edge cases here.
 */
function macroKernel({ mr, nr, size }: MicroKernelShape): Code {
  const isF32 = size === 4;
  const vecs = (nr * size) / 16;
  const add = isF32 ? SIMD.f32x4Add : SIMD.f64x2Add;
  const mul = isF32 ? SIMD.f32x4Mul : SIMD.f64x2Mul;
  const splat = isF32 ? SIMD.load32Splat : SIMD.load64Splat;
  const align = Math.log2(size);
  const [a, b, c, mPanels, nPanels, kc, ldc] = [0, 1, 2, 3, 4, 5, 6];
  const f = new Code(7);
  const jp = f.local(I32);
  const ip = f.local(I32);
  const ap = f.local(I32);
  const bp = f.local(I32);
  const row = f.local(I32);
  const k = f.local(I32);
  const acc = Array.from({ length: mr * vecs }, () => f.local(V128));
  const bv = Array.from({ length: vecs }, () => f.local(V128));
  const av = f.local(V128);

  f.i32(0).set(jp).block().loop();
  f.get(jp).get(nPanels).geU().brIf(1);
  f.i32(0).set(ip).block().loop();
  f.get(ip).get(mPanels).geU().brIf(1);
  // Panel starts: a + ip·kc·mr·size, b + jp·kc·nr·size.
  f.get(a)
    .get(ip)
    .get(kc)
    .mul()
    .i32(mr * size)
    .mul()
    .add()
    .set(ap);
  f.get(b)
    .get(jp)
    .get(kc)
    .mul()
    .i32(nr * size)
    .mul()
    .add()
    .set(bp);
  for (const r of acc)
    f.simd(SIMD.const)
      .op(...new Array<number>(16).fill(0))
      .set(r);
  f.get(kc).set(k).loop();
  bv.forEach((v, i) => {
    f.get(bp)
      .simd(SIMD.load, [4, i * 16])
      .set(v);
  });
  for (let r = 0; r < mr; r++) {
    f.get(ap)
      .simd(splat, [align, r * size])
      .set(av);
    for (let v = 0; v < vecs; v++) {
      const t = acc[r * vecs + v]!;
      f.get(t).get(av).get(bv[v]!).simd(mul).simd(add).set(t);
    }
  }
  f.inc(ap, mr * size).inc(bp, nr * size);
  f.get(k).i32(1).sub().set(k).get(k).brIf(0).end();
  // C tile at c + ip·mr·ldc + jp·nr·size, accumulated into.
  f.get(c)
    .get(ip)
    .i32(mr)
    .mul()
    .get(ldc)
    .mul()
    .add()
    .get(jp)
    .i32(nr * size)
    .mul()
    .add()
    .set(row);
  for (let r = 0; r < mr; r++) {
    for (let v = 0; v < vecs; v++) {
      f.get(row)
        .get(row)
        .simd(SIMD.load, [4, v * 16])
        .get(acc[r * vecs + v]!)
        .simd(add);
      f.simd(SIMD.store, [4, v * 16]);
    }
    f.inc(row, () => f.get(ldc));
  }
  f.inc(ip, 1).br(0).end().end();
  f.inc(jp, 1).br(0).end().end();
  return f;
}

/** Bytes of the module exporting `memory`, `gemmF32` and `gemmF64`. */
export function gemmModuleBytes(): Uint8Array<ArrayBuffer> {
  return assembleModule([
    { name: 'gemmF32', params: 7, code: macroKernel(F32_TILE) },
    { name: 'gemmF64', params: 7, code: macroKernel(F64_TILE) },
  ]);
}
