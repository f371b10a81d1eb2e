import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { NestedArray, Tensor } from '../../tensor.js';

// biome-ignore lint/suspicious/noExplicitAny: fixture JSON written by scripts/fixtures/linalg.py.
export const fixtures: any = JSON.parse(
  readFileSync(new URL('../fixtures/linalg.json', import.meta.url), 'utf8'),
);

function flat(x: NestedArray): number[] {
  return Array.isArray(x) ? x.flatMap(flat) : [Number(x)];
}

function shapeOf(x: NestedArray): number[] {
  return Array.isArray(x) ? [x.length, ...(x.length > 0 ? shapeOf(x[0]!) : [])] : [];
}

/** Asserts `actual` has `expected`'s shape and values within `tol` (relative above 1). */
export function expectClose(actual: Tensor, expected: NestedArray, tol = 1e-10): void {
  expect(actual.shape).toEqual(shapeOf(expected));
  const a = actual.dataSync();
  const e = flat(expected);
  e.forEach((v, i) => {
    const got = a[i]!;
    if (Math.abs(got - v) > tol * Math.max(1, Math.abs(v))) {
      expect.fail(`element ${i}: got ${got}, expected ${v} (tol ${tol})`);
    }
  });
}
