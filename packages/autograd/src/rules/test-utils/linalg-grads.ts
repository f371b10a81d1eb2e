import { readFileSync } from 'node:fs';
import type { NestedArray, Tensor } from '@torchlet/tensor';
import { expect } from 'vitest';

/** One PyTorch reference case: input, cotangents of the outputs and the resulting gradient. */
export interface GradCase {
  name: string;
  x: NestedArray;
  cot: NestedArray[];
  grad: NestedArray;
  options?: Record<string, unknown>;
}

/** Cases written by scripts/fixtures/linalg_grads.py. */
export const gradFixtures: GradCase[] = JSON.parse(
  readFileSync(new URL('../fixtures/linalg-grads.json', import.meta.url), 'utf8'),
);

function flat(x: NestedArray): number[] {
  return Array.isArray(x) ? x.flatMap(flat) : [Number(x)];
}

/** Asserts `a` holds `b`'s values within `tol` (relative above 1). */
export function expectAllClose(a: Tensor, b: NestedArray, tol = 1e-8): void {
  const x = a.dataSync();
  const y = flat(b);
  expect(x.length).toBe(y.length);
  y.forEach((v, i) => {
    if (!(Math.abs(x[i]! - v) <= tol * Math.max(1, Math.abs(v)))) {
      expect.fail(`element ${i}: got ${x[i]}, expected ${v} (tol ${tol})`);
    }
  });
}
