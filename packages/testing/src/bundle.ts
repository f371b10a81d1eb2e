import { build } from 'esbuild';
import { workspaceSources } from './aliases.js';

/** Package-level aliases for esbuild, which maps subpaths itself (`pkg/sub` → `<pkg>/sub`). */
export function workspaceSourceAliases(): Record<string, string> {
  const isSubpath = (name: string) => name.split('/').length > (name.startsWith('@') ? 2 : 1);
  return Object.fromEntries(Object.entries(workspaceSources()).filter(([name]) => !isSubpath(name)));
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
    // Node-only paths (file I/O) import node: modules lazily; they are never reached in a page.
    external: ['node:*'],
    logLevel: 'error',
  });
}
