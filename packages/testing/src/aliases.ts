import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Every workspace import a test, bundle or dev build may use, mapped to its TypeScript source, so
 * nothing depends on a (possibly stale) build: each package, the umbrella's `torchlet/gpu` entry
 * and the trainer's `@torchlet/mnist/models`.
 */
export function workspaceSources(): Record<string, string> {
  const sources: Record<string, string> = {};
  for (const dir of readdirSync(join(repo, 'packages'))) {
    sources[dir === 'torchlet' ? 'torchlet' : `@torchlet/${dir}`] = join(
      repo,
      'packages',
      dir,
      'src/index.ts',
    );
  }
  sources['torchlet/gpu'] = join(repo, 'packages/torchlet/src/gpu.ts');
  sources['@torchlet/mnist/models'] = join(repo, 'apps/mnist/src/models.ts');
  return sources;
}

/** {@link workspaceSources} as Vite/Vitest aliases matching whole import names only. */
export function workspaceAliases(): { find: RegExp; replacement: string }[] {
  return Object.entries(workspaceSources()).map(([name, replacement]) => ({
    find: new RegExp(`^${name.replace(/[/.]/g, '\\$&')}$`),
    replacement,
  }));
}
