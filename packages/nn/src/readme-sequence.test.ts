import { runReadmeExample } from '@torchlet/testing';
import { describe, expect, it } from 'vitest';

/** Prints shapes as `[5,3,40]` and numbers as themselves, space separated, as the comments show them. */
const show = (...vs: unknown[]): string =>
  vs.map((v) => (Array.isArray(v) ? `[${v.join(',')}]` : String(v))).join(' ');

describe('README: sequence models section', () => {
  it('runs, and prints what its comments say', async () => {
    const readme = new URL('../README.md', import.meta.url);
    const { expected, logged } = await runReadmeExample(readme, { section: '## Sequence models', show });
    expect(expected.length).toBe(7);
    expect(logged).toEqual(expected);
  });
});
