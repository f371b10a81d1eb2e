import { defineConfig } from 'vitest/config';
import { workspaceAliases } from './packages/testing/src/aliases.js';

export default defineConfig({
  // Workspace packages resolve to their TypeScript sources, so tests need no build step.
  resolve: { alias: workspaceAliases() },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Learning checks take seconds alone, but CI runs every package at once on 2 cores.
    testTimeout: 120_000,
  },
});
