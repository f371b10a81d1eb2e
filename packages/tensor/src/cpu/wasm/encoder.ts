/**
 * A minimal WebAssembly binary writer: enough to emit the SIMD gemm micro-kernels as bytes from
 * TypeScript, so the kernels need no external toolchain, no build step and no fetch (the module is
 * assembled at import time and compiled synchronously; it stays well under the 4 KiB limit browsers
 * put on synchronous compilation on the main thread).
 */

/** Value types used by the kernels. */
export const I32 = 0x7f;
/** The 128-bit SIMD vector type. */
export const V128 = 0x7b;

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (32-bit). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    const done = (n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/** Emits a function body instruction by instruction; locals are numbered after the params. */
export class Code {
  readonly bytes: number[] = [];
  private readonly locals: number[] = [];

  constructor(private readonly paramCount: number) {}

  /** Declares a local of `type` and returns its index. */
  local(type: number): number {
    this.locals.push(type);
    return this.paramCount + this.locals.length - 1;
  }

  get(i: number): this {
    return this.op(0x20, ...uleb(i));
  }
  set(i: number): this {
    return this.op(0x21, ...uleb(i));
  }
  i32(n: number): this {
    return this.op(0x41, ...sleb(n));
  }
  add(): this {
    return this.op(0x6a);
  }
  sub(): this {
    return this.op(0x6b);
  }
  mul(): this {
    return this.op(0x6c);
  }
  geU(): this {
    return this.op(0x4f);
  }
  /** `block` / `loop` with no result; `end` closes either. */
  block(): this {
    return this.op(0x02, 0x40);
  }
  loop(): this {
    return this.op(0x03, 0x40);
  }
  end(): this {
    return this.op(0x0b);
  }
  br(depth: number): this {
    return this.op(0x0c, ...uleb(depth));
  }
  brIf(depth: number): this {
    return this.op(0x0d, ...uleb(depth));
  }
  /** A SIMD instruction (0xfd prefix) with optional memory immediate (align log2, offset). */
  simd(opcode: number, memarg?: [number, number]): this {
    this.op(0xfd, ...uleb(opcode));
    if (memarg) this.bytes.push(...uleb(memarg[0]), ...uleb(memarg[1]));
    return this;
  }
  /** `local += delta` for an i32 local. */
  inc(i: number, delta: number | (() => void)): this {
    this.get(i);
    if (typeof delta === 'number') this.i32(delta);
    else delta();
    return this.add().set(i);
  }
  op(...bytes: number[]): this {
    this.bytes.push(...bytes);
    return this;
  }

  /** The encoded body: local declarations, instructions, `end`. */
  encode(): number[] {
    const groups: [number, number][] = [];
    for (const t of this.locals) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    const body = [
      ...uleb(groups.length),
      ...groups.flatMap(([n, t]) => [...uleb(n), t]),
      ...this.bytes,
      0x0b,
    ];
    return [...uleb(body.length), ...body];
  }
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function name(s: string): number[] {
  const b = [...new TextEncoder().encode(s)];
  return [...uleb(b.length), ...b];
}

/** One exported function: its i32 parameter count (no results) and its body. */
export interface FunctionDef {
  name: string;
  params: number;
  code: Code;
}

/** Assembles a module with one exported, growable memory (`memory`) and the given functions. */
export function assembleModule(functions: readonly FunctionDef[]): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...uleb(f.params), ...new Array<number>(f.params).fill(I32), 0]);
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(5, vec([[0x00, ...uleb(1)]])),
    ...section(
      7,
      vec([[...name('memory'), 0x02, 0x00], ...functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)])]),
    ),
    ...section(10, vec(functions.map((f) => f.code.encode()))),
  ];
  return new Uint8Array(bytes);
}
