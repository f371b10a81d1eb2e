// Device kernels against the CPU kernels, in this process's gpu.js mode (WebAssembly in Node).
// The same cases run in headless Chromium on WebGL2 in browser.test.ts.
import { describe, expect, it } from 'vitest';
import { CASES, runCase } from './conformance/index.js';
import './index.js';

for (const [family, cases] of Object.entries(CASES)) {
  describe(`device conformance: ${family}`, () => {
    it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
      const result = runCase(c, 'gpu');
      expect(result.error ?? '').toBe('');
      expect(result.fallbacks).toEqual([]);
      expect(result.maxError).toBeLessThanOrEqual(c.tol ?? 1e-5);
    });
  });
}
