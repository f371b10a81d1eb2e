import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** Runs the README's first example, so it stays correct. */
describe('README', () => {
  it('the example runs and fits y = 2x + 1', async () => {
    const md = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const code = /```ts\n([\s\S]*?)```/.exec(md)![1]!;
    const logs: string[] = [];
    const body = code.replace(/^import .*$/gm, '').replace(/console\.log\(/g, 'log(');
    const tensorMod = await import('@torchlet/tensor');
    const optim = await import('./index.js');
    new Function('tensor', 'SGD', 'StepLR', 'clipGradNorm_', 'log', body)(
      tensorMod.tensor,
      optim.SGD,
      optim.StepLR,
      optim.clipGradNorm_,
      (...args: unknown[]) => logs.push(args.join(' ')),
    );
    expect(logs).toEqual(['2.000 1.000']);
  });
});
