import { type Generator, type Tensor, TorchletError } from '@torchlet/tensor';
import { TensorDataset } from '../dataset.js';
import { generatorOr, permutation, standardNormal, uniformIn } from '../random.js';
import { wrapArray } from '../tensor-data.js';

/** A synthetic dataset: inputs `x` and targets `y` (also as a TensorDataset for a DataLoader). */
export class XYDataset extends TensorDataset {
  constructor(
    readonly x: Tensor,
    readonly y: Tensor,
  ) {
    super(x, y);
  }
}

/** Options shared by the synthetic generators. */
export interface SyntheticOptions {
  nSamples?: number;
  /** Standard deviation of Gaussian noise added to the inputs (targets for regression). */
  noise?: number;
  /** Shuffle the samples (default true; otherwise grouped by class). */
  shuffle?: boolean;
  generator?: Generator;
}

function count(op: string, n: number, min = 1): number {
  if (!Number.isInteger(n) || n < min)
    throw new TorchletError(`${op}: nSamples must be an integer >= ${min}, got ${n}`);
  return n;
}

/** Builds the dataset from point coordinates and labels, adding noise and shuffling rows. */
function classification(points: number[][], labels: number[], o: SyntheticOptions, g: Generator): XYDataset {
  const n = labels.length;
  const d = points[0]?.length ?? 0;
  const order = (o.shuffle ?? true) ? permutation(n, g) : Int32Array.from({ length: n }, (_, i) => i);
  const x = new Float32Array(n * d);
  const y = new Int32Array(n);
  const noise = o.noise ?? 0;
  order.forEach((src, i) => {
    for (let k = 0; k < d; k++) x[i * d + k] = points[src]![k]! + (noise > 0 ? noise * standardNormal(g) : 0);
    y[i] = labels[src]!;
  });
  return new XYDataset(wrapArray(x, [n, d]), wrapArray(y, [n]));
}

/**
 * XOR: inputs at the corners of the unit square, label 1 where exactly one coordinate is 1. With
 * the defaults (4 samples, no noise, no shuffle) it is the truth table itself.
 */
export function makeXor(options: SyntheticOptions = {}): XYDataset {
  const n = count('makeXor', options.nSamples ?? 4);
  const g = generatorOr(options.generator);
  const corners = [
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ];
  const points = Array.from({ length: n }, (_, i) => corners[i % 4]!);
  return classification(
    points,
    points.map(([a, b]) => a! ^ b!),
    { shuffle: false, ...options },
    g,
  );
}

/** Two interleaving half circles (`sklearn.datasets.make_moons`). */
export function makeMoons(options: SyntheticOptions = {}): XYDataset {
  const n = count('makeMoons', options.nSamples ?? 100, 2);
  const nOut = Math.floor(n / 2);
  const nIn = n - nOut;
  const points: number[][] = [];
  for (let i = 0; i < nOut; i++) {
    const t = nOut > 1 ? (Math.PI * i) / (nOut - 1) : 0;
    points.push([Math.cos(t), Math.sin(t)]);
  }
  for (let i = 0; i < nIn; i++) {
    const t = nIn > 1 ? (Math.PI * i) / (nIn - 1) : 0;
    points.push([1 - Math.cos(t), 1 - Math.sin(t) - 0.5]);
  }
  const labels = points.map((_, i) => (i < nOut ? 0 : 1));
  return classification(points, labels, options, generatorOr(options.generator));
}

/** A large circle containing a smaller one, radius ratio `factor` (`sklearn.datasets.make_circles`). */
export function makeCircles(options: SyntheticOptions & { factor?: number } = {}): XYDataset {
  const n = count('makeCircles', options.nSamples ?? 100, 2);
  const factor = options.factor ?? 0.8;
  if (!(factor >= 0 && factor < 1))
    throw new TorchletError(`makeCircles: factor must be in [0, 1), got ${factor}`);
  const nOut = Math.floor(n / 2);
  const nIn = n - nOut;
  const ring = (m: number, r: number) =>
    Array.from({ length: m }, (_, i) => [
      r * Math.cos((2 * Math.PI * i) / m),
      r * Math.sin((2 * Math.PI * i) / m),
    ]);
  const points = [...ring(nOut, 1), ...ring(nIn, factor)];
  const labels = points.map((_, i) => (i < nOut ? 0 : 1));
  return classification(points, labels, options, generatorOr(options.generator));
}

/**
 * `classes` interleaved spiral arms (the CS231n spiral data): arm j has radius growing from 0 to 1
 * and angle from 4j to 4(j+1) radians, with Gaussian noise of `angleNoise` on the angle.
 */
export function makeSpirals(
  options: SyntheticOptions & { classes?: number; angleNoise?: number } = {},
): XYDataset {
  const classes = options.classes ?? 3;
  const n = count('makeSpirals', options.nSamples ?? 300, classes);
  const g = generatorOr(options.generator);
  const per = Math.floor(n / classes);
  const points: number[][] = [];
  const labels: number[] = [];
  for (let j = 0; j < classes; j++) {
    const m = j === classes - 1 ? n - per * (classes - 1) : per;
    for (let i = 0; i < m; i++) {
      const r = m > 1 ? i / (m - 1) : 0;
      const t = 4 * j + (m > 1 ? (4 * i) / (m - 1) : 0) + (options.angleNoise ?? 0.2) * standardNormal(g);
      points.push([r * Math.sin(t), r * Math.cos(t)]);
      labels.push(j);
    }
  }
  return classification(points, labels, options, g);
}

/** Options of {@link makeBlobs}. */
export interface BlobsOptions extends SyntheticOptions {
  /** Number of centers (drawn uniformly in `centerBox`) or the centers themselves. */
  centers?: number | number[][];
  nFeatures?: number;
  clusterStd?: number;
  centerBox?: [number, number];
}

/** Isotropic Gaussian blobs, one class per center (`sklearn.datasets.make_blobs`). */
export function makeBlobs(options: BlobsOptions = {}): XYDataset {
  const n = count('makeBlobs', options.nSamples ?? 100);
  const g = generatorOr(options.generator);
  const d = Array.isArray(options.centers) ? options.centers[0]!.length : (options.nFeatures ?? 2);
  const [lo, hi] = options.centerBox ?? [-10, 10];
  const centers = Array.isArray(options.centers)
    ? options.centers
    : Array.from({ length: options.centers ?? 3 }, () =>
        Array.from({ length: d }, () => uniformIn(g, lo, hi)),
      );
  const std = options.clusterStd ?? 1;
  const points: number[][] = [];
  const labels: number[] = [];
  centers.forEach((c, j) => {
    const m = Math.floor(n / centers.length) + (j < n % centers.length ? 1 : 0);
    for (let i = 0; i < m; i++) {
      points.push(c.map((v) => v + std * standardNormal(g)));
      labels.push(j);
    }
  });
  return classification(points, labels, options, g);
}

/** Noisy sine regression: `x` uniform in `range` (default [-π, π]), `y = sin(x) + noise`, both `[N,1]`. */
export function makeSine(options: SyntheticOptions & { range?: [number, number] } = {}): XYDataset {
  const n = count('makeSine', options.nSamples ?? 100);
  const g = generatorOr(options.generator);
  const [lo, hi] = options.range ?? [-Math.PI, Math.PI];
  const noise = options.noise ?? 0.1;
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = uniformIn(g, lo, hi);
    y[i] = Math.sin(x[i]!) + noise * standardNormal(g);
  }
  return new XYDataset(wrapArray(x, [n, 1]), wrapArray(y, [n, 1]));
}

/** The teacher network of {@link makeTeacherStudent}: `y = tanh(x W1ᵀ + b1) W2ᵀ + b2`. */
export interface Teacher {
  w1: Tensor;
  b1: Tensor;
  w2: Tensor;
  b2: Tensor;
}

/**
 * A teacher–student regression task: inputs `x ~ N(0, 1)` of `inFeatures`, targets from a random
 * one-hidden-layer tanh network (weights `N(0, 1/fanIn)`) plus Gaussian `noise`. A student of the
 * same shape can fit it exactly, which makes over- and under-parameterization visible.
 */
export function makeTeacherStudent(
  options: SyntheticOptions & { inFeatures?: number; hidden?: number; outFeatures?: number } = {},
): XYDataset & { teacher: Teacher } {
  const n = count('makeTeacherStudent', options.nSamples ?? 1000);
  const { inFeatures: fi = 10, hidden: fh = 20, outFeatures: fo = 1, noise = 0 } = options;
  const g = generatorOr(options.generator);
  const normal = (m: number, scale: number) =>
    Float32Array.from({ length: m }, () => scale * standardNormal(g));
  const w1 = normal(fh * fi, 1 / Math.sqrt(fi));
  const b1 = normal(fh, 0.1);
  const w2 = normal(fo * fh, 1 / Math.sqrt(fh));
  const b2 = normal(fo, 0.1);
  const x = normal(n * fi, 1);
  const y = new Float32Array(n * fo);
  const hid = new Float64Array(fh);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < fh; j++) {
      let s = b1[j]!;
      for (let k = 0; k < fi; k++) s += w1[j * fi + k]! * x[i * fi + k]!;
      hid[j] = Math.tanh(s);
    }
    for (let o = 0; o < fo; o++) {
      let s = b2[o]!;
      for (let j = 0; j < fh; j++) s += w2[o * fh + j]! * hid[j]!;
      y[i * fo + o] = s + (noise > 0 ? noise * standardNormal(g) : 0);
    }
  }
  const ds = new XYDataset(wrapArray(x, [n, fi]), wrapArray(y, [n, fo]));
  const teacher = {
    w1: wrapArray(w1, [fh, fi]),
    b1: wrapArray(b1, [fh]),
    w2: wrapArray(w2, [fo, fh]),
    b2: wrapArray(b2, [fo]),
  };
  return Object.assign(ds, { teacher });
}
