import { existsSync, readFileSync } from 'node:fs';
import { parseSafetensors, serializeSafetensors } from '@torchlet/nn';
import { Tensor, TorchletError } from '@torchlet/tensor';
import { writeFileAtomic } from './atomic.js';

/** JSON with tensors anywhere inside (optimizer and model state). */
export type Stateful =
  | Tensor
  | string
  | number
  | boolean
  | null
  | undefined
  | Stateful[]
  | { [key: string]: Stateful };

const MARK = '$tensor';
const META_KEY = 'torchlet.checkpoint';

/** Moves every tensor of `value` into `tensors` under a path-like key, leaving `{ $tensor: key }`. */
function extractTensors(value: Stateful, key: string, tensors: Record<string, Tensor>): unknown {
  if (value instanceof Tensor) {
    tensors[key] = value.detach();
    return { [MARK]: key };
  }
  if (Array.isArray(value)) return value.map((v, i) => extractTensors(v, `${key}.${i}`, tensors));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, extractTensors(v, `${key}.${k}`, tensors)]),
    );
  }
  return value;
}

/** The inverse of {@link extractTensors}. */
function restoreTensors(value: unknown, tensors: Record<string, Tensor>, file: string): Stateful {
  if (Array.isArray(value)) return value.map((v) => restoreTensors(v, tensors, file));
  if (value !== null && typeof value === 'object') {
    const ref = (value as Record<string, unknown>)[MARK];
    if (typeof ref === 'string') {
      const t = tensors[ref];
      if (!t) throw new TorchletError(`checkpoint ${file}: tensor '${ref}' named in the metadata is missing`);
      return t;
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, restoreTensors(v, tensors, file)]));
  }
  return value as Stateful;
}

/**
 * Writes `state` (JSON with tensors inside) as one safetensors file: tensors as entries, the rest
 * as JSON in the metadata. The write is atomic: a crash leaves the previous checkpoint intact.
 */
export function saveCheckpoint(path: string, state: Record<string, Stateful>): void {
  const tensors: Record<string, Tensor> = {};
  const json = extractTensors(state, 'state', tensors);
  writeFileAtomic(path, serializeSafetensors(tensors, { [META_KEY]: JSON.stringify(json) }));
}

/** Reads a checkpoint written by {@link saveCheckpoint}; a corrupt file is refused with the reason. */
export function loadCheckpoint(path: string): Record<string, Stateful> {
  if (!existsSync(path)) throw new TorchletError(`checkpoint ${path} does not exist`);
  let content: ReturnType<typeof parseSafetensors>;
  try {
    content = parseSafetensors(readFileSync(path));
  } catch (err) {
    throw new TorchletError(`checkpoint ${path} is corrupt: ${(err as Error).message}`);
  }
  const meta = content.metadata?.[META_KEY];
  if (meta === undefined)
    throw new TorchletError(
      `checkpoint ${path} has no '${META_KEY}' metadata: not a torchlet-mnist checkpoint`,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(meta);
  } catch (err) {
    throw new TorchletError(
      `checkpoint ${path} is corrupt: its metadata is not valid JSON (${(err as Error).message})`,
    );
  }
  return restoreTensors(parsed, content.tensors, path) as Record<string, Stateful>;
}
