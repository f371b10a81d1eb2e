import { TorchletError } from '@torchlet/tensor';

/** The Node built-ins this package uses, loaded lazily so the package also runs in browsers. */
interface NodeModules {
  'node:fs': typeof import('node:fs');
  'node:zlib': typeof import('node:zlib');
  'node:module': typeof import('node:module');
  'node:path': typeof import('node:path');
  'node:url': typeof import('node:url');
  'node:worker_threads': typeof import('node:worker_threads');
}

/** True when running under Node (not in a browser or a Web Worker). */
export const isNode: boolean =
  typeof process !== 'undefined' && typeof process.versions === 'object' && !!process.versions.node;

type BuiltinLoader = (name: string) => unknown;

function builtinLoader(): BuiltinLoader | undefined {
  if (!isNode) return undefined;
  return (process as unknown as { getBuiltinModule?: BuiltinLoader }).getBuiltinModule?.bind(process);
}

/**
 * A Node built-in, synchronously (`process.getBuiltinModule`, Node ≥ 20.16). `op` names the caller
 * for the error thrown elsewhere, which points to the asynchronous alternative.
 */
export function nodeModuleSync<K extends keyof NodeModules>(name: K, op: string): NodeModules[K] {
  const load = builtinLoader();
  if (!load) {
    throw new TorchletError(
      isNode
        ? `${op}: synchronous file access needs Node >= 20.16 (process.getBuiltinModule); use the async form (e.g. await MNIST.load())`
        : `${op}: synchronous file access needs Node; in a browser use the async form (e.g. await MNIST.load({ root: url }))`,
    );
  }
  return load(name) as NodeModules[K];
}

/** A Node built-in, loaded asynchronously (works on every Node version). Throws in browsers. */
export async function nodeModule<K extends keyof NodeModules>(name: K, op: string): Promise<NodeModules[K]> {
  if (!isNode) throw new TorchletError(`${op}: '${name}' is only available under Node`);
  const load = builtinLoader();
  if (load) return load(name) as NodeModules[K];
  return (await import(/* @vite-ignore */ name)) as NodeModules[K];
}
