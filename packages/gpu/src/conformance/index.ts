import type { DeviceCase } from './case.js';
import { convCases } from './conv.js';
import { elementwiseCases } from './elementwise.js';
import { gatherScatterCases } from './gather-scatter.js';
import { matmulCases } from './matmul.js';
import { poolCases } from './pool.js';
import { reduceCases } from './reduce.js';
import { softmaxCases } from './softmax.js';

export type { DeviceCase } from './case.js';
export { type CaseResult, runCase } from './run.js';

/** Every device conformance case, by family. */
export const CASES: Record<string, DeviceCase[]> = {
  elementwise: elementwiseCases,
  matmul: matmulCases,
  reduce: reduceCases,
  softmax: softmaxCases,
  gatherScatter: gatherScatterCases,
  conv: convCases,
  pool: poolCases,
};
