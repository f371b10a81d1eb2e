import { describe, expect, it } from 'vitest';
import { examples, normalizeOutput, parsePage, withOutputs } from './markdown.js';

const page = [
  '---',
  'title: "A page: with a colon"',
  'order: 3',
  '---',
  'Text.',
  '',
  '```ts',
  "console.log('a');",
  '```',
  '',
  '```text',
  'old',
  '```',
  '',
  '```ts no-run',
  'slow();',
  '```',
  '',
  '```ts',
  "console.log('b');",
  '```',
  '',
  'Prose between code and output.',
  '',
  '```text',
  'not the output of the block above',
  '```',
].join('\n');

describe('parsePage', () => {
  it('reads front matter and fences with their flags', () => {
    const p = parsePage(page);
    expect(p.frontMatter).toEqual({ title: 'A page: with a colon', order: '3' });
    expect(p.fences.map((f) => [f.lang, f.flags, f.line])).toEqual([
      ['ts', [], 7],
      ['text', [], 11],
      ['ts', ['no-run'], 15],
      ['ts', [], 19],
      ['text', [], 25],
    ]);
  });

  it('pairs a ts block with a text block only when blank lines separate them, and skips no-run', () => {
    const list = examples(parsePage(page));
    expect(list.map((e) => [e.fence.code, e.output?.code ?? null])).toEqual([
      ["console.log('a');", 'old'],
      ["console.log('b');", null],
    ]);
  });

  it('refuses an unclosed fence', () => {
    expect(() => parsePage('```ts\nx')).toThrow('line 1: unclosed code fence');
  });
});

describe('withOutputs', () => {
  it('replaces existing output blocks and inserts missing ones', () => {
    const updated = parsePage(withOutputs(parsePage(page), ['a', 'b\nc']));
    expect(examples(updated).map((e) => e.output?.code)).toEqual(['a', 'b\nc']);
    expect(updated.fences).toHaveLength(6);
  });
});

it('normalizeOutput drops trailing whitespace only', () => {
  expect(normalizeOutput('  x  \ny\t\n\n')).toBe('  x\ny');
});
