import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = dirname(fileURLToPath(import.meta.url));

/**
 * Workspace packages resolve to their TypeScript sources, so tests need no build step. Names match
 * exactly (`torchlet` must not capture `torchlet/gpu`, the umbrella's second entry).
 */
function workspaceAliases(): { find: RegExp; replacement: string }[] {
  const aliases = readdirSync(join(root, 'packages')).map((dir) => ({
    find: new RegExp(`^${dir === 'torchlet' ? 'torchlet' : `@torchlet/${dir}`}$`),
    replacement: join(root, 'packages', dir, 'src', 'index.ts'),
  }));
  aliases.push({ find: /^torchlet\/gpu$/, replacement: join(root, 'packages', 'torchlet', 'src', 'gpu.ts') });
  return aliases;
}

export default defineConfig({
  resolve: { alias: workspaceAliases() },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Learning checks take seconds alone, but CI runs every package at once on 2 cores.
    testTimeout: 120_000,
  },
});
