import { TorchletError } from '@torchlet/tensor';
import { isNode } from '../node.js';
import { exists, existsSync, joinPath } from '../readers/files.js';

/** Where an IDX dataset's files may be and what to tell a user who has none of them. */
export interface IdxSource {
  /** Dataset name, also the torchvision sub-directory (`root/MNIST/raw`). */
  name: string;
  /** Directories tried when no `root` is given (Node only). */
  defaultRoots(): string[];
  /** How to get the files, appended to the "not found" message. */
  help: string;
}

/** Base names of a split's images and labels (the original file names, without `.gz`). */
export function splitFiles(train: boolean): [string, string] {
  const prefix = train ? 'train' : 't10k';
  return [`${prefix}-images-idx3-ubyte`, `${prefix}-labels-idx1-ubyte`];
}

/** Directories to look in for a root: the root itself, then torchvision's layouts under it. */
function dirsOf(source: IdxSource, root: string): string[] {
  return [root, joinPath(root, `${source.name}/raw`), joinPath(root, source.name)];
}

function roots(source: IdxSource, root: string | undefined): string[] {
  if (root !== undefined) return [root];
  if (!isNode) {
    throw new TorchletError(
      `${source.name}: there is no default data location in a browser; pass { root: '<URL of a directory with the IDX files>' }`,
    );
  }
  return source.defaultRoots();
}

function notFound(source: IdxSource, train: boolean, tried: string[]): TorchletError {
  const [images, labels] = splitFiles(train);
  return new TorchletError(
    `${source.name}: cannot find the ${train ? 'train' : 'test'} split (${images}[.gz] and ${labels}[.gz]). Tried:\n` +
      `${tried.map((p) => `  ${p}`).join('\n')}\n${source.help}`,
  );
}

/** The images and labels files of a split, raw or gzipped, found synchronously (Node). */
export function locateSync(source: IdxSource, root: string | undefined, train: boolean): [string, string] {
  const tried: string[] = [];
  for (const dir of roots(source, root).flatMap((r) => dirsOf(source, r))) {
    const found = splitFiles(train).map((base) => {
      for (const name of [base, `${base}.gz`]) {
        const path = joinPath(dir, name);
        tried.push(path);
        if (existsSync(path, source.name)) return path;
      }
      return null;
    });
    if (found[0] && found[1]) return [found[0], found[1]];
  }
  throw notFound(source, train, tried);
}

/** As {@link locateSync}, asynchronously and also for URLs (browsers). */
export async function locate(
  source: IdxSource,
  root: string | undefined,
  train: boolean,
): Promise<[string, string]> {
  const tried: string[] = [];
  for (const dir of roots(source, root).flatMap((r) => dirsOf(source, r))) {
    const found: (string | null)[] = [];
    for (const base of splitFiles(train)) {
      let hit: string | null = null;
      for (const name of [base, `${base}.gz`]) {
        const path = joinPath(dir, name);
        tried.push(path);
        if (await exists(path, source.name)) {
          hit = path;
          break;
        }
      }
      found.push(hit);
    }
    if (found[0] && found[1]) return [found[0], found[1]];
  }
  throw notFound(source, train, tried);
}
