import { type Tensor, tensor } from '@torchlet/tensor';
import { type DeviceCase, input } from './case.js';

/** An int32 index of `shape` with entries in [0, n), on `device`. */
function indices(device: string, shape: number[], n: number, seed: number): Tensor {
  return input(device, shape, seed, 0, n, 'int32');
}

const MODES = ['sum', 'prod', 'mean', 'amax', 'amin'] as const;

/** gather and every scatter mode, along first/last/negative dims, with strided operands. */
export const gatherScatterCases: DeviceCase[] = [
  {
    name: 'gather along each dim, index smaller than input',
    run: (d) => {
      const x = input(d, [4, 5, 6], 61);
      return [
        x.gather(0, indices(d, [3, 5, 2], 4, 62)),
        x.gather(1, indices(d, [4, 7, 6], 5, 63)),
        x.gather(-1, indices(d, [2, 3, 9], 6, 64)),
      ];
    },
  },
  {
    name: 'gather of a transposed input with an expanded index (cross-entropy pick)',
    run: (d) => [
      input(d, [5, 8], 65).T.gather(0, indices(d, [1, 5], 8, 66)),
      input(d, [6, 10], 67).gather(1, indices(d, [6], 10, 68).unsqueeze(1)),
      input(d, [3, 4], 69).gather(1, indices(d, [1, 2], 4, 70).expand([3, 2])),
    ],
  },
  {
    name: 'indexSelect and int32 gather',
    run: (d) => [
      input(d, [5, 3], 71).indexSelect(0, tensor([4, 0, 2, 2], { dtype: 'int32', device: d })),
      input(d, [4, 3], 72, -9, 9, 'int32').gather(1, indices(d, [4, 2], 3, 73)),
    ],
  },
  {
    name: 'scatter (last write wins) and scatter of a value',
    run: (d) => {
      const x = input(d, [4, 6], 74);
      const idx = tensor(
        [
          [0, 1, 0],
          [3, 3, 2],
          [1, 0, 0],
        ],
        { dtype: 'int32', device: d },
      );
      return [
        x.scatter(0, idx, input(d, [3, 3], 75)),
        x.scatter(1, idx, 2.5),
        x.scatter(-1, idx, input(d, [5, 4], 76)),
      ];
    },
  },
  {
    name: 'scatterAdd as the gather gradient (cross-entropy backward)',
    run: (d) => [
      input(d, [6, 10], 77)
        .mul(0)
        .scatterAdd(1, indices(d, [6, 1], 10, 78), input(d, [6, 1], 79)),
      input(d, [5, 4], 80).scatterAdd(0, indices(d, [7, 4], 5, 81), input(d, [7, 4], 82).T.contiguous().T),
    ],
  },
  ...MODES.flatMap((mode): DeviceCase[] =>
    [true, false].map((includeSelf) => ({
      name: `scatterReduce ${mode} includeSelf=${includeSelf}`,
      run: (d) =>
        input(d, [3, 5], 83).scatterReduce(0, indices(d, [6, 5], 3, 84), input(d, [6, 5], 85), mode, {
          includeSelf,
        }),
    })),
  ),
  {
    name: 'int32 scatter mean floors',
    run: (d) =>
      input(d, [3, 4], 86, -20, 20, 'int32').scatterReduce(
        1,
        indices(d, [3, 6], 4, 87),
        input(d, [3, 6], 88, -20, 20, 'int32'),
        'mean',
      ),
  },
  {
    name: 'indexAdd and indexFill',
    run: (d) => [
      input(d, [5, 3], 89).indexAdd(
        0,
        tensor([1, 4, 1], { dtype: 'int32', device: d }),
        input(d, [3, 3], 90),
        2,
      ),
      input(d, [4, 5], 91).indexFill(1, tensor([0, 3], { dtype: 'int32', device: d }), -1),
    ],
  },
];
