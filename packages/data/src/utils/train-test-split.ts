import { type Generator, type Tensor, TorchletError } from '@torchlet/tensor';
import { generatorOr, permutation } from '../random.js';
import { checkSameLength, gatherRows, rowsOf } from '../tensor-data.js';

/** Options of {@link trainTestSplit}, as scikit-learn's `train_test_split`. */
export interface TrainTestSplitOptions {
  /** Fraction in (0, 1) or a count of test samples (default 0.25). */
  testSize?: number;
  /** Shuffle before splitting (default true). */
  shuffle?: boolean;
  /** Class labels `[N]`: keep each class's share the same in both parts. */
  stratify?: Tensor;
  generator?: Generator;
}

/**
 * Splits tensors (same size in dim 0) into train and test rows, returned in scikit-learn's order:
 * `[aTrain, aTest, bTrain, bTest, …]`.
 *
 * @example const [xTrain, xTest, yTrain, yTest] = trainTestSplit([x, y], { testSize: 0.2, stratify: y });
 */
export function trainTestSplit(tensors: readonly Tensor[], options: TrainTestSplitOptions = {}): Tensor[] {
  if (tensors.length === 0) throw new TorchletError('trainTestSplit: expected at least one tensor');
  const n = checkSameLength('trainTestSplit', tensors);
  const size = options.testSize ?? 0.25;
  const nTest = size > 0 && size < 1 ? Math.ceil(size * n) : size;
  if (!Number.isInteger(nTest) || nTest <= 0 || nTest >= n) {
    throw new TorchletError(
      `trainTestSplit: testSize ${size} leaves an empty part of ${n} samples (give a fraction in (0, 1) or a count in [1, ${n - 1}])`,
    );
  }
  const g = generatorOr(options.generator);
  const shuffle = options.shuffle ?? true;
  let train: number[];
  let test: number[];
  if (options.stratify) {
    if (!shuffle) throw new TorchletError('trainTestSplit: stratify needs shuffle: true');
    [train, test] = stratifiedIndices(options.stratify, n, nTest, g);
  } else {
    const order = shuffle ? Array.from(permutation(n, g)) : Array.from({ length: n }, (_, i) => i);
    [train, test] = [order.slice(0, n - nTest), order.slice(n - nTest)];
  }
  return tensors.flatMap((t) => {
    const rows = rowsOf(t, 'trainTestSplit');
    return [gatherRows(rows, train, 'trainTestSplit'), gatherRows(rows, test, 'trainTestSplit')];
  });
}

/** Test counts per class by largest remainder, so they sum to `nTest`; each class shuffled. */
function stratifiedIndices(labels: Tensor, n: number, nTest: number, g: Generator): [number[], number[]] {
  if (labels.ndim !== 1 || labels.shape[0] !== n) {
    throw new TorchletError(`trainTestSplit: stratify must be labels of shape [${n}], got [${labels.shape}]`);
  }
  const values = labels.dataSync();
  const byClass = new Map<number, number[]>();
  values.forEach((v, i) => {
    const list = byClass.get(v);
    if (list) list.push(i);
    else byClass.set(v, [i]);
  });
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  const exact = classes.map((c) => (byClass.get(c)!.length * nTest) / n);
  const counts = exact.map(Math.floor);
  const order = exact.map((e, k) => ({ k, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.k - b.k);
  for (let left = nTest - counts.reduce((a, b) => a + b, 0), j = 0; left > 0; left--, j++)
    counts[order[j]!.k]!++;
  const train: number[] = [];
  const test: number[] = [];
  classes.forEach((c, k) => {
    const members = byClass.get(c)!;
    const perm = permutation(members.length, g);
    perm.forEach((p, j) => {
      (j < counts[k]! ? test : train).push(members[p]!);
    });
  });
  const shuffled = (idx: number[]) => Array.from(permutation(idx.length, g), (p) => idx[p]!);
  return [shuffled(train), shuffled(test)];
}
