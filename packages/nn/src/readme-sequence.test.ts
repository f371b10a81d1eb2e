import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('## Sequence models'));
const example = /```ts\n([\s\S]*?)```/.exec(section)![1]!;
const dir = mkdtempSync(join(tmpdir(), 'torchlet-nn-sequence-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Prints shapes as `[5,3,40]` and numbers as themselves, space separated, as the comments show them. */
const show = (v: unknown): string => (Array.isArray(v) ? `[${v.join(',')}]` : String(v));

describe('README: sequence models section', () => {
  it('runs, and prints what its comments say', async () => {
    const expected = [...example.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((m) => m[1]);
    const logged: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...vs: unknown[]) => {
      logged.push(vs.map(show).join(' '));
    });
    const file = join(dir, 'example.ts');
    writeFileSync(file, example);
    try {
      await import(/* @vite-ignore */ file);
    } finally {
      spy.mockRestore();
    }
    expect(expected.length).toBe(7);
    expect(logged).toEqual(expected);
  });
});
