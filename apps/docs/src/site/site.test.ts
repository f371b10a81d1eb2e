import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitFrontMatter } from './front-matter.js';
import { relativeHref } from './layout.js';
import { renderMarkdown } from './markdown.js';
import { sitePages } from './pages.js';
import { loadTutorials } from './tutorials.js';
import { DOCS_ROOT } from './vite-config.js';

function contentDir(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'torchlet-docs-'));
  mkdirSync(join(root, 'content/tutorials'), { recursive: true });
  writeFileSync(join(root, 'content/home.md'), '# Home\n');
  for (const [name, text] of Object.entries(files))
    writeFileSync(join(root, 'content/tutorials', name), text);
  return root;
}

describe('site sources', () => {
  it('splits YAML front matter from the body', () => {
    expect(splitFrontMatter('---\ntitle: "Tensors: a start"\norder: 2\n---\n# Body\n')).toEqual({
      data: { title: 'Tensors: a start', order: 2 },
      body: '# Body\n',
    });
    expect(splitFrontMatter('# No front matter\n---\n')).toEqual({
      data: {},
      body: '# No front matter\n---\n',
    });
    expect(() => splitFrontMatter('---\n- a list\n---\n')).toThrow('front matter must be a YAML mapping');
  });

  it('orders tutorials by `order`, then file name; untitled ones take their first heading', () => {
    const root = contentDir({
      'b.md': '---\ntitle: Second\norder: 2\n---\ntext',
      'a.md': '---\ntitle: Third\norder: 10\n---\n',
      'c.md': '---\ntitle: First\norder: 1\n---\n',
      'z.md': '# Heading title\n',
      'notes.txt': 'ignored',
    });
    const got = loadTutorials(join(root, 'content/tutorials')).map((t) => [t.slug, t.title]);
    expect(got).toEqual([
      ['c', 'First'],
      ['b', 'Second'],
      ['a', 'Third'],
      ['z', 'Heading title'],
    ]);
    expect(loadTutorials(join(root, 'missing'))).toEqual([]);
  });

  it('highlights code, ids headings and rewrites links to markdown pages', () => {
    const { html, headings } = renderMarkdown(
      '## Broadcasting rules\n\nSee [autograd](./02-autograd.md#graphs), [PyTorch](https://pytorch.org/x.md).\n\n```ts\nconst x = 1;\n```\n\n## Broadcasting rules\n',
    );
    expect(html).toContain('<h2 id="broadcasting-rules">');
    expect(html).toContain('<h2 id="broadcasting-rules-2">');
    expect(headings.map((h) => h.id)).toEqual(['broadcasting-rules', 'broadcasting-rules-2']);
    expect(html).toContain('href="./02-autograd.html#graphs"');
    expect(html).toContain('href="https://pytorch.org/x.md"');
    expect(html).toContain(
      '<pre class="hljs"><code class="language-ts"><span class="hljs-keyword">const</span>',
    );
  });

  it('typesets $inline$ and $$display$$ math with KaTeX at build time', () => {
    const { html } = renderMarkdown('The line $w^\\top x = 0$.\n\n$$\\sigma(z) = \\frac{1}{1 + e^{-z}}$$\n');
    expect(html).toContain('<span class="katex">');
    expect(html).toContain('katex-display');
    expect(html).not.toContain('$');
  });

  it('links pages relatively, so the site works from any directory', () => {
    expect(relativeHref('index.html', 'demos/draw.html')).toBe('demos/draw.html');
    expect(relativeHref('tutorials/a.html', 'index.html')).toBe('../index.html');
    expect(relativeHref('tutorials/a.html', 'tutorials/b.html')).toBe('b.html');
    expect(relativeHref('demos/draw.html', 'demos/draw.html')).toBe('draw.html');
  });

  it('makes one page per tutorial with previous/next links in order', () => {
    const root = contentDir({
      'one.md': '---\ntitle: One\norder: 1\n---\nHello',
      'two.md': '---\ntitle: Two <b>\norder: 2\n---\n# Own heading\n',
    });
    const pages = sitePages({ root });
    expect(pages.map((p) => p.path)).toEqual([
      'index.html',
      'tutorials/index.html',
      'tutorials/one.html',
      'tutorials/two.html',
      'demos/index.html',
      'demos/draw.html',
      'demos/playground.html',
    ]);
    const one = pages[2]!.render();
    expect(one).toContain('<title>One · torchlet</title>');
    expect(one).toContain('<h1>One</h1>');
    expect(one).toContain('rel="next" href="two.html">Two &lt;b&gt;</a>');
    expect(one).toContain('href="../api/index.html"');
    const two = pages[3]!.render();
    expect(two).not.toContain('<h1>Two');
    expect(two).toContain('rel="prev" href="one.html"');
  });

  it("renders this site's own content", () => {
    const pages = sitePages({ root: DOCS_ROOT });
    for (const page of pages) expect(page.render()).toMatch(/^<!doctype html>[\s\S]*<\/html>\n$/);
  });
});

describe('home page', () => {
  it('has a quick start that runs and fits the moons', async () => {
    const torch = await import('torchlet');
    const md = (await import('node:fs')).readFileSync(join(DOCS_ROOT, 'content/home.md'), 'utf8');
    const code = /```ts\n([\s\S]*?)```/.exec(md)![1]!;
    const logs: unknown[][] = [];
    const body = code.replace("import * as torch from 'torchlet';", '');
    new Function('torch', 'console', body)(torch, { log: (...a: unknown[]) => logs.push(a) });
    const [label, accuracy] = logs[logs.length - 1]!;
    expect(label).toBe('accuracy');
    expect(accuracy).toBeGreaterThan(0.95);
  });
});
