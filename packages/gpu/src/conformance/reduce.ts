import type { Tensor } from '@torchlet/tensor';
import { type DeviceCase, input } from './case.js';

/** A [3, 4, 5] input, and views of it: transposed, sliced, expanded. */
function views(d: string): Tensor[] {
  const x = input(d, [3, 4, 5], 31);
  return [
    x,
    x.permute([2, 0, 1]),
    input(d, [6, 4, 5], 32).index('::2, :, 1:'),
    input(d, [1, 4, 5], 33).expand([3, 4, 5]),
  ];
}

const ALL_DIMS: [string, (x: Tensor) => Tensor[]][] = [
  ['sum', (x) => [x.sum(), x.sum(1), x.sum([0, -1], true), x.sum([-1, 0])]],
  ['mean', (x) => [x.mean(), x.mean(-1, true), x.mean([0, 2])]],
  ['amax', (x) => [x.amax(), x.amax(0), x.amax([1, 2], true)]],
  ['amin', (x) => [x.amin(), x.amin(-2), x.amin([0, 1])]],
  ['prod', (x) => [x.mul(0.5).add(1).prod(1), x.mul(0.2).add(1).prod()]],
  ['var/std', (x) => [x.var(), x.var(1), x.std([0, 2], { correction: 0, keepdim: true }), ...x.varMean(-1)]],
  ['logsumexp', (x) => [x.logsumexp(), x.logsumexp(-1), x.mul(30).logsumexp([0, 1], true)]],
  [
    'norm',
    (x) => [
      x.norm(),
      x.norm(1, -1),
      x.norm(Infinity, 0),
      x.norm(-Infinity, 1),
      x.norm(3, [0, 2], true),
      x.norm(0, 1),
    ],
  ],
  ['max/min along a dim', (x) => [...x.max(1), ...x.min(-1, true)]],
  ['argmax/argmin', (x) => [x.argmax(), x.argmax(0), x.argmin(-1, true), x.argmin()]],
  [
    'all/any/countNonzero',
    (x) => {
      const b = x.gt(0.5);
      return [b.all(1), b.any(-1), b.any(), x.gt(0).all([0, 2]), x.gt(1).countNonzero(0)];
    },
  ],
];

/** Each reduction over all dims, one dim, several (negative, keepdim) on dense and strided inputs. */
export const reduceCases: DeviceCase[] = [
  ...ALL_DIMS.flatMap(([name, f]) =>
    ['dense', 'permuted', 'sliced', 'expanded'].map((variant, k) => ({
      name: `${name} ${variant}`,
      tol: 1e-5,
      run: (d: string) => f(views(d)[k]!),
    })),
  ),
  {
    name: 'ties pick the first index',
    run: (d) => {
      const x = input(d, [4, 6], 34, 0, 3).floor();
      return [...x.max(1), ...x.min(0), x.argmax(-1), x.argmin()];
    },
  },
  {
    name: 'sum of 5000 elements',
    tol: 1e-6,
    run: (d) => [input(d, [5000], 35).sum(), input(d, [50, 100], 36).sum(0)],
  },
  {
    name: 'long sums stay accurate (compensated): 65,536 terms of one sign, mean, norm, var',
    tol: 2e-6,
    run: (d) => {
      const x = input(d, [256, 256], 40, 0.5, 1.5);
      return [x.exp().sum(), x.mean(), x.norm(), x.var(), x.logsumexp([0, 1])];
    },
  },
  {
    name: 'empty reductions',
    run: (d) => [
      input(d, [0, 3], 37).sum(0),
      input(d, [0, 3], 38).prod(0),
      input(d, [2, 0], 39).sum(-1, true),
    ],
  },
  {
    name: 'int32 amax and bool sums fall back',
    fallbacks: ['sum'],
    run: (d) => [input(d, [4, 5], 40, -50, 50, 'int32').amax(1), input(d, [4, 5], 41).gt(0).sum(0)],
  },
];
