import { TorchletError } from '@torchlet/tensor';
import { isNode, nodeModule, nodeModuleSync } from '../node.js';

/** Whether `location` is a URL to fetch (http, https, blob, data) rather than a file path. */
export function isFetchUrl(location: string): boolean {
  return /^(https?|blob|data):/i.test(location) || !isNode;
}

/**
 * Where a DataLoader's Web Worker keeps the URL of the page that started it (set by the worker
 * bootstrap): the worker's own URL is a `blob:` one, against which no relative URL resolves.
 */
export const BASE_URL_KEY: unique symbol = Symbol.for('@torchlet/data.baseUrl');

type BrowserGlobals = {
  document?: { baseURI: string };
  location?: { href: string };
  [BASE_URL_KEY]?: string;
};

/** The URL relative locations resolve against: the page's, also inside DataLoader Web Workers. */
export function baseUrl(): string | undefined {
  if (isNode) return undefined;
  const g = globalThis as BrowserGlobals;
  return g.document?.baseURI ?? g[BASE_URL_KEY] ?? g.location?.href;
}

/** `location` as an absolute URL in browsers (resolved against {@link baseUrl}); unchanged under Node. */
export function resolveUrl(location: string): string {
  const base = baseUrl();
  if (base === undefined) return location;
  try {
    return new URL(location, base).href;
  } catch {
    return location;
  }
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
    const url = resolveUrl(location);
    const res = await fetch(url);
    if (!res.ok)
      throw new TorchletError(`${op}: fetching ${url} failed: HTTP ${res.status} ${res.statusText}`);
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
      return (await fetch(resolveUrl(location), { method: 'HEAD' })).ok;
    } catch {
      return false;
    }
  }
  const fs = await nodeModule('node:fs', op);
  return fs.existsSync(filePath(location));
}
