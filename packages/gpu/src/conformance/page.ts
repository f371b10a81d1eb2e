// Browser entry for the conformance cases: the page calls `runConformance()` and reports results.
import { gpuMode } from '../index.js';
import { CASES, type CaseResult, runCase } from './index.js';

declare global {
  interface Window {
    runConformance(): { mode: string; results: Record<string, CaseResult[]> };
  }
}

window.runConformance = () => {
  const results: Record<string, CaseResult[]> = {};
  for (const [family, cases] of Object.entries(CASES)) results[family] = cases.map((c) => runCase(c, 'gpu'));
  return { mode: gpuMode(), results };
};
