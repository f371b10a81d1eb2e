import { type DeviceCase, input } from './case.js';

/** softmax and logSoftmax along every dim, of strided inputs and of large logits. */
export const softmaxCases: DeviceCase[] = (['softmax', 'logSoftmax'] as const).flatMap((op): DeviceCase[] => [
  { name: `${op} last dim, odd size`, run: (d) => input(d, [7, 11], 51)[op](-1) },
  {
    name: `${op} dims 0 and 1 of a 3-D input`,
    run: (d) => [input(d, [3, 4, 5], 52)[op](0), input(d, [3, 4, 5], 53)[op](1)],
  },
  { name: `${op} of a transposed input`, run: (d) => input(d, [6, 5], 54).T[op](-1) },
  { name: `${op} of large logits (stable)`, tol: 2e-5, run: (d) => input(d, [4, 10], 55, -200, 200)[op](1) },
  { name: `${op} of an expanded input`, run: (d) => input(d, [1, 6], 56).expand([3, 6])[op](-1) },
]);
