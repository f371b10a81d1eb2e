import type { DeviceCase } from './case.js';
import { elementwiseCases } from './elementwise.js';
import { matmulCases } from './matmul.js';

export type { DeviceCase } from './case.js';
export { type CaseResult, runCase } from './run.js';

/** Every device conformance case, by family. */
export const CASES: Record<string, DeviceCase[]> = {
  elementwise: elementwiseCases,
  matmul: matmulCases,
};
