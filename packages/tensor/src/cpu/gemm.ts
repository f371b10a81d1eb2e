import type { TypedArray } from '../dtype.js';
import { F32_TILE, F64_TILE, gemmModuleBytes } from './wasm/gemm-kernel.js';

/**
 * Columns that come in blocks of `size`, block `b` starting `stride` elements after block 0: column
 * j sits at `(j % size)·colStride + ⌊j / size⌋·stride`. This lets one gemm span several images of
 * an NCHW batch (each image's [C, H·W] slice is a block), as batched convolution needs.
 */
export interface ColBlocks {
  size: number;
  stride: number;
}

/** A strided matrix operand: element (i, j) is `data[offset + i * rowStride + j * colStride]`. */
export interface MatRef {
  data: TypedArray;
  offset: number;
  rowStride: number;
  colStride: number;
  /** Blocked columns (see {@link ColBlocks}); absent means one block. */
  colBlocks?: ColBlocks;
}

/** Where the product goes: element (i, j) is `data[offset + i * ld + j]` (or blocked columns). */
export interface OutRef {
  data: TypedArray;
  offset: number;
  ld: number;
  /** Blocked columns (unit stride within a block); absent means one block. */
  colBlocks?: ColBlocks;
}

/**
 * A micro-kernel engine: buffers for packed A and B blocks and a C block, and the macro-kernel that
 * multiplies them (see `wasm/gemm-kernel.ts` for the packed layouts).
 */
interface Engine {
  mr: number;
  nr: number;
  /** Returns packA, packB, c buffers with at least the given element counts. */
  buffers(packA: number, packB: number, c: number): [TypedArray, TypedArray, TypedArray];
  /** C[cOff…] += packA·packB over mPanels×nPanels tiles; `ldc` in elements. */
  macro(mPanels: number, nPanels: number, kc: number, cOff: number, ldc: number): void;
}

/** Blocking: A blocks of MC×KC stay in L2, a B micro-panel of KC×nr in L1, B blocks are ≤ KC×NC. */
const KC = 256;
const MC = 128;
const NC = 2048;

// ---------------------------------------------------------------------------------------------
// Pure-JS engine: the fallback and the reference the wasm kernels are tested against. Packed
// buffers are Float64Array whatever the dtype, so the hot loop is monomorphic and accumulates in
// double precision.

const JS_MR = 4;
const JS_NR = 4;
let jsPackA = new Float64Array(0);
let jsPackB = new Float64Array(0);
let jsC = new Float64Array(0);

function jsMacro(mPanels: number, nPanels: number, kc: number, cOff: number, ldc: number): void {
  const a = jsPackA;
  const b = jsPackB;
  const c = jsC;
  for (let jp = 0; jp < nPanels; jp++) {
    const bBase = jp * kc * JS_NR;
    for (let ip = 0; ip < mPanels; ip++) {
      let ai = ip * kc * JS_MR;
      let bi = bBase;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0; // biome-ignore format: tile
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0; // biome-ignore format: tile
      for (let p = 0; p < kc; p++, ai += JS_MR, bi += JS_NR) {
        const a0 = a[ai]!;
        const a1 = a[ai + 1]!;
        const a2 = a[ai + 2]!;
        const a3 = a[ai + 3]!;
        const b0 = b[bi]!;
        const b1 = b[bi + 1]!;
        const b2 = b[bi + 2]!;
        const b3 = b[bi + 3]!;
        c00 += a0 * b0;
        c01 += a0 * b1;
        c02 += a0 * b2;
        c03 += a0 * b3;
        c10 += a1 * b0;
        c11 += a1 * b1;
        c12 += a1 * b2;
        c13 += a1 * b3;
        c20 += a2 * b0;
        c21 += a2 * b1;
        c22 += a2 * b2;
        c23 += a2 * b3;
        c30 += a3 * b0;
        c31 += a3 * b1;
        c32 += a3 * b2;
        c33 += a3 * b3;
      }
      let o = cOff + ip * JS_MR * ldc + jp * JS_NR;
      c[o]! += c00;
      c[o + 1]! += c01;
      c[o + 2]! += c02;
      c[o + 3]! += c03;
      o += ldc;
      c[o]! += c10;
      c[o + 1]! += c11;
      c[o + 2]! += c12;
      c[o + 3]! += c13;
      o += ldc;
      c[o]! += c20;
      c[o + 1]! += c21;
      c[o + 2]! += c22;
      c[o + 3]! += c23;
      o += ldc;
      c[o]! += c30;
      c[o + 1]! += c31;
      c[o + 2]! += c32;
      c[o + 3]! += c33;
    }
  }
}

const jsEngine: Engine = {
  mr: JS_MR,
  nr: JS_NR,
  buffers(packA, packB, c) {
    if (jsPackA.length < packA) jsPackA = new Float64Array(packA);
    if (jsPackB.length < packB) jsPackB = new Float64Array(packB);
    if (jsC.length < c) jsC = new Float64Array(c);
    return [jsPackA, jsPackB, jsC];
  },
  macro: jsMacro,
};

// ---------------------------------------------------------------------------------------------
// WebAssembly SIMD engines (f32x4 and f64x2), sharing one module and one memory.

interface WasmGemm {
  memory: WebAssembly.Memory;
  gemmF32: (...args: number[]) => void;
  gemmF64: (...args: number[]) => void;
}

function instantiate(): WasmGemm | null {
  try {
    const bytes = gemmModuleBytes();
    if (!WebAssembly.validate(bytes)) return null;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    return instance.exports as unknown as WasmGemm;
  } catch {
    return null;
  }
}

const wasm = typeof WebAssembly === 'object' ? instantiate() : null;

function wasmEngine(
  tile: typeof F32_TILE,
  Ctor: Float32ArrayConstructor | Float64ArrayConstructor,
  run: (...args: number[]) => void,
): Engine {
  let base: [number, number, number] = [0, 0, 0];
  return {
    mr: tile.mr,
    nr: tile.nr,
    buffers(packA, packB, c) {
      const memory = wasm!.memory;
      // Regions 64-byte aligned: packA | packB | C.
      const align = (bytes: number) => Math.ceil(bytes / 64) * 64;
      const aBytes = align(packA * tile.size);
      const bBytes = align(packB * tile.size);
      const need = aBytes + bBytes + c * tile.size;
      if (memory.buffer.byteLength < need) {
        memory.grow(Math.ceil((need - memory.buffer.byteLength) / 65536));
      }
      base = [0, aBytes, aBytes + bBytes];
      const buf = memory.buffer;
      return [new Ctor(buf, base[0], packA), new Ctor(buf, base[1], packB), new Ctor(buf, base[2], c)];
    },
    macro(mPanels, nPanels, kc, cOff, ldc) {
      run(base[0], base[1], base[2] + cOff * tile.size, mPanels, nPanels, kc, ldc * tile.size);
    },
  };
}

const wasmF32 = wasm ? wasmEngine(F32_TILE, Float32Array, wasm.gemmF32) : null;
const wasmF64 = wasm ? wasmEngine(F64_TILE, Float64Array, wasm.gemmF64) : null;

/** Which micro-kernels gemm uses: WebAssembly SIMD when available ('auto'), or plain JS. */
export type GemmImpl = 'auto' | 'js';
let impl: GemmImpl = 'auto';

/** Selects the gemm micro-kernels (for tests and benchmarks); returns the previous choice. */
export function setGemmImpl(next: GemmImpl): GemmImpl {
  const prev = impl;
  impl = next;
  return prev;
}

/** Whether the WebAssembly SIMD kernels loaded on this platform. */
export function hasWasmGemm(): boolean {
  return wasm !== null;
}

function engineFor(data: TypedArray): Engine {
  if (impl === 'auto') {
    if (data instanceof Float32Array && wasmF32) return wasmF32;
    if (data instanceof Float64Array && wasmF64) return wasmF64;
  }
  return jsEngine;
}

// ---------------------------------------------------------------------------------------------
// Packing: strided operands are copied into the micro-kernels' panel layouts, padded with zeros to
// whole tiles. A transposed operand is just another pair of strides here; the loop order follows
// whichever stride is unit so reads stay sequential.

let colOffs = new Int32Array(256);

/** Offsets of columns j0..j0+count from their row's start (blocked or plain), in a shared table. */
function columnOffsets(src: MatRef, j0: number, count: number): Int32Array {
  if (colOffs.length < count) colOffs = new Int32Array(count);
  const cs = src.colStride;
  const blocks = src.colBlocks;
  if (!blocks) {
    for (let t = 0, o = j0 * cs; t < count; t++, o += cs) colOffs[t] = o;
    return colOffs;
  }
  const { size, stride } = blocks;
  let b = Math.floor(j0 / size);
  let within = j0 - b * size;
  for (let t = 0; t < count; t++) {
    colOffs[t] = within * cs + b * stride;
    if (++within === size) {
      within = 0;
      b++;
    }
  }
  return colOffs;
}

/** Packs rows i0..i0+m, cols p0..p0+kc of A into m/mr panels of kc×mr (column-interleaved). */
function packA(
  src: MatRef,
  i0: number,
  m: number,
  p0: number,
  kc: number,
  mr: number,
  dst: TypedArray,
): void {
  const { data, rowStride: rs, colStride: cs } = src;
  const off = columnOffsets(src, p0, kc);
  const blocked = src.colBlocks !== undefined;
  const panels = Math.ceil(m / mr);
  for (let ip = 0; ip < panels; ip++) {
    const rows = Math.min(mr, m - ip * mr);
    const d0 = ip * kc * mr;
    const s0 = src.offset + (i0 + ip * mr) * rs;
    for (let r = 0; r < rows; r++) {
      const s = s0 + r * rs;
      // Plain columns step by the stride; blocked ones go through the offset table.
      if (blocked) for (let p = 0, d = d0 + r; p < kc; p++, d += mr) dst[d] = data[s + off[p]!]!;
      else for (let p = 0, d = d0 + r, q = s + off[0]!; p < kc; p++, d += mr, q += cs) dst[d] = data[q]!;
    }
    for (let r = rows; r < mr; r++) for (let p = 0, d = d0 + r; p < kc; p++, d += mr) dst[d] = 0;
  }
}

/** Packs rows p0..p0+kc, cols j0..j0+n of B into n/nr panels of kc×nr (row-interleaved). */
function packB(
  src: MatRef,
  p0: number,
  kc: number,
  j0: number,
  n: number,
  nr: number,
  dst: TypedArray,
): void {
  const { data, rowStride: rs } = src;
  const off = columnOffsets(src, j0, n);
  const panels = Math.ceil(n / nr);
  const s0 = src.offset + p0 * rs;
  for (let jp = 0; jp < panels; jp++) {
    const cols = Math.min(nr, n - jp * nr);
    const d0 = jp * kc * nr;
    const first = off[jp * nr]!;
    // Unit-stride columns (within one block) copy row by row.
    if (cols === nr && off[jp * nr + nr - 1]! - first === nr - 1) {
      for (let p = 0; p < kc; p++) {
        const s = s0 + p * rs + first;
        const d = d0 + p * nr;
        for (let j = 0; j < nr; j++) dst[d + j] = data[s + j]!;
      }
      continue;
    }
    for (let j = 0; j < cols; j++) {
      let s = s0 + off[jp * nr + j]!;
      for (let p = 0, d = d0 + j; p < kc; p++, d += nr, s += rs) dst[d] = data[s]!;
    }
    for (let j = cols; j < nr; j++) for (let p = 0, d = d0 + j; p < kc; p++, d += nr) dst[d] = 0;
  }
}

/**
 * General matrix multiply: out[m×n] = a[m×k]·b[k×n] (or += with `accumulate`), for float32 or
 * float64 operands with any strides. Blocked for the caches (KC×NC blocks of B, MC×KC blocks of A),
 * packed into panels, and multiplied by a register-tiled micro-kernel (WebAssembly SIMD when
 * available, else plain JS).
 */
export function gemm(
  m: number,
  n: number,
  k: number,
  a: MatRef,
  b: MatRef,
  out: OutRef,
  accumulate = false,
): void {
  if (m === 0 || n === 0) return;
  if (k === 0) {
    if (!accumulate) forEachOutRun(out, m, 0, n, (d, _i, _j, len) => out.data.fill(0, d, d + len));
    return;
  }
  const eng = engineFor(out.data);
  const { mr, nr } = eng;
  const mp = Math.ceil(m / mr) * mr;
  const kcMax = Math.min(KC, k);
  const mcMax = Math.min(MC, mp);
  const ncMax = Math.min(NC, Math.ceil(n / nr) * nr);
  const [pa, pb, c] = eng.buffers(mcMax * kcMax, kcMax * ncMax, mp * ncMax);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    const ncp = Math.ceil(nc / nr) * nr;
    c.fill(0, 0, mp * ncp);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packB(b, pc, kc, jc, nc, nr, pb);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packA(a, ic, mc, pc, kc, mr, pa);
        eng.macro(Math.ceil(mc / mr), ncp / nr, kc, ic * ncp, ncp);
      }
    }
    copyOut(c, ncp, m, nc, out, jc, accumulate);
  }
}

/**
 * Calls `run(outIndex, row, column, length)` for every stretch of consecutive output elements among rows
 * 0..m, columns j0..j0+n (a row splits where column blocks end).
 */
function forEachOutRun(
  out: OutRef,
  m: number,
  j0: number,
  n: number,
  run: (d: number, i: number, j: number, len: number) => void,
): void {
  const size = out.colBlocks?.size ?? j0 + n;
  const stride = out.colBlocks?.stride ?? 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; ) {
      const col = j0 + j;
      const b = Math.floor(col / size);
      const within = col - b * size;
      const len = Math.min(size - within, n - j);
      run(out.offset + i * out.ld + b * stride + within, i, j, len);
      j += len;
    }
  }
}

function copyOut(
  c: TypedArray,
  ldc: number,
  m: number,
  n: number,
  out: OutRef,
  j0: number,
  accumulate: boolean,
): void {
  const o = out.data;
  forEachOutRun(out, m, j0, n, (d, i, j, len) => copyRow(c, i * ldc + j, o, d, len, accumulate));
}

function copyRow(c: TypedArray, s: number, o: TypedArray, d: number, n: number, accumulate: boolean): void {
  if (accumulate) for (let j = 0; j < n; j++) o[d + j]! += c[s + j];
  // A builtin copy (a memcpy when the element types match).
  else o.set(c.subarray(s, s + n), d);
}
