import { join, relative, sep } from 'node:path';
import type { Plugin } from 'vite';
import { type SitePage, sitePages } from './pages.js';

/**
 * Vite plugin that makes the site's pages from `content/` with no HTML files on disk: in a build
 * each page is a Rollup input whose HTML this plugin supplies (Vite then bundles its script and
 * stylesheet); the dev server renders pages on request and reloads when content changes.
 */
export function docsPages(root: string): Plugin {
  const idOf = (page: SitePage) => join(root, page.path);
  let byId = new Map<string, SitePage>();
  const refresh = () => {
    byId = new Map(sitePages({ root }).map((p) => [idOf(p), p]));
    return byId;
  };
  return {
    name: 'torchlet-docs-pages',
    enforce: 'pre',
    config() {
      const input = Object.fromEntries(
        [...refresh().entries()].map(([id, p]) => [p.path.replace(/\.html$/, ''), id]),
      );
      return { build: { rollupOptions: { input } } };
    },
    resolveId(id) {
      return byId.has(id) ? id : null;
    },
    load(id) {
      return byId.get(id)?.render() ?? null;
    },
    configureServer(server) {
      const content = join(root, 'content');
      server.watcher.add(content);
      server.watcher.on('all', (_event, file) => {
        if (!relative(content, file).startsWith(`..${sep}`)) server.ws.send({ type: 'full-reload' });
      });
      server.middlewares.use(async (req, res, next) => {
        let path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).slice(1);
        if (path === '' || path.endsWith('/')) path += 'index.html';
        const page = refresh().get(join(root, path));
        if (!page) return next();
        try {
          const html = await server.transformIndexHtml(req.url ?? '/', page.render());
          res.setHeader('Content-Type', 'text/html; charset=utf-8');
          res.end(html);
        } catch (e) {
          next(e);
        }
      });
    },
  };
}
