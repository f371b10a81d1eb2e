/**
 * Saving and loading state dicts as safetensors files in Node. `node:fs` is imported on first use,
 * so bundles for the browser (which use `serializeSafetensors` / `parseSafetensors`) never load it.
 */
import type { StateDict } from './module.js';
import {
  parseSafetensors,
  type SafetensorsContent,
  SafetensorsError,
  serializeSafetensors,
} from './safetensors.js';

/** Options of {@link save}. */
export interface SaveOptions {
  /** String key/value pairs stored in the header's `__metadata__`. */
  metadata?: Record<string, string>;
}

/**
 * Writes `stateDict` to `path` as safetensors. The bytes go to a temporary file in the same
 * directory, are flushed to disk and then renamed over `path`, so an interrupted or failed save
 * never leaves a half-written file in place of a good one.
 *
 * @example
 * await save(model.stateDict(), 'model.safetensors', { metadata: { epoch: '5' } });
 */
export async function save(stateDict: StateDict, path: string, options: SaveOptions = {}): Promise<void> {
  const fs = await import('node:fs/promises');
  const bytes = serializeSafetensors(stateDict, options.metadata);
  const tmp = `${path}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`;
  try {
    const handle = await fs.open(tmp, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

/** Reads a safetensors file: its tensors and its metadata. Errors name the file. */
export async function loadFile(path: string): Promise<SafetensorsContent> {
  const fs = await import('node:fs/promises');
  const bytes = await fs.readFile(path);
  try {
    return parseSafetensors(bytes);
  } catch (e) {
    if (e instanceof SafetensorsError) throw new SafetensorsError(`${e.message} (in ${path})`);
    throw e;
  }
}

/**
 * Reads the tensors of a safetensors file as a state dict.
 *
 * @example
 * model.loadStateDict(await load('model.safetensors'));
 */
export async function load(path: string): Promise<StateDict> {
  return (await loadFile(path)).tensors;
}
