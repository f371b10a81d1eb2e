/** Milliseconds per call of `fn`, timed over as many calls as fit in `budgetMs` (at least one). */
export function msPerCall(fn: () => void, budgetMs: number): number {
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    fn();
    calls++;
    elapsed = performance.now() - start;
  } while (elapsed < budgetMs);
  return elapsed / calls;
}

/** The median of `values` (machine speed drifts, so medians of interleaved runs are reported). */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
