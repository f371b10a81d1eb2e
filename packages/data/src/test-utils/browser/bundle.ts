import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const packages = join(here, '../../../..');

/**
 * Bundles the browser test page and the worker dataset module into `outDir` as self-contained ES
 * modules (page.js, worker-dataset.js), from the TypeScript sources: no build step needed, as with
 * vitest's aliases. Each bundle carries its own copy of torchlet, as any worker module must.
 */
export async function bundleBrowserTests(outDir: string): Promise<void> {
  await build({
    entryPoints: [join(here, 'page.ts'), join(here, 'worker-dataset.ts')],
    outdir: outDir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    sourcemap: 'linked',
    alias: { '@torchlet/tensor': join(packages, 'tensor/src/index.ts') },
    logLevel: 'error',
  });
}
