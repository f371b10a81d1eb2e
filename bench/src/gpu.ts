/**
 * Device benchmark: torchlet's gpu device (gpu.js, WebGL2) against TensorFlow.js's webgl backend
 * and torchlet's CPU kernels, all in one headless Chromium page (SwiftShader: WebGL2 emulated on
 * this machine's 2 CPU cores, so absolute numbers say little; the ratios compare the libraries on
 * the same emulated device).
 *
 *   node dist/gpu.js [--rounds 3] [--budget 300] [--only mlp] [--write]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForBrowser, launchChromium, serveDir } from '@torchlet/testing';
import type { RowResult } from './gpu/page.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) =>
  Number(args[args.indexOf(name) + 1] ?? fallback) || fallback;
const rounds = args.includes('--rounds') ? option('--rounds', 3) : 3;
const budget = args.includes('--budget') ? option('--budget', 300) : 300;
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;

const dir = mkdtempSync(join(tmpdir(), 'torchlet-gpu-bench-'));
const page = fileURLToPath(new URL('../src/gpu/page.ts', import.meta.url));
const [browser] = await Promise.all([launchChromium(), bundleForBrowser([page], dir)]);
writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="page.js"></script>');
const server = await serveDir(dir);
try {
  const tab = await browser.newPage();
  tab.setDefaultTimeout(0);
  await tab.goto(`${server.origin}/index.html`);
  await tab.waitForFunction(() => 'runGpuBench' in globalThis);
  const { mode, rows } = (await tab.evaluate(
    ([r, b, o]) =>
      (globalThis as unknown as { runGpuBench: (...a: unknown[]) => Promise<unknown> }).runGpuBench(r, b, o),
    [rounds, budget, only] as const,
  )) as { mode: string; rows: RowResult[] };
  const table = render(mode, rows);
  console.log(table);
  if (args.includes('--write')) writeSection(table);
} finally {
  await browser.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}

function render(mode: string, rows: RowResult[]): string {
  const fmt = (v: number | null) => (v === null ? 'cannot run' : v < 10 ? v.toFixed(2) : v.toFixed(1));
  const ratio = (a: number | null, b: number | null) => (a && b ? `${(b / a).toFixed(2)}×` : '–');
  const lines = [
    `Headless Chromium ${rounds} rounds, medians in ms per call; gpu.js mode: ${mode}. Ratios > 1: torchlet gpu is faster.`,
    '',
    '| work | torchlet gpu | tfjs webgl | torchlet cpu | vs tfjs webgl | vs torchlet cpu |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    const g = r.ms['torchlet gpu'];
    lines.push(
      `| ${r.name} | ${fmt(g)} | ${fmt(r.ms['tfjs webgl'])} | ${fmt(r.ms['torchlet cpu'])} | ${ratio(g, r.ms['tfjs webgl'])} | ${ratio(g, r.ms['torchlet cpu'])} |`,
    );
  }
  return lines.join('\n');
}

/**
 * Replaces the device table in RESULTS.md (from its "Headless Chromium" line to the section's
 * end), keeping the prose above it; appends the section when missing.
 */
function writeSection(table: string): void {
  const path = fileURLToPath(new URL('../RESULTS.md', import.meta.url));
  const heading = '## Device: torchlet gpu (gpu.js WebGL2) vs TensorFlow.js webgl, in Chromium';
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf(heading);
  if (start < 0) {
    writeFileSync(path, `${text.trimEnd()}\n\n${heading}\n\n${table}\n`);
    return;
  }
  const tableStart = text.indexOf('Headless Chromium', start);
  const end = text.indexOf('\n## ', start + heading.length);
  const from = tableStart < 0 || (end >= 0 && tableStart > end) ? start + heading.length + 1 : tableStart;
  writeFileSync(path, `${text.slice(0, from)}${table}\n${end < 0 ? '' : text.slice(end)}`);
}
