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
    const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    throw corrupt(op, name, e);
  }
}
