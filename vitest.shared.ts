import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = dirname(fileURLToPath(import.meta.url));

/** Workspace packages resolve to their TypeScript sources, so tests need no build step. */
function workspaceAliases(): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (const dir of readdirSync(join(root, 'packages'))) {
    const name = dir === 'torchlet' ? 'torchlet' : `@torchlet/${dir}`;
    aliases[name] = join(root, 'packages', dir, 'src', 'index.ts');
  }
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
