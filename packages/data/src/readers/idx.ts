import { fmtShape } from '@torchlet/tensor';
import { readBytes, readBytesSync } from './files.js';
import { DataFormatError } from './format-error.js';
import { gunzip, gunzipSync, isGzip } from './gzip.js';

/** Element types an IDX file can declare (its third magic byte). */
export type IdxDType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** The contents of an IDX file: a dense row-major array with its shape. */
export interface IdxArray {
  dtype: IdxDType;
  shape: number[];
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const TYPES: Record<number, { dtype: IdxDType; size: number }> = {
  8: { dtype: 'uint8', size: 1 },
  9: { dtype: 'int8', size: 1 },
  11: { dtype: 'int16', size: 2 },
  12: { dtype: 'int32', size: 4 },
  13: { dtype: 'float32', size: 4 },
  14: { dtype: 'float64', size: 8 },
};

const hex = (n: number, width = 2) => `0x${n.toString(16).padStart(width, '0')}`;

/**
 * Parses an IDX file (LeCun's MNIST format: two zero bytes, a dtype byte, a dim count, big-endian
 * uint32 dims, then big-endian data). Gzip data is refused here; {@link readIdx} decompresses first.
 * Every field is checked, and the error names `name` and the mismatch. uint8 data is a view of
 * `bytes`, not a copy.
 */
export function parseIdx(bytes: Uint8Array, name = '<bytes>'): IdxArray {
  const fail = (why: string) => new DataFormatError(`readIdx: ${name}: ${why}`);
  if (bytes.length < 4) throw fail(`${bytes.length} bytes is too short for the 4-byte IDX magic number`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (isGzip(bytes)) throw fail('is gzip-compressed; decompress it first (readIdx does)');
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw fail(`bad magic number ${hex(magic, 8)}: an IDX file starts with two zero bytes`);
  }
  const type = TYPES[bytes[2]!];
  if (!type) {
    throw fail(
      `unknown dtype byte ${hex(bytes[2]!)} in magic number ${hex(magic, 8)} (expected 0x08 ubyte, 0x09 byte, 0x0b short, 0x0c int, 0x0d float or 0x0e double)`,
    );
  }
  const ndim = bytes[3]!;
  if (ndim === 0) throw fail('declares 0 dimensions');
  const headerSize = 4 + 4 * ndim;
  if (bytes.length < headerSize) {
    throw fail(
      `truncated header: ${ndim} dimensions need ${headerSize} header bytes, the file has ${bytes.length}`,
    );
  }
  const shape = Array.from({ length: ndim }, (_, i) => view.getUint32(4 + 4 * i));
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = count * type.size;
  const actual = bytes.length - headerSize;
  if (actual < expected) {
    throw fail(
      `truncated: shape ${fmtShape(shape)} of ${type.dtype} needs ${expected} data bytes, found ${actual} (${headerSize + expected} bytes expected in all)`,
    );
  }
  if (actual > expected) {
    throw fail(
      `${actual - expected} unexpected bytes after the data of shape ${fmtShape(shape)} of ${type.dtype}`,
    );
  }
  return { dtype: type.dtype, shape, data: decodeData(view, headerSize, count, type.dtype, bytes) };
}

function decodeData(
  view: DataView,
  start: number,
  n: number,
  dtype: IdxDType,
  bytes: Uint8Array,
): IdxArray['data'] {
  switch (dtype) {
    case 'uint8':
      return bytes.subarray(start, start + n);
    case 'int8':
      return new Int8Array(bytes.buffer, bytes.byteOffset + start, n);
    case 'int16': {
      const out = new Int16Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getInt16(start + 2 * i);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getInt32(start + 4 * i);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(start + 4 * i);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(start + 8 * i);
      return out;
    }
  }
}

/** Reads and parses an IDX file synchronously (Node), gunzipping it when it is gzip data. */
export function readIdxSync(path: string): IdxArray {
  let bytes = readBytesSync(path, 'readIdx');
  if (isGzip(bytes)) bytes = gunzipSync(bytes, path, 'readIdx');
  return parseIdx(bytes, path);
}

/** Reads and parses an IDX file or URL, gunzipping it when it is gzip data (zlib or DecompressionStream). */
export async function readIdx(location: string): Promise<IdxArray> {
  let bytes = await readBytes(location, 'readIdx');
  if (isGzip(bytes)) bytes = await gunzip(bytes, location, 'readIdx');
  return parseIdx(bytes, location);
}

/** Encodes an array as IDX bytes (big-endian), e.g. to write test fixtures or export data. */
export function encodeIdx(array: IdxArray): Uint8Array {
  const code = Number(Object.entries(TYPES).find(([, t]) => t.dtype === array.dtype)![0]);
  const size = TYPES[code]!.size;
  const header = 4 + 4 * array.shape.length;
  const out = new Uint8Array(header + array.data.length * size);
  const view = new DataView(out.buffer);
  out[2] = code;
  out[3] = array.shape.length;
  array.shape.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d);
  });
  const setters: Record<IdxDType, (o: number, v: number) => void> = {
    uint8: (o, v) => view.setUint8(o, v),
    int8: (o, v) => view.setInt8(o, v),
    int16: (o, v) => view.setInt16(o, v),
    int32: (o, v) => view.setInt32(o, v),
    float32: (o, v) => view.setFloat32(o, v),
    float64: (o, v) => view.setFloat64(o, v),
  };
  const set = setters[array.dtype];
  for (let i = 0; i < array.data.length; i++) set(header + i * size, array.data[i]!);
  return out;
}
