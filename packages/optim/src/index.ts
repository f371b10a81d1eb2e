/**
 * @torchlet/optim — optimizers, learning-rate schedules and gradient utilities, in the shape of
 * `torch.optim`, so a PyTorch training loop translates line by line.
 *
 * @example
 * import { tensor } from '@torchlet/tensor';
 * import { SGD, StepLR } from '@torchlet/optim';
 * const w = tensor([1], { requiresGrad: true });
 * const opt = new SGD([w], { lr: 0.01, momentum: 0.9 });
 * const sched = new StepLR(opt, { stepSize: 20, gamma: 0.8 });
 * opt.zeroGrad();
 * w.square().mul(0.5).sum().backward();
 * opt.step();
 * sched.step();
 */
// Closures passed to step() call backward(), which needs the engine installed.
import '@torchlet/autograd';

export {
  AveragedModel,
  type AveragedModelOptions,
  type AveragingFn,
  emaAvgFn,
  type ParameterSource,
  swaAvgFn,
} from './averaged-model.js';
export { type ClipGradNormOptions, clipGradNorm_, clipGradValue_, type ParamsLike } from './clip-grad.js';
export { type EmaOptions, ExponentialMovingAverage, emaSeries } from './ema.js';
export {
  type BaseOptions,
  type Closure,
  Optimizer,
  type OptimizerSpec,
  type OptimizerStateDict,
  type ParamGroup,
  type ParamGroupInput,
  type ParamState,
  type ParamsInput,
  type StateValue,
  type ZeroGradOptions,
} from './optimizer.js';
export { Adadelta, type AdadeltaOptions } from './optimizers/adadelta.js';
export { Adagrad, type AdagradOptions } from './optimizers/adagrad.js';
export { Adam, type AdamOptions, AdamW } from './optimizers/adam.js';
export { Adamax, type AdamaxOptions } from './optimizers/adamax.js';
export { ASGD, type ASGDOptions } from './optimizers/asgd.js';
export { LBFGS, type LBFGSOptions } from './optimizers/lbfgs.js';
export { NAdam, type NAdamOptions } from './optimizers/nadam.js';
export { RAdam, type RAdamOptions } from './optimizers/radam.js';
export { RMSprop, type RMSpropOptions } from './optimizers/rmsprop.js';
export { Rprop, type RpropOptions } from './optimizers/rprop.js';
export { SGD, type SGDOptions } from './optimizers/sgd.js';
export { parametersToVector, vectorToParameters } from './param-vector.js';
export { ChainedScheduler, SequentialLR, type SequentialLROptions } from './schedulers/composite.js';
export {
  CosineAnnealingLR,
  type CosineAnnealingLROptions,
  CosineAnnealingWarmRestarts,
  type CosineAnnealingWarmRestartsOptions,
} from './schedulers/cosine.js';
export { CyclicLR, type CyclicLROptions, OneCycleLR, type OneCycleLROptions } from './schedulers/cyclic.js';
export {
  ExponentialLR,
  type ExponentialLROptions,
  MultiStepLR,
  type MultiStepLROptions,
  PolynomialLR,
  type PolynomialLROptions,
  StepLR,
  type StepLROptions,
} from './schedulers/decay.js';
export { LambdaLR, type LrLambda, MultiplicativeLR } from './schedulers/lambda.js';
export {
  type AnyOptimizer,
  LRScheduler,
  type SchedulerOptions,
  type SchedulerStateDict,
} from './schedulers/lr-scheduler.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './schedulers/plateau.js';
export {
  ConstantLR,
  type ConstantLROptions,
  LinearLR,
  type LinearLROptions,
  type NoamOptions,
  noamLambda,
  noamRate,
} from './schedulers/warmup.js';
