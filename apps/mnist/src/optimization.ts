import type { Parameter } from '@torchlet/nn';
import {
  Adam,
  AdamW,
  CosineAnnealingLR,
  type LRScheduler,
  OneCycleLR,
  type Optimizer,
  RMSprop,
  SGD,
  StepLR,
} from '@torchlet/optim';
import type { TrainConfig } from './config.js';

/** The optimizer the config names, over `params`. */
export function buildOptimizer(config: TrainConfig, params: Parameter[]): Optimizer {
  const { lr, weightDecay } = config;
  switch (config.optimizer) {
    case 'sgd':
      return new SGD(params, { lr, weightDecay });
    case 'momentum':
      return new SGD(params, { lr, momentum: 0.9, weightDecay });
    case 'adam':
      return new Adam(params, { lr, weightDecay });
    case 'adamw':
      return new AdamW(params, { lr, weightDecay: weightDecay || 0.01 });
    case 'rmsprop':
      return new RMSprop(params, { lr, weightDecay });
  }
}

/**
 * The schedule the config names. `onecycle` steps every batch; the others once per epoch
 * (`perBatch` says which).
 */
export function buildScheduler(
  config: TrainConfig,
  optimizer: Optimizer,
  stepsPerEpoch: number,
): { scheduler: LRScheduler | null; perBatch: boolean } {
  switch (config.scheduler) {
    case 'none':
      return { scheduler: null, perBatch: false };
    case 'step':
      return {
        scheduler: new StepLR(optimizer, {
          stepSize: Math.max(1, Math.floor(config.epochs / 3)),
          gamma: 0.1,
        }),
        perBatch: false,
      };
    case 'cosine':
      return { scheduler: new CosineAnnealingLR(optimizer, { tMax: config.epochs }), perBatch: false };
    case 'onecycle':
      return {
        scheduler: new OneCycleLR(optimizer, {
          maxLr: config.lr * 10,
          totalSteps: config.epochs * stepsPerEpoch,
        }),
        perBatch: true,
      };
  }
}
