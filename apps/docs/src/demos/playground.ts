/**
 * The "train in your browser" playground without its page: 2-D datasets, an MLP built from the
 * chosen width, depth and activation, an optimizer, full-batch training steps and the class
 * probabilities over a grid for the decision-boundary picture.
 */
import { data, Generator, manualSeed, nn, noGrad, optim, softmax, type Tensor, tensor, tidy } from 'torchlet';

/** The datasets the playground offers, from @torchlet/data's synthetic generators. */
export const DATASETS = {
  moons: (g: Generator, noise: number) => data.makeMoons({ nSamples: 200, noise: 0.1 * noise, generator: g }),
  circles: (g: Generator, noise: number) =>
    data.makeCircles({ nSamples: 200, noise: 0.05 * noise, factor: 0.5, generator: g }),
  spiral: (g: Generator, noise: number) =>
    data.makeSpirals({ nSamples: 300, classes: 3, angleNoise: 0.2 * noise, generator: g }),
} as const;

/** Hidden-layer activations, as the nn modules the tutorials introduce. */
export const ACTIVATIONS = {
  relu: () => new nn.ReLU(),
  tanh: () => new nn.Tanh(),
  sigmoid: () => new nn.Sigmoid(),
  gelu: () => new nn.GELU(),
  leakyRelu: () => new nn.LeakyReLU(),
} as const;

/** Optimizers: plain SGD, SGD with momentum 0.9, Adam and RMSprop. */
export const OPTIMIZERS = {
  sgd: (p: nn.Parameter[], lr: number) => new optim.SGD(p, { lr }),
  momentum: (p: nn.Parameter[], lr: number) => new optim.SGD(p, { lr, momentum: 0.9 }),
  adam: (p: nn.Parameter[], lr: number) => new optim.Adam(p, { lr }),
  rmsprop: (p: nn.Parameter[], lr: number) => new optim.RMSprop(p, { lr }),
} as const;

/** Everything the playground's controls choose. */
export interface PlaygroundConfig {
  dataset: keyof typeof DATASETS;
  /** Noise level, 1 = the usual amount for the dataset. */
  noise: number;
  /** Units per hidden layer. */
  hidden: number;
  /** Number of hidden layers. */
  depth: number;
  activation: keyof typeof ACTIVATIONS;
  optimizer: keyof typeof OPTIMIZERS;
  lr: number;
  seed: number;
  /** Where the model trains: the CPU, or the gpu.js device (load `torchlet/gpu` first). */
  device: 'cpu' | 'gpu';
}

/** The defaults: a small tanh MLP with Adam on two moons, which separates them in a few hundred steps. */
export const DEFAULT_CONFIG: PlaygroundConfig = {
  dataset: 'moons',
  noise: 1,
  hidden: 16,
  depth: 2,
  activation: 'tanh',
  optimizer: 'adam',
  lr: 0.03,
  seed: 1,
  device: 'cpu',
};

/** An MLP `2 → hidden (× depth) → classes` with the activation after every hidden layer. */
export function buildMlp(
  config: Pick<PlaygroundConfig, 'hidden' | 'depth' | 'activation'>,
  classes: number,
): nn.Sequential {
  const layers: nn.Module[] = [];
  let width = 2;
  for (let i = 0; i < config.depth; i++) {
    layers.push(new nn.Linear(width, config.hidden), ACTIVATIONS[config.activation]());
    width = config.hidden;
  }
  layers.push(new nn.Linear(width, classes));
  return new nn.Sequential(...layers);
}

/** A training session: data standardized to mean 0 and variance 1 per axis, model, optimizer. */
export class Playground {
  readonly x: Tensor;
  readonly y: Tensor;
  /** Standardized inputs as a flat `[x0, y0, x1, y1, ...]` array, for drawing. */
  readonly points: Float32Array;
  readonly labels: Int32Array;
  readonly classes: number;
  /** Half the side of the square view centred on 0 that holds every point with a margin. */
  readonly extent: number;
  readonly model: nn.Sequential;
  optimizer: optim.Optimizer;
  /** The loss after each step (the loss before the first step at index 0). */
  readonly losses: number[] = [];

  constructor(readonly config: PlaygroundConfig) {
    const set = DATASETS[config.dataset](new Generator(config.seed), config.noise);
    this.labels = Int32Array.from(set.y.dataSync());
    this.classes = Math.max(...this.labels) + 1;
    this.points = standardize(Float32Array.from(set.x.dataSync()));
    this.extent = 1.15 * this.points.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    this.x = tensor(this.points, { shape: [this.labels.length, 2], device: config.device });
    this.y = tensor(this.labels, { shape: [this.labels.length], dtype: 'int32', device: config.device });
    manualSeed(config.seed);
    this.model = buildMlp(config, this.classes).to(config.device);
    this.optimizer = OPTIMIZERS[config.optimizer](this.model.parameters(), config.lr);
    this.losses.push(this.loss());
  }

  /** Steps taken so far. */
  get steps(): number {
    return this.losses.length - 1;
  }

  /** Cross-entropy of the whole dataset, without recording for backward. */
  loss(): number {
    return tidy(() => noGrad(() => nn.F.crossEntropy(this.model.call(this.x), this.y).item()));
  }

  /** Fraction of points whose most probable class is their label. */
  accuracy(): number {
    const logits = tidy(() => noGrad(() => this.model.call(this.x)).dataSync());
    let right = 0;
    for (let i = 0; i < this.labels.length; i++) {
      let best = 0;
      for (let k = 1; k < this.classes; k++) {
        if (logits[i * this.classes + k]! > logits[i * this.classes + best]!) best = k;
      }
      if (best === this.labels[i]) right++;
    }
    return right / this.labels.length;
  }

  /** `n` full-batch gradient steps; returns the loss after the last. */
  train(n: number): number {
    for (let i = 0; i < n; i++) {
      // tidy frees each step's device memory at once (a no-op on the CPU).
      tidy(() => {
        this.optimizer.zeroGrad();
        nn.F.crossEntropy(this.model.call(this.x), this.y).backward();
        this.optimizer.step();
      });
      this.losses.push(this.loss());
    }
    return this.losses[this.losses.length - 1]!;
  }

  /** Changes the learning rate of the running optimizer (its state is kept). */
  setLearningRate(lr: number): void {
    this.config.lr = lr;
    for (const group of this.optimizer.paramGroups) group.lr = lr;
  }

  /** Replaces the optimizer (its state starts afresh; the weights are kept). */
  setOptimizer(name: keyof typeof OPTIMIZERS): void {
    this.config.optimizer = name;
    this.optimizer = OPTIMIZERS[name](this.model.parameters(), this.config.lr);
  }

  /**
   * Class probabilities at the centres of a `res`×`res` grid over the view, row 0 at the top:
   * `[res*res*classes]`.
   */
  probabilityGrid(res: number): Float32Array {
    const grid = new Float32Array(res * res * 2);
    const e = this.extent;
    for (let r = 0; r < res; r++) {
      for (let c = 0; c < res; c++) {
        grid[2 * (r * res + c)] = -e + (2 * e * (c + 0.5)) / res;
        grid[2 * (r * res + c) + 1] = e - (2 * e * (r + 0.5)) / res;
      }
    }
    const points = tensor(grid, { shape: [res * res, 2], device: this.config.device });
    return tidy(() => noGrad(() => softmax(this.model.call(points), -1).dataSync() as Float32Array));
  }
}

/** Shifts and scales each of the two columns of `xy` to mean 0 and variance 1, in place. */
function standardize(xy: Float32Array): Float32Array {
  const n = xy.length / 2;
  for (let k = 0; k < 2; k++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += xy[2 * i + k]!;
    mean /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (xy[2 * i + k]! - mean) ** 2;
    const std = Math.sqrt(v / n) || 1;
    for (let i = 0; i < n; i++) xy[2 * i + k] = (xy[2 * i + k]! - mean) / std;
  }
  return xy;
}
