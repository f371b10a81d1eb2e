// Browser tests: the built site in headless Chromium. Vite builds the pages into a temporary
// directory (from the packages' sources, so never a stale dist), a tiny MNIST model trained here
// is served as the draw demo's model, TypeDoc renders one package's reference, and `vite preview`
// serves it all (it sends CSS as text/css, which Chromium requires of stylesheets).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, launchChromium, type Page } from '@torchlet/testing';
import { build, type PreviewServer, preview } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMnistExport, predictDigit } from './demos/mnist-model.js';
import { inkFromRgba, preprocessDigit } from './demos/preprocess.js';
import { docsViteConfig } from './site/vite-config.js';
import { mnistImages, tinyMnistExport } from './test-utils/tiny-model.js';

const SCALE = 10;

/**
 * An MNIST image drawn ×10 as the pad's RGBA pixels (ink in the alpha channel). Runs in Node and,
 * serialized, in the page, so only the 784 grey levels cross over.
 */
function padPixels(image: ArrayLike<number>, scale: number): Uint8ClampedArray<ArrayBuffer> {
  const side = 28 * scale;
  const rgba = new Uint8ClampedArray(side * side * 4);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      rgba[4 * (y * side + x) + 3] = Math.round(
        255 * image[Math.floor(y / scale) * 28 + Math.floor(x / scale)]!,
      );
    }
  }
  return rgba;
}

/** `node scripts/api.mjs --out <out> <packages>`, resolving when it succeeds. */
function runApi(out: string, ...packages: string[]): Promise<void> {
  const script = fileURLToPath(new URL('../scripts/api.mjs', import.meta.url));
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [script, '--out', out, ...packages], (err, _stdout, stderr) =>
      err ? reject(new Error(`api.mjs failed: ${stderr}`)) : resolve(),
    ),
  );
}

interface Bar {
  /** The probability shown, null before a prediction. */
  p: number | null;
  top: boolean;
}

describe('documentation site (headless Chromium)', () => {
  let dir: string;
  let browser: Browser;
  let server: PreviewServer;
  let origin: string;
  let modelBytes: Uint8Array;
  const errors: string[] = [];

  async function open(path: string): Promise<Page> {
    const page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(`${path}: ${e.message}`));
    page.on('response', (r) => {
      if (r.status() >= 400) errors.push(`${path}: HTTP ${r.status()} for ${r.url()}`);
    });
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${path}: ${m.text()}`);
    });
    await page.goto(`${origin}/${path}`);
    return page;
  }

  const bars = (page: Page): Promise<Bar[]> =>
    page.$$eval('#bars li', (lis) =>
      lis.map((li) => {
        const p = (li as HTMLElement).dataset.probability;
        return { p: p ? Number(p) : null, top: li.classList.contains('top') };
      }),
    );

  beforeAll(async () => {
    const start = performance.now();
    dir = mkdtempSync(join(tmpdir(), 'torchlet-docs-site-'));
    const config = docsViteConfig();
    // TypeDoc runs in a child process, in parallel with the build and the training here.
    const api = runApi(join(dir, 'api'), '@torchlet/optim');
    const [b] = await Promise.all([
      launchChromium(),
      build({
        ...config,
        logLevel: 'error',
        publicDir: false,
        build: { ...config.build, outDir: dir, emptyOutDir: false },
      }),
    ]);
    browser = b;
    modelBytes = tinyMnistExport(2000);
    mkdirSync(join(dir, 'models'));
    writeFileSync(join(dir, 'models/tiny.safetensors'), modelBytes);
    await api;
    server = await preview({
      ...config,
      logLevel: 'error',
      build: { outDir: dir },
      preview: { host: '127.0.0.1', port: 0, open: false },
    });
    origin = server.resolvedUrls!.local[0]!.replace(/\/$/, '');
    console.log(
      `site, model and API built and served in ${((performance.now() - start) / 1000).toFixed(1)} s`,
    );
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("predicts an MNIST test image in the browser as Node does, through the page's own path", async () => {
    const page = await open('demos/draw.html?model=../models/tiny.safetensors');
    await page.evaluate(() => window.torchletDraw!.ready);
    const clf = loadMnistExport(modelBytes);
    const { images, labels } = mnistImages(false, 3);
    for (let i = 0; i < 3; i++) {
      const image = images.subarray(i * 784, (i + 1) * 784);
      const rgba = padPixels(image, SCALE);
      const got = await page.evaluate(
        ([source, grey, scale]) => {
          const paint = new Function(`return ${source}`)() as typeof padPixels;
          const pad = document.querySelector<HTMLCanvasElement>('#pad')!;
          pad.getContext('2d')!.putImageData(new ImageData(paint(grey, scale), pad.width, pad.height), 0, 0);
          return window.torchletDraw!.predict();
        },
        [padPixels.toString(), Array.from(image), SCALE] as const,
      );
      const pixels = preprocessDigit(inkFromRgba(rgba, 28 * SCALE, 28 * SCALE))!;
      const want = predictDigit(clf, pixels);
      expect(got!.pixels).toEqual(Array.from(pixels));
      for (const [d, p] of got!.probabilities.entries()) expect(Math.abs(p - want[d]!)).toBeLessThan(1e-5);
      const shown = await bars(page);
      expect(shown.map((s) => s.p)).toEqual(got!.probabilities);
      expect(await page.textContent('#prediction')).toBe(String(got!.digit));
      expect(shown.findIndex((s) => s.top)).toBe(got!.digit);
      if (i === 0) expect(got!.digit).toBe(labels[0]); // a clear 7, even for this tiny model
    }
    await page.close();
  });

  it('reads a stroke drawn with the mouse: bars sum to 1 and the top class is shown', async () => {
    const page = await open('demos/draw.html?model=../models/tiny.safetensors');
    await page.evaluate(() => window.torchletDraw!.ready);
    expect((await bars(page)).every((b) => b.p === null)).toBe(true);
    const box = (await page.locator('#pad').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.52, box.y + box.height * 0.15);
    await page.mouse.down();
    for (let k = 1; k <= 12; k++) {
      await page.mouse.move(
        box.x + box.width * (0.52 - 0.01 * (k / 12)),
        box.y + box.height * (0.15 + (0.7 * k) / 12),
      );
    }
    await page.mouse.up();
    await page.waitForFunction(() => document.querySelector('#prediction')!.textContent !== '–');
    const shown = await bars(page);
    expect(shown.reduce((s, b) => s + b.p!, 0)).toBeCloseTo(1, 5);
    const top = shown.reduce((best, b, d) => (b.p! > shown[best]!.p! ? d : best), 0);
    expect(shown[top]!.top).toBe(true);
    expect(await page.textContent('#prediction')).toBe(String(top));
    expect(top).toBe(1);
    await page.click('#clear');
    expect(await page.textContent('#prediction')).toBe('–');
    await page.close();
  });

  it('trains in the playground: the loss falls', async () => {
    const page = await open('demos/playground.html');
    const loss = () => page.$eval('#loss', (e) => Number((e as HTMLElement).dataset.value));
    const before = await loss();
    expect(before).toBeGreaterThan(0.3);
    await page.click('#train');
    await page.waitForFunction(() => Number(document.querySelector('#steps')!.textContent) >= 30, null, {
      timeout: 20_000,
    });
    await page.click('#train');
    expect(await loss()).toBeLessThan(0.7 * before);
    // The boundary is drawn: the canvas is not blank.
    const painted = await page.$eval('#boundary', (c) => {
      const d = (c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, 360, 360).data;
      return d.some((v, i) => i % 4 === 3 && v > 0);
    });
    expect(painted).toBe(true);
    await page.close();
  });

  it('trains in the playground on the gpu device (WebGL2): the loss falls', async () => {
    const page = await open('demos/playground.html');
    const loss = () => page.$eval('#loss', (e) => Number((e as HTMLElement).dataset.value));
    await page.selectOption('select[name=device]', 'gpu');
    await page.waitForFunction(() => Number(document.querySelector('#steps')!.textContent) === 0);
    const before = await loss();
    for (let i = 0; i < 20; i++) await page.click('#step');
    await page.waitForFunction(() => Number(document.querySelector('#steps')!.textContent) >= 20);
    expect(await loss()).toBeLessThan(0.9 * before);
    await page.close();
  });

  it('renders the home page, a tutorial and the API reference, following the links', async () => {
    const page = await open('index.html');
    expect(await page.textContent('h1')).toBe('torchlet');
    await page.click('.site-nav a[href="tutorials/index.html"]');
    const first = page.locator('.tutorial-list a').first();
    const title = await first.textContent();
    await first.click();
    await page.waitForLoadState('load');
    expect(page.url()).toMatch(/\/tutorials\/[^/]+\.html$/);
    expect(await page.locator('.tutorial-list a[aria-current="page"]').textContent()).toBe(title);
    expect(await page.locator('main pre.hljs').count()).toBeGreaterThan(0);
    const css = await page.evaluate(() => getComputedStyle(document.querySelector('.site-header')!).display);
    expect(css).toBe('flex');
    await page.click('.site-nav a:text("API")');
    await page.waitForLoadState('load');
    expect(page.url()).toBe(`${origin}/api/index.html`);
    expect(await page.title()).toContain('@torchlet/optim');
    await page.close();
  });

  it('left no console errors', () => {
    expect(errors).toEqual([]);
  });
});
