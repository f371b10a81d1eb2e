import { TorchletError } from '@torchlet/tensor';
import { isNode, nodeModule, nodeModuleSync } from '../node.js';

/** Whether `location` is a URL to fetch (http, https, blob, data) rather than a file path. */
export function isFetchUrl(location: string): boolean {
  return /^(https?|blob|data):/i.test(location) || !isNode;
}

/** `root/name` for a directory path or a URL prefix. */
export function joinPath(root: string, name: string): string {
  if (/^[a-z]+:/i.test(root) && !/^[A-Za-z]:[\\/]/.test(root))
    return new URL(name, root.endsWith('/') ? root : `${root}/`).href;
  return `${root.replace(/[\\/]+$/, '')}/${name}`;
}

function filePath(location: string): string {
  return location.startsWith('file:')
    ? nodeModuleSync('node:url', 'readFile').fileURLToPath(location)
    : location;
}

/** Reads a whole file synchronously (Node only). */
export function readBytesSync(location: string, op: string): Uint8Array {
  const fs = nodeModuleSync('node:fs', op);
  const buf = fs.readFileSync(filePath(location));
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Reads a whole file or URL: `fs` under Node, `fetch` for URLs and in browsers. */
export async function readBytes(location: string, op: string): Promise<Uint8Array> {
  if (isFetchUrl(location)) {
    const res = await fetch(location);
    if (!res.ok)
      throw new TorchletError(`${op}: fetching ${location} failed: HTTP ${res.status} ${res.statusText}`);
    return new Uint8Array(await res.arrayBuffer());
  }
  const fs = await nodeModule('node:fs', op);
  const buf = await fs.promises.readFile(filePath(location));
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Whether a file exists (synchronously, Node only). */
export function existsSync(location: string, op: string): boolean {
  return nodeModuleSync('node:fs', op).existsSync(filePath(location));
}

/** Whether a file or URL exists (a HEAD request for URLs). */
export async function exists(location: string, op: string): Promise<boolean> {
  if (isFetchUrl(location)) {
    try {
      return (await fetch(location, { method: 'HEAD' })).ok;
    } catch {
      return false;
    }
  }
  const fs = await nodeModule('node:fs', op);
  return fs.existsSync(filePath(location));
}
