import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const example = /```ts\n([\s\S]*?)```/.exec(readme)![1]!;
const dir = mkdtempSync(join(tmpdir(), 'torchlet-autograd-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('README', () => {
  it('runs, and prints what its comments say', async () => {
    const expected = [...example.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((m) => m[1]);
    const logged: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((v: unknown) => {
      logged.push(JSON.stringify(v));
    });
    const file = join(dir, 'example.ts');
    writeFileSync(file, example);
    try {
      await import(/* @vite-ignore */ file);
    } finally {
      spy.mockRestore();
    }
    expect(expected.length).toBe(8);
    expect(logged).toEqual(expected);
  });
});
