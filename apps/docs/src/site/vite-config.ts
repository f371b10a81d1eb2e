import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InlineConfig } from 'vite';
import { docsPages } from './plugin.js';

/** The docs app's directory (holding `content/`, `src/`, `generated/`). */
export const DOCS_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Workspace packages resolved to their TypeScript sources, as the tests resolve them, so the site
 * never bundles a stale `dist/`; the MNIST app's `./models` export too.
 */
export function sourceAliases(): Record<string, string> {
  const repo = join(DOCS_ROOT, '../..');
  const aliases: Record<string, string> = {
    '@torchlet/mnist/models': join(repo, 'apps/mnist/src/models.ts'),
  };
  for (const dir of readdirSync(join(repo, 'packages'))) {
    if (dir === 'testing') continue;
    aliases[dir === 'torchlet' ? 'torchlet' : `@torchlet/${dir}`] = join(repo, 'packages', dir, 'src/index.ts');
  }
  return aliases;
}

/**
 * The site's Vite configuration: relative asset URLs (`base: './'`) so the build works from any
 * directory, `generated/` (API reference, demo model) copied in as public files.
 */
export function docsViteConfig(): InlineConfig {
  return {
    configFile: false,
    root: DOCS_ROOT,
    base: './',
    publicDir: join(DOCS_ROOT, 'generated'),
    resolve: { alias: sourceAliases() },
    plugins: [docsPages(DOCS_ROOT)],
    build: { outDir: join(DOCS_ROOT, 'dist'), emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2000 },
  };
}
