import { TorchletError } from '@torchlet/tensor';
import { type AnyOptimizer, checkSchedulerArgs, LRScheduler, type SchedulerOptions } from './lr-scheduler.js';

/** A function of the epoch index giving a factor. */
export type LrLambda = (epoch: number) => number;

function lambdas(name: string, optimizer: AnyOptimizer, lrLambda: LrLambda | LrLambda[]): LrLambda[] {
  const n = optimizer.paramGroups.length;
  if (typeof lrLambda === 'function') return new Array<LrLambda>(n).fill(lrLambda);
  if (!Array.isArray(lrLambda) || lrLambda.length !== n || lrLambda.some((f) => typeof f !== 'function')) {
    throw new TorchletError(
      `${name}: expected a function or ${n} functions (one per param group) for lrLambda`,
    );
  }
  return [...lrLambda];
}

/**
 * Sets each group's rate to its initial rate times `lrLambda(epoch)`, as `lr_scheduler.LambdaLR`.
 * The functions are not saved in `stateDict()`.
 *
 * @example new LambdaLR(opt, (epoch) => 0.95 ** epoch)
 */
export class LambdaLR extends LRScheduler {
  private readonly lrLambdas: LrLambda[];
  constructor(optimizer: AnyOptimizer, lrLambda: LrLambda | LrLambda[], options: SchedulerOptions = {}) {
    checkSchedulerArgs('LambdaLR', optimizer, options, []);
    super('LambdaLR', optimizer, options.lastEpoch);
    this.lrLambdas = lambdas('LambdaLR', optimizer, lrLambda);
    this.initialStep();
  }

  protected computeLr(): number[] {
    return this.baseLrs.map((lr, i) => lr * this.lrLambdas[i]!(this.lastEpoch));
  }
}

/** Multiplies each group's rate by `lrLambda(epoch)` every epoch after the first, as `lr_scheduler.MultiplicativeLR`. */
export class MultiplicativeLR extends LRScheduler {
  private readonly lrLambdas: LrLambda[];
  constructor(optimizer: AnyOptimizer, lrLambda: LrLambda | LrLambda[], options: SchedulerOptions = {}) {
    checkSchedulerArgs('MultiplicativeLR', optimizer, options, []);
    super('MultiplicativeLR', optimizer, options.lastEpoch);
    this.lrLambdas = lambdas('MultiplicativeLR', optimizer, lrLambda);
    this.initialStep();
  }

  protected computeLr(): number[] {
    if (this.lastEpoch === 0) return this.groupLrs();
    return this.groupLrs().map((lr, i) => lr * this.lrLambdas[i]!(this.lastEpoch));
  }
}
