import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';

/** Where examples are written so that vitest's module graph (and its 'torchlet' alias) loads them. */
export const CACHE_DIR = join(dirname(fileURLToPath(import.meta.url)), '.cache');

/**
 * Runs one example as a fresh ES module and returns what it printed with `console.log`
 * (formatted as Node formats it, so tensors print through their inspect hook).
 */
export async function runExample(code: string, name: string): Promise<string> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const file = join(CACHE_DIR, `${name}.ts`);
  writeFileSync(file, code);
  const printed: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => {
    printed.push(format(...args));
  };
  try {
    await import(/* @vite-ignore */ file);
  } finally {
    console.log = original;
  }
  return printed.join('\n');
}

/** Removes the written examples. */
export function clearCache(): void {
  rmSync(CACHE_DIR, { recursive: true, force: true });
}
