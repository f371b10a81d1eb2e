import katexPlugin from '@vscode/markdown-it-katex';
import hljs from 'highlight.js';
import MarkdownIt, { type PluginWithOptions } from 'markdown-it';

/** Heading text as a URL fragment: lower case, words joined by dashes. */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/<[^>]*>/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .trim()
    .replace(/\s+/g, '-');
}

function highlight(code: string, info: string): string {
  const lang = info.split(/\s+/)[0] ?? '';
  const body = hljs.getLanguage(lang)
    ? hljs.highlight(code, { language: lang, ignoreIllegals: true }).value
    : md.utils.escapeHtml(code);
  return `<pre class="hljs"><code class="language-${md.utils.escapeHtml(lang || 'text')}">${body}</code></pre>`;
}

const md: MarkdownIt = new MarkdownIt({ html: true, linkify: true, highlight });
// `$…$` and `$$…$$` become KaTeX HTML at build time; pages need only katex's stylesheet. The plugin
// is CommonJS: Node's ESM loader hands over `exports` (function under `default`), bundlers the function.
const katex = ((katexPlugin as { default?: unknown }).default ?? katexPlugin) as PluginWithOptions<{
  throwOnError: boolean;
}>;
md.use(katex, { throwOnError: false });

// Links between pages are written to the markdown files (`./02-autograd.md`); the site serves HTML.
const defaultLinkOpen = md.renderer.rules.link_open ?? ((t, i, o, _e, self) => self.renderToken(t, i, o));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const href = tokens[idx]!.attrGet('href');
  if (href && !/^[a-z][a-z0-9+.-]*:|^\/\//i.test(href)) {
    tokens[idx]!.attrSet('href', href.replace(/\.md(?=$|#)/, '.html'));
  }
  return defaultLinkOpen(tokens, idx, options, env, self);
};

// h2/h3 get ids so sections can be linked and listed in a page's contents.
const defaultHeadingOpen =
  md.renderer.rules.heading_open ?? ((t, i, o, _e, self) => self.renderToken(t, i, o));
md.renderer.rules.heading_open = (tokens, idx, options, env: RenderEnv, self) => {
  const token = tokens[idx]!;
  if (token.tag === 'h2' || token.tag === 'h3') {
    const text = tokens[idx + 1]?.content ?? '';
    const used = (env.ids ??= new Set());
    let id = slugify(text) || 'section';
    for (let k = 2; used.has(id); k++) id = `${slugify(text)}-${k}`;
    used.add(id);
    token.attrSet('id', id);
    (env.headings ??= []).push({ level: token.tag === 'h2' ? 2 : 3, text, id });
  }
  return defaultHeadingOpen(tokens, idx, options, env, self);
};

/** A heading of a rendered page, for its table of contents. */
export interface Heading {
  level: 2 | 3;
  text: string;
  id: string;
}

interface RenderEnv {
  ids?: Set<string>;
  headings?: Heading[];
}

/** Markdown rendered to HTML, with its h2/h3 headings. */
export interface RenderedMarkdown {
  html: string;
  headings: Heading[];
}

/**
 * Renders markdown to HTML: highlight.js for fenced code, ids on h2/h3, and links to `.md` files
 * rewritten to the `.html` pages the site builds from them.
 */
export function renderMarkdown(source: string): RenderedMarkdown {
  const env: RenderEnv = {};
  const html = md.render(source, env);
  return { html, headings: env.headings ?? [] };
}
