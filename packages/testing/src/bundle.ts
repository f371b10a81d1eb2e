import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const packagesDir = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** Every workspace package mapped to its TypeScript entry, as vitest's aliases do for Node tests. */
export function workspaceSourceAliases(): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (const dir of readdirSync(packagesDir)) {
    if (dir === 'testing') continue;
    aliases[dir === 'torchlet' ? 'torchlet' : `@torchlet/${dir}`] = join(packagesDir, dir, 'src/index.ts');
  }
  return aliases;
}

/**
 * Bundles browser test modules into `outDir` as self-contained ES modules named after their
 * entries, from the TypeScript sources (no build step needed). Each bundle carries its own copy of
 * torchlet, as any worker module must.
 */
export async function bundleForBrowser(entryPoints: string[], outDir: string): Promise<void> {
  await build({
    entryPoints,
    outdir: outDir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    sourcemap: 'linked',
    alias: workspaceSourceAliases(),
    logLevel: 'error',
  });
}
