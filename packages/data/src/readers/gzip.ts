import { isNode, nodeModule, nodeModuleSync } from '../node.js';
import { DataFormatError } from './format-error.js';

/** Whether `bytes` start with the gzip magic number (1f 8b), whatever the file is called. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function corrupt(op: string, name: string, e: unknown): DataFormatError {
  return new DataFormatError(`${op}: ${name}: corrupt gzip data (${(e as Error).message ?? e})`);
}

/** Decompresses gzip data synchronously with Node's zlib. */
export function gunzipSync(bytes: Uint8Array, name: string, op: string): Uint8Array {
  const zlib = nodeModuleSync('node:zlib', op);
  try {
    const out = zlib.gunzipSync(bytes);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (e) {
    throw corrupt(op, name, e);
  }
}

/** Decompresses gzip data: zlib under Node, `DecompressionStream` in browsers. */
export async function gunzip(bytes: Uint8Array, name: string, op: string): Promise<Uint8Array> {
  try {
    if (isNode) {
      const zlib = await nodeModule('node:zlib', op);
      const out = await new Promise<Buffer>((resolve, reject) =>
        zlib.gunzip(bytes, (err, res) => (err ? reject(err) : resolve(res))),
      );
      return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    }
    const members: Uint8Array[] = [];
    for (let start = 0; start < bytes.length; ) {
      const [out, end] = await nextMember(bytes, start);
      members.push(out);
      start = end;
    }
    return concat(members);
  } catch (e) {
    throw corrupt(op, name, e);
  }
}

/**
 * Inflates the gzip member at `start` and returns it with where it ends. DecompressionStream reads
 * one member and rejects anything after it, while zlib (like `gzip -d`) reads concatenated members
 * (`cat a.gz b.gz`, bgzip). The end is not marked, but the next member starts with 1f 8b 08, so
 * when the rest is not one member, each such position is tried until one decompresses whole.
 */
async function nextMember(bytes: Uint8Array, start: number): Promise<[Uint8Array, number]> {
  let error: unknown;
  try {
    return [await inflateMember(bytes.subarray(start)), bytes.length];
  } catch (e) {
    error = e;
  }
  // 18 bytes: the smallest member (10-byte header, empty deflate data, 8-byte trailer) is 20.
  for (let p = start + 18; p + 2 < bytes.length; p++) {
    if (bytes[p] !== 0x1f || bytes[p + 1] !== 0x8b || bytes[p + 2] !== 0x08) continue;
    try {
      return [await inflateMember(bytes.subarray(start, p)), p];
    } catch {
      // Not the end of the member (a 1f 8b 08 inside its data): try the next candidate.
    }
  }
  throw error;
}

/** Inflates exactly one gzip member with DecompressionStream, reading chunks to keep its error message. */
async function inflateMember(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
  return concat(chunks);
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
