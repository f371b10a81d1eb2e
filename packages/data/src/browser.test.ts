// Browser tests: the package's browser paths (fetch, DecompressionStream, Web Workers) in headless
// Chromium. Node bundles the page and a worker dataset module with esbuild, writes small IDX files
// (raw and gzip), serves them on 127.0.0.1 and runs scenarios from test-utils/browser/page.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from '@torchlet/testing';
import { bundleForBrowser, launchChromium, type StaticServer, serveDir } from '@torchlet/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeIdx, type IdxArray } from './index.js';
import type { LoaderScenario, Scenarios } from './test-utils/browser/page.js';
import { tempDir, writeFile } from './test-utils/temp-dir.js';

const H = 4;
const W = 3;
const pixel = (n: number, k: number) => (n * 37 + k * 11) % 256;
const images = (n: number): IdxArray => ({
  dtype: 'uint8',
  shape: [n, H, W],
  data: Uint8Array.from({ length: n * H * W }, (_, j) => pixel(Math.floor(j / (H * W)), j % (H * W))),
});
const labels = (n: number): IdxArray => ({
  dtype: 'uint8',
  shape: [n],
  data: Uint8Array.from({ length: n }, (_, i) => (i * 3) % 10),
});

const ARRAYS: Record<string, IdxArray> = {
  u8: { dtype: 'uint8', shape: [2, 3], data: Uint8Array.of(0, 1, 127, 128, 254, 255) },
  i8: { dtype: 'int8', shape: [3], data: Int8Array.of(-128, 0, 127) },
  i16: { dtype: 'int16', shape: [2, 2], data: Int16Array.of(-32768, -1, 256, 32767) },
  i32: { dtype: 'int32', shape: [3], data: Int32Array.of(-(2 ** 31), 65536, 2 ** 31 - 1) },
  f32: { dtype: 'float32', shape: [1, 3], data: Float32Array.of(-1.5, 0.1, 3e38) },
  f64: { dtype: 'float64', shape: [2], data: Float64Array.of(Math.PI, -1e-300) },
};

/** Writes the fixtures: IDX arrays raw and gzipped, MNIST raw at a root and gzipped in torchvision's layout. */
function writeFixtures(dir: string): void {
  mkdirSync(join(dir, 'idx'));
  for (const [name, a] of Object.entries(ARRAYS)) {
    writeFile(join(dir, 'idx'), `${name}.idx`, encodeIdx(a));
    writeFile(join(dir, 'idx'), `${name}.idx.gz`, encodeIdx(a));
  }
  const [head, tail] = [encodeIdx(ARRAYS.i16!).subarray(0, 6), encodeIdx(ARRAYS.i16!).subarray(6)];
  writeFileSync(join(dir, 'idx', 'members.gz'), Buffer.concat([gzipSync(head), gzipSync(tail)]));
  writeFileSync(join(dir, 'idx', 'cut.gz'), gzipSync(encodeIdx(ARRAYS.f64!)).subarray(0, 20));
  writeFile(join(dir, 'idx'), 'short.idx.gz', encodeIdx(ARRAYS.i32!).subarray(0, 17));
  const raw = join(dir, 'mnist-raw');
  const gzRoot = join(dir, 'mnist-gz', 'MNIST', 'raw');
  mkdirSync(raw);
  mkdirSync(gzRoot, { recursive: true });
  for (const [prefix, n] of [
    ['train', 10],
    ['t10k', 4],
  ] as const) {
    for (const [d, ext] of [
      [raw, ''],
      [gzRoot, '.gz'],
    ] as const) {
      writeFile(d, `${prefix}-images-idx3-ubyte${ext}`, encodeIdx(images(n)));
      writeFile(d, `${prefix}-labels-idx1-ubyte${ext}`, encodeIdx(labels(n)));
    }
  }
  writeFile(
    dir,
    'index.html',
    new TextEncoder().encode('<!doctype html><script type="module" src="/page.js"></script>'),
  );
}

describe('browser (headless Chromium)', () => {
  let browser: Browser;
  let page: Page;
  let server: StaticServer;
  let origin = '';
  const pageErrors: string[] = [];

  /** Runs a page.ts scenario in the page. */
  function run<K extends keyof Scenarios>(
    name: K,
    ...args: Parameters<Scenarios[K]>
  ): Promise<Awaited<ReturnType<Scenarios[K]>>> {
    return page.evaluate(
      ([n, a]) =>
        (globalThis as unknown as { scenarios: Record<string, (...x: unknown[]) => unknown> }).scenarios[n]!(
          ...a,
        ),
      [name, args] as [string, unknown[]],
    ) as Promise<Awaited<ReturnType<Scenarios[K]>>>;
  }

  beforeAll(async () => {
    const dir = tempDir();
    writeFixtures(dir);
    const [b] = await Promise.all([
      launchChromium(),
      bundleForBrowser(
        ['page.ts', 'worker-dataset.ts'].map((f) =>
          fileURLToPath(new URL(`./test-utils/browser/${f}`, import.meta.url)),
        ),
        dir,
      ),
    ]);
    browser = b;
    server = await serveDir(dir);
    origin = server.origin;
    page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${origin}/index.html`);
    await page.waitForFunction(() => 'scenarios' in globalThis);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('reads raw and gzip IDX files by URL (fetch + DecompressionStream), every dtype', async () => {
    const names = Object.keys(ARRAYS);
    const urls = names.flatMap((n) => [`${origin}/idx/${n}.idx`, `${origin}/idx/${n}.idx.gz`]);
    const got = await run('readIdx', urls);
    names.forEach((n, k) => {
      const want = { dtype: ARRAYS[n]!.dtype, shape: ARRAYS[n]!.shape, data: Array.from(ARRAYS[n]!.data) };
      expect(got[2 * k]).toEqual(want);
      expect(got[2 * k + 1]).toEqual(want);
    });
    // gzip files may hold several members (concatenated .gz files, pigz, bgzip): zlib reads them all.
    expect((await run('readIdx', [`${origin}/idx/members.gz`]))[0]!.data).toEqual(
      Array.from(ARRAYS.i16!.data),
    );
    // A relative URL resolves against the page.
    expect((await run('readIdx', ['idx/u8.idx.gz']))[0]!.data).toEqual([0, 1, 127, 128, 254, 255]);
  });

  it('reports corrupt gzip, truncated IDX and missing URLs', async () => {
    expect(await run('readIdxError', `${origin}/idx/cut.gz`)).toMatchObject({
      name: 'DataFormatError',
      // DecompressionStream's own reason, not the "Failed to fetch" of Response.arrayBuffer().
      message: `readIdx: ${origin}/idx/cut.gz: corrupt gzip data (Compressed input was truncated.)`,
    });
    expect((await run('readIdxError', `${origin}/idx/short.idx.gz`))!.message).toBe(
      `readIdx: ${origin}/idx/short.idx.gz: truncated: shape [3] of int32 needs 12 data bytes, found 9 (20 bytes expected in all)`,
    );
    expect((await run('readIdxError', `${origin}/idx/nope.gz`))!.message).toBe(
      `readIdx: fetching ${origin}/idx/nope.gz failed: HTTP 404 Not Found`,
    );
  });

  it('MNIST.load({ root: url }) finds raw files and torchvision-layout gzip files', async () => {
    const expected = (n: number) => ({
      length: n,
      shape: [n, H, W],
      targets: Array.from(labels(n).data),
      pixels: Array.from(images(n).data, (v) => Math.fround(v / 255)),
    });
    const raw = await run('loadMnist', `${origin}/mnist-raw`, true);
    expect(raw).toMatchObject(expected(10));
    expect(raw.files).toEqual([
      `${origin}/mnist-raw/train-images-idx3-ubyte`,
      `${origin}/mnist-raw/train-labels-idx1-ubyte`,
    ]);
    const gz = await run('loadMnist', `${origin}/mnist-gz/`, false);
    expect(gz).toMatchObject(expected(4));
    expect(gz.files[0]).toBe(`${origin}/mnist-gz/MNIST/raw/t10k-images-idx3-ubyte.gz`);
    expect((await run('loadMnist', 'mnist-gz', true)).targets).toEqual(expected(10).targets);
  });

  it('MNIST.load explains a missing root or split', async () => {
    expect((await run('loadMnistError', undefined))!.message).toContain(
      'MNIST: there is no default data location in a browser',
    );
    const missing = (await run('loadMnistError', `${origin}/idx`))!.message;
    expect(missing).toContain('MNIST: cannot find the train split');
    expect(missing).toContain(`${origin}/idx/MNIST/raw/train-images-idx3-ubyte.gz`);
  });

  it('DataLoader with numWorkers 2 on Web Workers matches the in-process loader', async () => {
    const base: LoaderScenario = { root: `${origin}/mnist-gz`, batchSize: 3, seed: 5, numWorkers: 0 };
    const inProcess = await run('loaderBatches', { ...base, epochs: 2 });
    const spec = {
      module: `${origin}/worker-dataset.js`,
      export: 'makeMnist',
      args: [`${origin}/mnist-gz`, true],
    };
    const workers = await run('loaderBatches', { ...base, numWorkers: 2, ...spec, epochs: 2 });
    expect(workers).toEqual(inProcess);
    expect(workers[0]!.map((b) => b.shape)).toEqual([
      [3, 1, H, W],
      [3, 1, H, W],
      [3, 1, H, W],
      [1, 1, H, W],
    ]);
    expect(workers[0]!.map((b) => b.y)).not.toEqual(workers[1]!.map((b) => b.y)); // reshuffled
    const persistent = await run('loaderBatches', {
      ...base,
      numWorkers: 1,
      ...spec,
      epochs: 2,
      persistentWorkers: true,
    });
    expect(persistent).toEqual(inProcess);
  });

  it('builds samples inside the workers, with per-worker seeds', async () => {
    const { error, batches } = await run('probe', `${origin}/worker-dataset.js`, 2, 6);
    expect(error).toBeNull();
    expect(batches.map((b) => b.i)).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    expect(batches.map((b) => b.workerId)).toEqual([
      [0, 0],
      [1, 1],
      [0, 0],
    ]);
    expect(batches.every((b) => (b.inWorker as number[]).every(Boolean))).toBe(true);
    // Seeds are uint32; collated as int32 they may wrap, so compare modulo 2^32.
    const [s0, s1] = [(batches[0]!.seed as number[])[0]!, (batches[1]!.seed as number[])[0]!];
    expect((s1 - s0) | 0).toBe(1);
  });

  it('surfaces a worker error with its stack, and a module that fails to load', async () => {
    const { error } = await run('probe', `${origin}/worker-dataset.js`, 2, 6, 3);
    expect(error).toMatchObject({
      name: 'WorkerError',
      message: 'DataLoader worker 1 while loading batch 1: RangeError: sample 3 is broken',
    });
    expect(error!.workerStack).toContain(`${origin}/worker-dataset.js`);
    const missing = await run('probe', `${origin}/no-such-module.js`, 1, 2);
    expect(missing.error).toMatchObject({ name: 'WorkerError' });
    expect(missing.error!.message).toContain('DataLoader worker 0 while creating its dataset: TypeError');
    expect(missing.error!.message).toContain(`${origin}/no-such-module.js`);
  });

  it('resolves a relative worker module URL and relative data URLs in workers against the page', async () => {
    const base: LoaderScenario = { root: 'mnist-gz', train: false, batchSize: 2, seed: 1, numWorkers: 0 };
    const inProcess = await run('loaderBatches', base);
    for (const module of ['/worker-dataset.js', 'worker-dataset.js']) {
      const spec = { module, export: 'makeMnist', args: ['mnist-gz', false] };
      expect(await run('loaderBatches', { ...base, numWorkers: 2, ...spec })).toEqual(inProcess);
    }
  });

  it('left no uncaught page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
