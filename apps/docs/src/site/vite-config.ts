import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workspaceAliases } from '@torchlet/testing';
import type { InlineConfig } from 'vite';
import { docsPages } from './plugin.js';

/** The docs app's directory (holding `content/`, `src/`, `generated/`). */
export const DOCS_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The site's Vite configuration: relative asset URLs (`base: './'`) so the build works from any
 * directory, `generated/` (API reference, demo model) copied in as public files. Workspace
 * packages resolve to their sources (as in the tests), so the site never bundles a stale `dist/`.
 */
export function docsViteConfig(): InlineConfig {
  return {
    configFile: false,
    root: DOCS_ROOT,
    base: './',
    // Many pages, no client-side routing: a missing file is a 404, not the home page.
    appType: 'mpa',
    publicDir: join(DOCS_ROOT, 'generated'),
    resolve: { alias: workspaceAliases() },
    plugins: [docsPages(DOCS_ROOT)],
    build: {
      outDir: join(DOCS_ROOT, 'dist'),
      emptyOutDir: true,
      target: 'es2022',
      chunkSizeWarningLimit: 2000,
    },
  };
}
