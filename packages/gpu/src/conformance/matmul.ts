import { type DeviceCase, input } from './case.js';

/** Batched products with broadcast batch dims, transposed and sliced operands, vectors and odd sizes. */
export const matmulCases: DeviceCase[] = [
  { name: '2-D odd sizes', tol: 1e-5, run: (d) => input(d, [7, 13], 1).matmul(input(d, [13, 5], 2)) },
  {
    name: 'transposed weight (x @ w.T)',
    tol: 1e-5,
    run: (d) => input(d, [6, 9], 3).matmul(input(d, [4, 9], 4).T),
  },
  {
    name: 'transposed left operand',
    tol: 1e-5,
    run: (d) => input(d, [9, 6], 5).T.matmul(input(d, [9, 3], 6)),
  },
  {
    name: 'batched [3,4,5] @ [5,2]',
    tol: 1e-5,
    run: (d) => input(d, [3, 4, 5], 7).matmul(input(d, [5, 2], 8)),
  },
  {
    name: 'batch broadcast [2,1,3,4] @ [5,4,6]',
    tol: 1e-5,
    run: (d) => input(d, [2, 1, 3, 4], 9).matmul(input(d, [5, 4, 6], 10)),
  },
  {
    name: 'sliced and expanded batch operands',
    tol: 1e-5,
    run: (d) =>
      input(d, [4, 3, 8], 11)
        .index('::2')
        .matmul(input(d, [1, 8, 3], 12).expand([2, 8, 3])),
  },
  {
    name: 'vector cases: mv, vector @ batch, dot',
    tol: 1e-5,
    run: (d) => [
      input(d, [5, 7], 13).mv(input(d, [7], 14)),
      input(d, [7], 15).matmul(input(d, [3, 7, 2], 16)),
      input(d, [11], 17).dot(input(d, [11], 18)),
    ],
  },
  {
    name: 'K = 300 accumulation',
    tol: 1e-4,
    run: (d) => input(d, [8, 300], 19).matmul(input(d, [300, 9], 20)),
  },
  {
    name: 'empty M and empty K',
    run: (d) => [
      input(d, [0, 4], 21).matmul(input(d, [4, 3], 22)),
      input(d, [2, 0], 23).matmul(input(d, [0, 3], 24)),
    ],
  },
];
