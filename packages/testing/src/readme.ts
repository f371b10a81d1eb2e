import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What a README example printed, and what its `console.log(…); // expected` comments say it prints. */
export interface ReadmeRun {
  expected: string[];
  logged: string[];
}

/** Options for {@link runReadmeExample}. */
export interface ReadmeOptions {
  /** Run the first ```ts block after this heading instead of the file's first. */
  section?: string;
  /** How one console.log call's arguments are written, to compare with the comments. */
  show?: (...values: unknown[]) => string;
}

/**
 * Runs a README's ```ts example as a module (imports resolve as in the calling test, e.g. to the
 * workspace sources), capturing console.log, so a package's documented example stays true.
 */
export async function runReadmeExample(readme: URL, options: ReadmeOptions = {}): Promise<ReadmeRun> {
  let text = readFileSync(readme, 'utf8');
  if (options.section !== undefined) text = text.slice(text.indexOf(options.section));
  const example = /```ts\n([\s\S]*?)```/.exec(text)?.[1];
  if (example === undefined) throw new Error(`no \`\`\`ts example in ${readme.pathname}`);
  const expected = [...example.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((m) => m[1]!);
  const show = options.show ?? ((...vs: unknown[]) => vs.map((v) => JSON.stringify(v)).join(' '));
  const dir = mkdtempSync(join(tmpdir(), 'torchlet-readme-'));
  const file = join(dir, 'example.ts');
  writeFileSync(file, example);
  const logged: string[] = [];
  const log = console.log;
  console.log = (...vs: unknown[]) => logged.push(show(...vs));
  try {
    await import(/* @vite-ignore */ file);
  } finally {
    console.log = log;
    rmSync(dir, { recursive: true, force: true });
  }
  return { expected, logged };
}
