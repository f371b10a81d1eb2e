/**
 * The safetensors format (https://huggingface.co/docs/safetensors), read and written in memory so
 * it works in Node and the browser alike: an 8-byte little-endian header length, a JSON header
 * (`__metadata__` plus `{dtype, shape, data_offsets}` per tensor) padded with spaces to 8 bytes,
 * then the tensors' bytes, contiguous and in offset order.
 */
import { allocArray, type DType, itemSize, type Tensor, TorchletError, tensor } from '@torchlet/tensor';
import type { StateDict } from './module.js';

/** Thrown for a file that is not valid safetensors; the message says what is wrong. */
export class SafetensorsError extends TorchletError {
  override name = 'SafetensorsError';
}

/** Byte size of every dtype the format defines; others are refused as unknown. */
const DTYPE_BYTES: Record<string, number> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  I64: 8,
  U64: 8,
  F64: 8,
};

const WRITE_DTYPE: Record<DType, string> = { float32: 'F32', float64: 'F64', int32: 'I32', bool: 'BOOL' };

/** The reference writer orders tensors by dtype (F64, F32, I32, BOOL), then by name. */
const WRITE_ORDER: Record<DType, number> = { float64: 0, float32: 1, int32: 2, bool: 3 };

/** The reference implementation's limit, so a corrupt length cannot make us allocate gigabytes. */
const MAX_HEADER = 100_000_000;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** What a safetensors file holds: tensors by name, in offset order, and the string metadata. */
export interface SafetensorsContent {
  tensors: StateDict;
  metadata: Record<string, string>;
}

interface Entry {
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

function fail(reason: string): never {
  throw new SafetensorsError(`safetensors: ${reason}`);
}

/**
 * Encodes tensors (and optional string metadata) as safetensors bytes, laid out as the reference
 * implementation lays them out (by dtype from F64 down to BOOL, then by name; metadata keys
 * sorted), so every tensor is aligned to its element size and the bytes match its output.
 *
 * @example
 * const bytes = serializeSafetensors(model.stateDict(), { epoch: '3' });
 * new Blob([bytes]); // in the browser
 */
export function serializeSafetensors(tensors: StateDict, metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') fail(`metadata value for '${k}' must be a string, got ${typeof v}`);
    }
    header.__metadata__ = Object.fromEntries(
      Object.entries(metadata).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );
  }
  const names = Object.keys(tensors).sort((a, b) => {
    const d = WRITE_ORDER[tensors[a]!.dtype] - WRITE_ORDER[tensors[b]!.dtype];
    return d !== 0 ? d : a < b ? -1 : a > b ? 1 : 0;
  });
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const name of names) {
    if (name === '__metadata__' || name === '') fail(`'${name}' cannot be used as a tensor name`);
    const t = tensors[name]!;
    const bytes = toBytes(t);
    header[name] = {
      dtype: WRITE_DTYPE[t.dtype],
      shape: [...t.shape],
      data_offsets: [offset, offset + bytes.length],
    };
    chunks.push(bytes);
    offset += bytes.length;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let pos = 8 + json.length;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.length;
  }
  return out;
}

/** A tensor's elements as little-endian bytes in row-major order. */
function toBytes(t: Tensor): Uint8Array {
  const values = t.dataSync();
  if (LITTLE_ENDIAN || itemSize(t.dtype) === 1)
    return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const out = new Uint8Array(values.byteLength);
  const view = new DataView(out.buffer);
  const size = itemSize(t.dtype);
  for (let i = 0; i < values.length; i++) {
    if (t.dtype === 'float64') view.setFloat64(i * size, values[i]!, true);
    else if (t.dtype === 'float32') view.setFloat32(i * size, values[i]!, true);
    else view.setInt32(i * size, values[i]!, true);
  }
  return out;
}

/**
 * Decodes safetensors bytes (a Node Buffer, a Uint8Array or an ArrayBuffer, e.g. from `fetch`).
 * F32, F64, I32 and BOOL load as they are; F16 and BF16 as float32; I8, U8, I16, U16, U32, I64
 * and U64 as int32 (refused if a value does not fit). Truncated or corrupt files, unknown dtypes
 * and overlapping or gapped offsets are refused with the reason.
 */
export function parseSafetensors(data: ArrayBuffer | ArrayBufferView): SafetensorsContent {
  const bytes =
    data instanceof ArrayBuffer
      ? new Uint8Array(data)
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const { entries, metadata, dataStart } = parseHeader(bytes);
  const tensors: StateDict = {};
  for (const e of entries) {
    tensors[e.name] = decode(e, bytes.subarray(dataStart + e.begin, dataStart + e.end));
  }
  return { tensors, metadata };
}

/** Reads and validates the header: entries sorted by offset, metadata and where the data starts. */
export function parseHeader(bytes: Uint8Array): {
  entries: Entry[];
  metadata: Record<string, string>;
  dataStart: number;
} {
  if (bytes.length < 8) fail(`file is ${bytes.length} bytes, too short for the 8-byte header length`);
  const n = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER)) fail(`header length ${n} exceeds the limit of ${MAX_HEADER} bytes`);
  const headerLen = Number(n);
  if (8 + headerLen > bytes.length) {
    fail(`truncated file: header says ${headerLen} bytes but only ${bytes.length - 8} follow the length`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen));
  } catch {
    fail('header is not valid UTF-8');
  }
  if (!text.startsWith('{'))
    fail(`header must be a JSON object starting with '{', got '${text.slice(0, 20)}'`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    fail(`header is not valid JSON (${(e as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    fail('header must be a JSON object');
  const metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, info] of Object.entries(parsed as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (info === null || typeof info !== 'object' || Array.isArray(info))
        fail('__metadata__ must be an object');
      for (const [k, v] of Object.entries(info as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`__metadata__ value for '${k}' must be a string`);
        metadata[k] = v;
      }
      continue;
    }
    entries.push(checkEntry(name, info));
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  const dataLen = bytes.length - 8 - headerLen;
  let prev: Entry | null = null;
  let end = 0;
  for (const e of entries) {
    if (e.begin < end)
      fail(
        `tensors '${prev!.name}' and '${e.name}' overlap (offsets ${prev!.begin}..${prev!.end} and ${e.begin}..${e.end})`,
      );
    if (e.begin > end)
      fail(`gap before tensor '${e.name}': data_offsets start at ${e.begin}, previous data ends at ${end}`);
    end = e.end;
    prev = e;
  }
  if (end !== dataLen) {
    fail(
      end > dataLen
        ? `truncated file: tensors need ${end} data bytes but only ${dataLen} are present`
        : `${dataLen - end} unexpected bytes after the last tensor (data is ${dataLen} bytes, tensors end at ${end})`,
    );
  }
  return { entries, metadata, dataStart: 8 + headerLen };
}

function checkEntry(name: string, info: unknown): Entry {
  if (info === null || typeof info !== 'object') fail(`entry '${name}' must be an object`);
  const { dtype, shape, data_offsets: offsets } = info as Record<string, unknown>;
  if (typeof dtype !== 'string') fail(`tensor '${name}' has no dtype`);
  const size = DTYPE_BYTES[dtype];
  if (size === undefined) fail(`tensor '${name}' has unknown dtype '${dtype}'`);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    fail(`tensor '${name}' has an invalid shape ${JSON.stringify(shape)}`);
  }
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
    offsets[0] > offsets[1]
  ) {
    fail(`tensor '${name}' has invalid data_offsets ${JSON.stringify(offsets)}`);
  }
  const numel = (shape as number[]).reduce((a, b) => a * b, 1);
  const [begin, end] = offsets as [number, number];
  if (numel * size !== end - begin) {
    fail(
      `tensor '${name}': ${dtype} [${(shape as number[]).join(',')}] needs ${numel * size} bytes but data_offsets [${begin},${end}] span ${end - begin}`,
    );
  }
  return { name, dtype, shape: shape as number[], begin, end };
}

function decode(e: Entry, raw: Uint8Array): Tensor {
  const numel = e.shape.reduce((a, b) => a * b, 1);
  // Copying to a fresh buffer aligns the data, which typed array views require.
  const aligned = raw.slice().buffer;
  const view = new DataView(aligned);
  const fill = (dtype: DType, read: (i: number) => number): Tensor => {
    const out = allocArray(dtype, numel);
    for (let i = 0; i < numel; i++) out[i] = read(i);
    return tensor(out, { shape: e.shape, dtype });
  };
  const native = (
    dtype: DType,
    ctor: Float32ArrayConstructor | Float64ArrayConstructor | Int32ArrayConstructor,
  ) => tensor(new ctor(aligned), { shape: e.shape, dtype });
  const toInt = (read: (i: number) => number | bigint): Tensor =>
    fill('int32', (i) => {
      const v = Number(read(i));
      if (v < -2147483648 || v > 2147483647)
        fail(`tensor '${e.name}': ${e.dtype} value ${v} does not fit in int32`);
      return v;
    });
  switch (e.dtype) {
    case 'F32':
      return LITTLE_ENDIAN
        ? native('float32', Float32Array)
        : fill('float32', (i) => view.getFloat32(i * 4, true));
    case 'F64':
      return LITTLE_ENDIAN
        ? native('float64', Float64Array)
        : fill('float64', (i) => view.getFloat64(i * 8, true));
    case 'I32':
      return LITTLE_ENDIAN ? native('int32', Int32Array) : fill('int32', (i) => view.getInt32(i * 4, true));
    case 'BOOL':
      return fill('bool', (i) => (raw[i] !== 0 ? 1 : 0));
    case 'F16':
      return fill('float32', (i) => halfToFloat(view.getUint16(i * 2, true)));
    case 'BF16':
      return fill('float32', (i) => bf16ToFloat(view.getUint16(i * 2, true)));
    case 'U8':
      return toInt((i) => view.getUint8(i));
    case 'I8':
      return toInt((i) => view.getInt8(i));
    case 'I16':
      return toInt((i) => view.getInt16(i * 2, true));
    case 'U16':
      return toInt((i) => view.getUint16(i * 2, true));
    case 'U32':
      return toInt((i) => view.getUint32(i * 4, true));
    case 'I64':
      return toInt((i) => view.getBigInt64(i * 8, true));
    case 'U64':
      return toInt((i) => view.getBigUint64(i * 8, true));
    default:
      return fail(`tensor '${e.name}' has dtype ${e.dtype}, which torchlet cannot load`);
  }
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

const BF16_SCRATCH = new DataView(new ArrayBuffer(4));

function bf16ToFloat(h: number): number {
  BF16_SCRATCH.setUint32(0, h << 16);
  return BF16_SCRATCH.getFloat32(0);
}
