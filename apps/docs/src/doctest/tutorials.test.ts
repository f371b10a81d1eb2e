/**
 * Keeps the tutorials runnable: every ```ts block of content/tutorials/*.md (unless marked
 * `no-run`) runs as a fresh module with 'torchlet' resolved to the workspace sources, and what it
 * prints must equal the ```text block right after it. `DOCTEST_UPDATE=1` rewrites those blocks
 * from the actual output instead (review the diff before committing).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { examples, normalizeOutput, parsePage, withOutputs } from './markdown.js';
import { clearCache, runExample } from './run-example.js';

const TUTORIALS = join(dirname(fileURLToPath(import.meta.url)), '../../content/tutorials');
const UPDATE = process.env.DOCTEST_UPDATE === '1';
const files = readdirSync(TUTORIALS)
  .filter((f) => f.endsWith('.md'))
  .sort();

afterAll(clearCache);

it('finds the tutorial pages', () => {
  expect(files.length).toBeGreaterThan(0);
});

describe.each(files)('%s', (file) => {
  const path = join(TUTORIALS, file);
  const page = parsePage(readFileSync(path, 'utf8'));
  const list = examples(page);
  const outputs: string[] = [];

  it('has a title, an order matching its NN- prefix and a runnable example', () => {
    expect(file).toMatch(/^\d\d-[a-z0-9-]+\.md$/);
    expect(page.frontMatter.title?.length).toBeGreaterThan(0);
    expect(Number(page.frontMatter.order)).toBe(Number(file.slice(0, 2)));
    expect(list.length).toBeGreaterThan(0);
    for (const f of page.fences) expect(['ts', 'text', 'sh', 'bash', 'json']).toContain(f.lang);
  });

  list.forEach((example, i) => {
    it(`example at line ${example.fence.line}`, async () => {
      const name = `${file.replace(/\.md$/, '')}-${i}`;
      const actual = normalizeOutput(await runExample(example.fence.code, name));
      outputs[i] = actual;
      if (UPDATE) return;
      expect(example.output, 'a ```text block with the expected output follows the code').not.toBeNull();
      expect(actual).toBe(normalizeOutput(example.output!.code));
    });
  });

  if (UPDATE) {
    afterAll(() => {
      if (list.every((_, i) => typeof outputs[i] === 'string')) {
        writeFileSync(path, withOutputs(page, outputs));
      }
    });
  }
});
