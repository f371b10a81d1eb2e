/** A fenced code block of a tutorial page: its language, its info-string flags and its text. */
export interface Fence {
  lang: string;
  flags: string[];
  code: string;
  /** 1-based line of the opening fence, for error messages. */
  line: number;
  /** 0-based indices of the opening and closing fence lines. */
  start: number;
  end: number;
}

/** A tutorial page: its front matter and its fenced blocks in order. */
export interface Page {
  frontMatter: Record<string, string>;
  fences: Fence[];
  lines: string[];
}

/**
 * Splits a markdown page into front matter (`key: value` lines between `---` fences at the top)
 * and its top-level fenced code blocks. Only what the tutorials use: backtick fences of three or
 * more, closed by a fence at least as long.
 */
export function parsePage(text: string): Page {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const frontMatter: Record<string, string> = {};
  let i = 0;
  if (lines[0] === '---') {
    const end = lines.indexOf('---', 1);
    if (end < 0) throw new Error('front matter: no closing ---');
    for (const l of lines.slice(1, end)) {
      const m = /^([A-Za-z][\w-]*):\s*(.*)$/.exec(l);
      if (!m) throw new Error(`front matter: cannot parse line '${l}'`);
      frontMatter[m[1]!] = m[2]!.replace(/^(['"])(.*)\1$/, '$2');
    }
    i = end + 1;
  }
  const fences: Fence[] = [];
  for (; i < lines.length; i++) {
    const open = /^(`{3,})\s*([^\s`]*)\s*(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !new RegExp(`^${open[1]}\`*\\s*$`).test(lines[i]!); i++)
      body.push(lines[i]!);
    if (i === lines.length) throw new Error(`line ${start + 1}: unclosed code fence`);
    const flags = open[3]!.split(/\s+/).filter(Boolean);
    fences.push({ lang: open[2]!, flags, code: body.join('\n'), line: start + 1, start, end: i });
  }
  return { frontMatter, fences, lines };
}

/** A runnable example: a ts block (not `no-run`) and the text block right after it, if any. */
export interface Example {
  fence: Fence;
  /** The ```text block separated from the code by blank lines only. */
  output: Fence | null;
}

/** The page's runnable examples, each paired with the ```text block that follows it. */
export function examples(page: Page): Example[] {
  const out: Example[] = [];
  page.fences.forEach((fence, k) => {
    if (fence.lang !== 'ts' || fence.flags.includes('no-run')) return;
    const next = page.fences[k + 1];
    const adjacent =
      next?.lang === 'text' && page.lines.slice(fence.end + 1, next.start).every((l) => l.trim() === '');
    out.push({ fence, output: adjacent ? next : null });
  });
  return out;
}

/**
 * The page with each example's output block replaced by `outputs[i]` (inserted after the code
 * when it has none): how `DOCTEST_UPDATE=1` records what the examples print.
 */
export function withOutputs(page: Page, outputs: string[]): string {
  const lines = [...page.lines];
  const list = examples(page);
  for (let i = list.length - 1; i >= 0; i--) {
    const { fence, output } = list[i]!;
    const block = ['```text', ...outputs[i]!.split('\n'), '```'];
    if (output) lines.splice(output.start, output.end - output.start + 1, ...block);
    else lines.splice(fence.end + 1, 0, '', ...block);
  }
  return lines.join('\n');
}

/** Trailing whitespace is not part of an expected output (editors strip it). */
export function normalizeOutput(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .trimEnd();
}
