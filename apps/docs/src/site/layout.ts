import { posix } from 'node:path';

/** Where a page sits in the navigation bar. */
export type Section = 'home' | 'tutorials' | 'demos' | 'api';

/** What {@link layout} wraps: the page's own markup and how it appears in the site. */
export interface LayoutOptions {
  /** The page's path in the built site, e.g. `tutorials/tensors.html`. */
  path: string;
  title: string;
  section: Section;
  /** HTML of the main column. */
  body: string;
  /** Optional HTML of a left column (e.g. the list of tutorials). */
  aside?: string;
  /** A client module (from the project root, e.g. `/src/client/draw.ts`) the page runs. */
  script?: string;
  description?: string;
}

/**
 * The relative URL from page `from` to site path `to` (both relative to the site root), so the
 * built site works from any directory of any static server, and from a sub-path.
 *
 * @example
 * relativeHref('tutorials/tensors.html', 'demos/draw.html'); // '../demos/draw.html'
 */
export function relativeHref(from: string, to: string): string {
  const rel = posix.relative(posix.dirname(from), to);
  return rel === '' ? posix.basename(to) : rel;
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

const NAV: [Section, string, string][] = [
  ['home', 'Home', 'index.html'],
  ['tutorials', 'Tutorials', 'tutorials/index.html'],
  ['demos', 'Demos', 'demos/index.html'],
  ['api', 'API', 'api/index.html'],
];

/** A whole HTML document: header with navigation, the page, footer, stylesheet and script. */
export function layout(o: LayoutOptions): string {
  const href = (to: string) => escapeHtml(relativeHref(o.path, to));
  const nav = NAV.map(
    ([section, label, to]) =>
      `<a href="${href(to)}"${section === o.section ? ' aria-current="page"' : ''}>${label}</a>`,
  ).join('');
  const title = o.section === 'home' ? 'torchlet' : `${o.title} · torchlet`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<meta name="description" content="${escapeHtml(o.description ?? 'torchlet: deep learning for TypeScript in the shape of PyTorch.')}">
<link rel="icon" href="/src/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/src/styles/site.css">
</head>
<body>
<header class="site-header">
<a class="brand" href="${href('index.html')}">torch<span>let</span></a>
<nav class="site-nav" aria-label="Site">${nav}</nav>
</header>
<div class="page${o.aside ? ' with-aside' : ''}">
${o.aside ? `<aside class="sidebar">${o.aside}</aside>\n` : ''}<main id="main">
${o.body}
</main>
</div>
<footer class="site-footer">torchlet · MIT licence · <a href="${href('api/index.html')}">API reference</a></footer>
${o.script ? `<script type="module" src="${escapeHtml(o.script)}"></script>\n` : ''}</body>
</html>
`;
}
