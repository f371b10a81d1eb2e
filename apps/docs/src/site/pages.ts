import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DRAW_PAGE, PLAYGROUND_PAGE } from './demo-pages.js';
import { escapeHtml, layout, relativeHref } from './layout.js';
import { renderMarkdown } from './markdown.js';
import { loadTutorials, type Tutorial } from './tutorials.js';

/** One HTML page of the site: its path in the build and how to render it. */
export interface SitePage {
  /** Path relative to the site root, e.g. `tutorials/tensors.html`. */
  path: string;
  render(): string;
}

/** Where the site's sources are: the project root holding `content/`. */
export interface SiteSources {
  root: string;
}

function tutorialList(tutorials: Tutorial[], from: string, current?: string): string {
  const items = tutorials.map(
    (t) =>
      `<li><a href="${escapeHtml(relativeHref(from, `tutorials/${t.slug}.html`))}"${t.slug === current ? ' aria-current="page"' : ''}>${escapeHtml(t.title)}</a></li>`,
  );
  return `<ol class="tutorial-list">${items.join('')}</ol>`;
}

function tutorialPage(tutorials: Tutorial[], i: number): SitePage {
  const t = tutorials[i]!;
  const path = `tutorials/${t.slug}.html`;
  return {
    path,
    render() {
      const { html, headings } = renderMarkdown(t.body);
      const h2 = headings.filter((h) => h.level === 2);
      const toc =
        h2.length > 1
          ? `<h2 class="aside-title">On this page</h2><ul class="toc">${h2.map((h) => `<li><a href="#${h.id}">${escapeHtml(h.text)}</a></li>`).join('')}</ul>`
          : '';
      const link = (k: number, rel: string) => {
        const other = tutorials[k];
        return other
          ? `<a class="pager-${rel}" rel="${rel}" href="${escapeHtml(`${other.slug}.html`)}">${escapeHtml(other.title)}</a>`
          : '<span></span>';
      };
      const heading = /^\s*#\s/.test(t.body) ? '' : `<h1>${escapeHtml(t.title)}</h1>\n`;
      return layout({
        path,
        title: t.title,
        section: 'tutorials',
        aside: `<h2 class="aside-title">Tutorials</h2>${tutorialList(tutorials, path, t.slug)}${toc}`,
        body: `<article class="prose">${heading}${html}</article>\n<nav class="pager" aria-label="Tutorials">${link(i - 1, 'prev')}${link(i + 1, 'next')}</nav>`,
      });
    },
  };
}

/**
 * Every page of the site, read from `content/` now (tutorials are discovered, so a new markdown
 * file is a new page): home, tutorials index and one page per tutorial in `order`, demos.
 * The API reference is TypeDoc's own output under `api/`.
 */
export function sitePages({ root }: SiteSources): SitePage[] {
  const tutorials = loadTutorials(join(root, 'content/tutorials'));
  const demo = (path: string, page: { title: string; body: string; script: string }): SitePage => ({
    path,
    render: () => layout({ path, section: 'demos', ...page }),
  });
  return [
    {
      path: 'index.html',
      render: () =>
        layout({
          path: 'index.html',
          title: 'torchlet',
          section: 'home',
          body: `<article class="prose home">${renderMarkdown(readFileSync(join(root, 'content/home.md'), 'utf8')).html}</article>`,
        }),
    },
    {
      path: 'tutorials/index.html',
      render: () =>
        layout({
          path: 'tutorials/index.html',
          title: 'Tutorials',
          section: 'tutorials',
          body: `<article class="prose"><h1>Tutorials</h1><p>From tensors to training loops, in order. Every code block on these pages runs as it is (the test suite runs them).</p>${
            tutorials.length > 0
              ? tutorialList(tutorials, 'tutorials/index.html')
              : '<p>No tutorials yet.</p>'
          }</article>`,
        }),
    },
    ...tutorials.map((_, i) => tutorialPage(tutorials, i)),
    {
      path: 'demos/index.html',
      render: () =>
        layout({
          path: 'demos/index.html',
          title: 'Demos',
          section: 'demos',
          body: `<article class="prose"><h1>Demos</h1><p>torchlet runs in the browser as it runs in Node: these pages load it and compute on your machine.</p>
<div class="cards">
<a class="card" href="draw.html"><h2>Draw a digit</h2><p>A network trained on MNIST reads your handwriting: the same preprocessing as the dataset, probabilities for every digit.</p></a>
<a class="card" href="playground.html"><h2>Train in your browser</h2><p>A small MLP learns to separate two moons, circles or spirals while you watch its loss and decision boundary.</p></a>
</div></article>`,
        }),
    },
    demo('demos/draw.html', DRAW_PAGE),
    demo('demos/playground.html', PLAYGROUND_PAGE),
  ];
}
