import { parse } from 'yaml';

/** A markdown document split into its YAML front matter and its body. */
export interface FrontMatterDocument {
  data: Record<string, unknown>;
  body: string;
}

const FENCE = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/**
 * Splits a leading `---` YAML block off a markdown source. A source without one has empty data.
 *
 * @example
 * splitFrontMatter('---\ntitle: Tensors\norder: 1\n---\n# Hi').data; // { title: 'Tensors', order: 1 }
 */
export function splitFrontMatter(source: string): FrontMatterDocument {
  const text = source.replace(/^\uFEFF/, '');
  const m = FENCE.exec(text);
  if (!m) return { data: {}, body: text };
  const data: unknown = parse(m[1]!);
  if (data !== null && data !== undefined && (typeof data !== 'object' || Array.isArray(data))) {
    throw new Error(`front matter must be a YAML mapping, got ${JSON.stringify(data)}`);
  }
  return { data: (data ?? {}) as Record<string, unknown>, body: text.slice(m[0].length) };
}
