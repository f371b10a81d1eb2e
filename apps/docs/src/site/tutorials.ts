import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { splitFrontMatter } from './front-matter.js';

/** A tutorial page's source: `content/tutorials/<slug>.md` with `title:` and `order:` front matter. */
export interface Tutorial {
  slug: string;
  title: string;
  order: number;
  /** The markdown after the front matter. */
  body: string;
  file: string;
}

/** The first `# heading` of a body, for a page whose front matter has no title. */
function firstHeading(body: string): string | undefined {
  return /^#\s+(.+)$/m.exec(body)?.[1]?.trim();
}

/**
 * Reads every `*.md` in `dir` (missing dir: none), ordered by front-matter `order` then file name.
 * A tutorial without `order` goes last; one without `title` is named by its first heading.
 */
export function loadTutorials(dir: string): Tutorial[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.md'));
  } catch {
    return [];
  }
  return files
    .map((f) => {
      const file = join(dir, f);
      const { data, body } = splitFrontMatter(readFileSync(file, 'utf8'));
      const slug = basename(f, '.md');
      const order = Number(data.order);
      return {
        slug,
        title: typeof data.title === 'string' ? data.title : (firstHeading(body) ?? slug),
        order: Number.isFinite(order) && data.order !== null ? order : Number.POSITIVE_INFINITY,
        body,
        file,
      };
    })
    .sort((a, b) => a.order - b.order || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
}
