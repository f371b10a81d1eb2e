// The device conformance cases in headless Chromium, where gpu.js runs on WebGL2 (SwiftShader):
// the same kernels as in Node, translated to GLSL instead of WebAssembly.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForBrowser, launchChromium, serveDir } from '@torchlet/testing';
import { describe, expect, it } from 'vitest';
import { CASES, type CaseResult } from './conformance/index.js';

async function runInChromium(): Promise<{ mode: string; results: Record<string, CaseResult[]> }> {
  const dir = mkdtempSync(join(tmpdir(), 'torchlet-gpu-'));
  const [browser] = await Promise.all([
    launchChromium(),
    bundleForBrowser([fileURLToPath(new URL('./conformance/page.ts', import.meta.url))], dir),
  ]);
  writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="page.js"></script>');
  const server = await serveDir(dir);
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${server.origin}/index.html`);
    await page.waitForFunction(() => typeof window.runConformance === 'function');
    const out = await page.evaluate(() => window.runConformance());
    expect(errors).toEqual([]);
    return out;
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('device conformance in Chromium (WebGL2)', async () => {
  const { mode, results } = await runInChromium();
  it('runs on WebGL2', () => {
    expect(mode).toBe('webgl2');
  });
  for (const [family, cases] of Object.entries(CASES)) {
    describe(family, () => {
      it.each(cases.map((c, i) => [c.name, i] as const))('%s', (_, i) => {
        const r = results[family]![i]!;
        expect(r.error ?? '').toBe('');
        expect(r.fallbacks).toEqual([]);
        expect(r.maxError).toBeLessThanOrEqual(cases[i]!.tol ?? 1e-5);
      });
    });
  }
});
