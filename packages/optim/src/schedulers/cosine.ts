import { TorchletError } from '@torchlet/tensor';
import { checkNonNegative, checkPositiveInt } from '../options.js';
import { type AnyOptimizer, checkSchedulerArgs, LRScheduler, type SchedulerOptions } from './lr-scheduler.js';

/** Options of {@link CosineAnnealingLR}. */
export interface CosineAnnealingLROptions extends SchedulerOptions {
  /** Half-period of the cosine, in epochs. */
  tMax: number;
  /** Lowest rate (default 0). */
  etaMin?: number;
}

/**
 * Anneals the rate along a cosine from the initial rate to `etaMin` over `tMax` epochs (and back up
 * over the next `tMax`, as PyTorch's recursive form does), as `lr_scheduler.CosineAnnealingLR`.
 */
export class CosineAnnealingLR extends LRScheduler {
  tMax: number;
  etaMin: number;
  constructor(optimizer: AnyOptimizer, options: CosineAnnealingLROptions) {
    checkSchedulerArgs('CosineAnnealingLR', optimizer, options, ['tMax', 'etaMin']);
    super('CosineAnnealingLR', optimizer, options.lastEpoch);
    checkPositiveInt('CosineAnnealingLR', 'tMax', options.tMax);
    this.tMax = options.tMax;
    this.etaMin = options.etaMin ?? 0;
    checkNonNegative('CosineAnnealingLR', 'etaMin', this.etaMin);
    this.initialStep();
  }

  protected computeLr(): number[] {
    const { lastEpoch: e, tMax: T, etaMin } = this;
    if (e === 0) return this.groupLrs();
    if (this.stepCount === 1 && e > 0) {
      return this.baseLrs.map((base) => etaMin + ((base - etaMin) * (1 + Math.cos((e * Math.PI) / T))) / 2);
    }
    if ((e - 1 - T) % (2 * T) === 0) {
      return this.groupLrs().map(
        (lr, i) => lr + ((this.baseLrs[i]! - etaMin) * (1 - Math.cos(Math.PI / T))) / 2,
      );
    }
    const ratio = (1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T));
    return this.groupLrs().map((lr) => ratio * (lr - etaMin) + etaMin);
  }

  protected override closedFormLr(): number[] {
    const { lastEpoch: e, tMax: T, etaMin } = this;
    return this.baseLrs.map((base) => etaMin + ((base - etaMin) * (1 + Math.cos((Math.PI * e) / T))) / 2);
  }
}

/** Options of {@link CosineAnnealingWarmRestarts}. */
export interface CosineAnnealingWarmRestartsOptions extends SchedulerOptions {
  /** Epochs until the first restart. */
  t0: number;
  /** Factor by which the period grows after each restart (integer, default 1). */
  tMult?: number;
  /** Lowest rate (default 0). */
  etaMin?: number;
}

/**
 * Cosine annealing with warm restarts (SGDR), as `lr_scheduler.CosineAnnealingWarmRestarts`.
 * `step(epoch)` accepts fractional epochs, e.g. `step(epoch + i / itersPerEpoch)` after each batch.
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  t0: number;
  tI: number;
  tMult: number;
  etaMin: number;
  tCur: number;
  constructor(optimizer: AnyOptimizer, options: CosineAnnealingWarmRestartsOptions) {
    checkSchedulerArgs('CosineAnnealingWarmRestarts', optimizer, options, ['t0', 'tMult', 'etaMin']);
    super('CosineAnnealingWarmRestarts', optimizer, options.lastEpoch);
    checkPositiveInt('CosineAnnealingWarmRestarts', 't0', options.t0);
    this.t0 = options.t0;
    this.tI = options.t0;
    this.tMult = options.tMult ?? 1;
    checkPositiveInt('CosineAnnealingWarmRestarts', 'tMult', this.tMult);
    this.etaMin = options.etaMin ?? 0;
    checkNonNegative('CosineAnnealingWarmRestarts', 'etaMin', this.etaMin);
    this.tCur = this.lastEpoch;
    this.initialStep();
  }

  protected computeLr(): number[] {
    return this.baseLrs.map(
      (base) => this.etaMin + ((base - this.etaMin) * (1 + Math.cos((Math.PI * this.tCur) / this.tI))) / 2,
    );
  }

  override step(epoch?: number): void {
    this.checkOptimizer();
    this.stepCount++;
    let e = epoch;
    if (e === undefined && this.lastEpoch < 0) e = 0;
    if (e === undefined) {
      e = this.lastEpoch + 1;
      this.tCur++;
      if (this.tCur >= this.tI) {
        this.tCur -= this.tI;
        this.tI *= this.tMult;
      }
    } else {
      if (e < 0)
        throw new TorchletError(`CosineAnnealingWarmRestarts: expected a non-negative epoch, got ${e}`);
      if (e >= this.t0) {
        if (this.tMult === 1) this.tCur = e % this.t0;
        else {
          const n = Math.floor(Math.log((e / this.t0) * (this.tMult - 1) + 1) / Math.log(this.tMult));
          this.tCur = e - (this.t0 * (this.tMult ** n - 1)) / (this.tMult - 1);
          this.tI = this.t0 * this.tMult ** n;
        }
      } else {
        this.tI = this.t0;
        this.tCur = e;
      }
    }
    this.lastEpoch = Math.floor(e);
    this.setLrs(this.computeLr());
  }
}
