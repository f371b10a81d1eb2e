import { join } from 'node:path';
import { writeFileAtomic } from './atomic.js';
import type { EpochMetrics } from './plots.js';

const COLUMNS: (keyof EpochMetrics)[] = [
  'epoch',
  'trainLoss',
  'trainAcc',
  'testLoss',
  'testAcc',
  'lr',
  'seconds',
];

/** The history as CSV, one row per epoch. */
export function historyCsv(history: readonly EpochMetrics[]): string {
  const rows = history.map((h) => COLUMNS.map((c) => String(h[c])).join(','));
  return `${[COLUMNS.join(','), ...rows].join('\n')}\n`;
}

/** Writes `metrics.json` and `metrics.csv` into the run directory. */
export function writeHistory(dir: string, history: readonly EpochMetrics[]): void {
  writeFileAtomic(join(dir, 'metrics.json'), `${JSON.stringify(history, null, 2)}\n`);
  writeFileAtomic(join(dir, 'metrics.csv'), historyCsv(history));
}

/** Accumulates a confusion matrix from predicted and true labels. */
export function confusionMatrix(
  predicted: ArrayLike<number>,
  actual: ArrayLike<number>,
  classes = 10,
): number[][] {
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < predicted.length; i++) m[actual[i]!]![predicted[i]!]!++;
  return m;
}
