import { TorchletError, zeros } from '@torchlet/tensor';
import {
  Adam,
  type AnyOptimizer,
  ChainedScheduler,
  ConstantLR,
  CosineAnnealingLR,
  CosineAnnealingWarmRestarts,
  CyclicLR,
  ExponentialLR,
  LambdaLR,
  LinearLR,
  type LRScheduler,
  MultiplicativeLR,
  MultiStepLR,
  OneCycleLR,
  PolynomialLR,
  ReduceLROnPlateau,
  SequentialLR,
  SGD,
  StepLR,
} from '../index.js';

export interface ScheduleFixture {
  name: string;
  options: Record<string, unknown>;
  optimizer: 'sgd' | 'adam';
  lrs: number[][];
  momentum?: number[][];
  metrics?: number[];
}

/** The fixtures' optimizer: two param groups with rates 0.1 and 0.05. */
export function twoGroups(kind: 'sgd' | 'adam'): AnyOptimizer {
  const groups = [
    { params: [zeros([2], { requiresGrad: true })] },
    { params: [zeros([3], { requiresGrad: true })], lr: 0.05 },
  ];
  return kind === 'adam' ? new Adam(groups, { lr: 0.1 }) : new SGD(groups, { lr: 0.1, momentum: 0.9 });
}

const LAMBDAS: Record<string, (epoch: number) => number> = {
  pow095: (e) => 0.95 ** e,
  const097: () => 0.97,
};

type Ctor = new (optimizer: AnyOptimizer, options: never) => LRScheduler;
const SIMPLE: Record<string, Ctor> = {
  StepLR,
  MultiStepLR,
  ExponentialLR,
  CosineAnnealingLR,
  CosineAnnealingWarmRestarts,
  LinearLR,
  ConstantLR,
  PolynomialLR,
  OneCycleLR,
  CyclicLR,
} as unknown as Record<string, Ctor>;

/** Something with `step()` and `getLastLr()`: every scheduler, including composites and plateau. */
export interface AnySchedule {
  step(metric?: number): void;
  getLastLr(): number[];
  stateDict(): Record<string, unknown>;
  loadStateDict(state: Record<string, unknown>): void;
}

/** Builds the scheduler a fixture describes. */
export function buildSchedule(
  opt: AnyOptimizer,
  name: string,
  options: Record<string, unknown>,
): AnySchedule {
  if (name in SIMPLE) return new SIMPLE[name]!(opt, options as never) as unknown as AnySchedule;
  if (name === 'LambdaLR') return new LambdaLR(opt, LAMBDAS[options.lambda as string]!);
  if (name === 'MultiplicativeLR') return new MultiplicativeLR(opt, LAMBDAS[options.lambda as string]!);
  if (name === 'ReduceLROnPlateau') return new ReduceLROnPlateau(opt, options) as unknown as AnySchedule;
  const children = (options.schedulers as [string, Record<string, unknown>][]).map(
    ([n, o]) => buildSchedule(opt, n, o) as unknown as LRScheduler,
  );
  if (name === 'SequentialLR') {
    return new SequentialLR(opt, { schedulers: children, milestones: options.milestones as number[] });
  }
  if (name === 'ChainedScheduler') return new ChainedScheduler(children);
  throw new TorchletError(`unknown schedule ${name}`);
}
