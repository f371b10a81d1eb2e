import { runReadmeExample } from '@torchlet/testing';
import { describe, expect, it } from 'vitest';

describe('README', () => {
  it('runs, and prints what its comments say', async () => {
    const { expected, logged } = await runReadmeExample(new URL('../README.md', import.meta.url));
    expect(expected.length).toBe(5);
    expect(logged).toEqual(expected);
  });
});
