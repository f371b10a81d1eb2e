import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';

/**
 * Where examples are written; vitest imports them like any module, so its 'torchlet' alias
 * applies. Outside the project, so watch mode does not rerun on these writes.
 */
export const CACHE_DIR = join(tmpdir(), `torchlet-doctest-${process.pid}`);

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
