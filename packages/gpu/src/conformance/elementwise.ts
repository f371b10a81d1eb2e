import { BINARY, type DType, exprOutDtype, run1, TERNARY, tensor, UNARY } from '@torchlet/tensor';
import { CPU_ONLY } from '../kernels/elementwise.js';
import { type DeviceCase, input } from './case.js';

/** Input range per op where [-2, 2) leaves the domain (logs, roots, inverse hyperbolics, divisors). */
const RANGES: Record<string, [number, number][]> = {
  log: [[0.1, 4]],
  log2: [[0.1, 4]],
  log10: [[0.1, 4]],
  sqrt: [[0.1, 4]],
  rsqrt: [[0.1, 4]],
  reciprocal: [[0.2, 2]],
  acosh: [[1.1, 4]],
  atanh: [[-0.9, 0.9]],
  asin: [[-0.9, 0.9]],
  acos: [[-0.9, 0.9]],
  log1p: [[-0.5, 3]],
  div: [
    [-2, 2],
    [0.2, 2],
  ],
  divTrunc: [
    [-4, 4],
    [0.3, 2],
  ],
  remainder: [
    [-4, 4],
    [0.3, 2],
  ],
  fmod: [
    [-4, 4],
    [0.3, 2],
  ],
  floorDivide: [
    [-4, 4],
    [0.3, 2],
  ],
  pow: [
    [0.1, 3],
    [-2, 2],
  ],
  xlogy: [
    [-2, 2],
    [0.1, 3],
  ],
  addcdiv: [
    [-2, 2],
    [-2, 2],
    [0.2, 2],
  ],
  lerp: [
    [-2, 2],
    [-2, 2],
    [0, 1],
  ],
  rpowScalar: [[-2, 2]],
};

/** Scalar parameters per op (p0, p1), as the tensor ops pass them. */
const PARAMS: Record<string, [number, number]> = {
  clampScalar: [-0.5, 0.5],
  leakyRelu: [0.01, 0],
  elu: [1, 1],
  softplus: [1, 20],
  hardtanh: [-1, 1],
  threshold: [0.1, 20],
  powScalar: [3, 0],
  rpowScalar: [2, 0],
  addcmul: [0.5, 0],
  addcdiv: [0.5, 0],
};

/** GPU trigonometry is approximate (WebGL allows it; SwiftShader's sin/cos err by ~1e-4). */
const TOLERANCE: Record<string, number> = { sin: 5e-4, cos: 5e-4, tan: 1e-3, acos: 1e-4, asin: 1e-4 };

const ARITY: [Record<string, unknown>, number][] = [
  [UNARY, 1],
  [BINARY, 2],
  [TERNARY, 3],
];

/** Kernel `name` over float32 inputs of `shapes`, called as the tensor ops call it. */
function exprCase(name: string, arity: number, shapes: number[][], variant: string): DeviceCase {
  const table = ARITY.find(([, n]) => n === arity)![0] as Record<string, Parameters<typeof exprOutDtype>[0]>;
  const dtype = exprOutDtype(table[name]!, 'float32');
  const [p0, p1] = PARAMS[name] ?? [0, 0];
  return {
    name: `${name} ${variant}`,
    tol: TOLERANCE[name] ?? 2e-5,
    run(device) {
      const inputs = shapes.map((shape, k) => {
        const [lo, hi] = RANGES[name]?.[k] ?? [-2, 2];
        const t = input(device, shape, 17 * k + name.length, lo, hi);
        return name === 'where' && k === 0 ? t.gt(0) : t;
      });
      return run1(name, inputs, { dtype, computeDtype: 'float32' as DType, p0, p1 });
    },
  };
}

function deviceOps(): [string, number][] {
  return ARITY.flatMap(([table, arity]) =>
    Object.keys(table)
      .filter((name) => !CPU_ONLY.has(name))
      .map((name): [string, number] => [name, arity]),
  );
}

/** Every device expression op, dense and broadcast, plus views, casts, integers and in-place writes. */
export const elementwiseCases: DeviceCase[] = [
  ...deviceOps().map(([name, arity]) => exprCase(name, arity, Array(arity).fill([3, 5]), 'dense')),
  ...deviceOps()
    .filter(([, arity]) => arity > 1)
    .map(([name, arity]) =>
      exprCase(
        name,
        arity,
        [
          [4, 1, 3],
          [5, 1],
          [1, 3],
        ].slice(0, arity),
        'broadcast',
      ),
    ),
  {
    name: 'add of transposed, sliced and expanded views',
    run: (device) => {
      const a = input(device, [4, 6], 1).T;
      const b = input(device, [12, 4], 2).index('::2');
      const c = input(device, [1, 4], 3).expand([6, 4]);
      return a.add(b.add(c));
    },
  },
  {
    name: 'casts float32 → int32 and bool, bool → float32',
    run: (device) => {
      const x = input(device, [10], 4, -5, 5);
      return [x.to('int32'), x.to('bool'), x.gt(0).to('float32'), x.to('int32').to('float32')];
    },
  },
  {
    name: 'int32 arithmetic and comparisons',
    run: (device) => {
      const a = input(device, [3, 4], 5, -100, 100, 'int32');
      const b = input(device, [4], 6, -100, 100, 'int32');
      return [a.add(b), a.sub(b), a.mul(b), a.neg(), a.maximum(b), a.lt(b), a.eq(a), a.abs()];
    },
  },
  {
    name: 'bool logic and where',
    run: (device) => {
      const m = input(device, [2, 3], 7).gt(0);
      const n = input(device, [3], 8).lt(0.5);
      return [
        m.logicalAnd(n),
        m.logicalOr(n),
        m.logicalNot(),
        m.where(input(device, [2, 3], 9), tensor(0).to(device)),
      ];
    },
  },
  {
    name: 'in-place add_, mul_, copy_ into whole tensors and into a slice',
    fallbacks: ['identity'],
    run: (device) => {
      const x = input(device, [3, 4], 10);
      x.add_(input(device, [4], 11)).mul_(2);
      const y = input(device, [3, 4], 12);
      y.index(':, 1:3').copy_(input(device, [3, 2], 13));
      return [x, y];
    },
  },
];
