import { TorchletError } from '@torchlet/tensor';
import type { ParamGroup } from '../optimizer.js';
import { checkBoolean, checkChoice, checkPositiveInt, checkUnitInterval, invalidOption } from '../options.js';
import {
  type AnyOptimizer,
  checkSchedulerArgs,
  LRScheduler,
  perGroup,
  type SchedulerOptions,
} from './lr-scheduler.js';

type Group = ParamGroup<{ lr: number }>;

/** Which momentum-like option a schedule cycles: SGD's `momentum` or Adam's `betas[0]`. */
function momentumKey(name: string, optimizer: AnyOptimizer, allowBetas: boolean): 'momentum' | 'betas' {
  if ('momentum' in optimizer.defaults) return 'momentum';
  if (allowBetas && 'betas' in optimizer.defaults) return 'betas';
  throw new TorchletError(
    `${name}: cycleMomentum needs an optimizer with a 'momentum'${allowBetas ? " or 'betas'" : ''} option; pass cycleMomentum: false`,
  );
}

function setMomentum(group: Group, key: 'momentum' | 'betas', value: number): void {
  if (key === 'momentum') group.momentum = value;
  else group.betas = [value, (group.betas as number[])[1]!];
}

/** Options of {@link CyclicLR}. */
export interface CyclicLROptions extends SchedulerOptions {
  /** Lower rate of the cycle (one value or one per group). */
  baseLr: number | number[];
  /** Upper rate of the cycle (one value or one per group). */
  maxLr: number | number[];
  /** Steps of the increasing half (default 2000). */
  stepSizeUp?: number;
  /** Steps of the decreasing half (default `stepSizeUp`). */
  stepSizeDown?: number;
  /** `'triangular'` (default), `'triangular2'` (amplitude halves each cycle), `'expRange'` (scaled by gamma^step). */
  mode?: 'triangular' | 'triangular2' | 'expRange';
  /** Base of `'expRange'` (default 1). */
  gamma?: number;
  /** Custom amplitude scale; overrides `mode`. */
  scaleFn?: (x: number) => number;
  /** Whether `scaleFn` takes the cycle number or the step (default `'cycle'`). */
  scaleMode?: 'cycle' | 'iterations';
  /** Cycle momentum inversely to the rate (default true; needs an optimizer with momentum). */
  cycleMomentum?: boolean;
  baseMomentum?: number | number[];
  maxMomentum?: number | number[];
}

/**
 * Cycles the rate between `baseLr` and `maxLr` (cyclical learning rates), as `lr_scheduler.CyclicLR`.
 * Step it after every batch.
 */
export class CyclicLR extends LRScheduler {
  maxLrs: number[];
  totalSize: number;
  stepRatio: number;
  mode: string;
  gamma: number;
  scaleMode: 'cycle' | 'iterations';
  cycleMomentum: boolean;
  baseMomentums: number[] = [];
  maxMomentums: number[] = [];
  private readonly scaleFn: (x: number) => number;
  private readonly momentumKey: 'momentum' | 'betas' = 'momentum';

  constructor(optimizer: AnyOptimizer, options: CyclicLROptions) {
    checkSchedulerArgs('CyclicLR', optimizer, options, [
      'baseLr',
      'maxLr',
      'stepSizeUp',
      'stepSizeDown',
      'mode',
      'gamma',
      'scaleFn',
      'scaleMode',
      'cycleMomentum',
      'baseMomentum',
      'maxMomentum',
    ]);
    const baseLrs = perGroup('CyclicLR', 'baseLr', optimizer, options.baseLr);
    const lastEpoch = options.lastEpoch ?? -1;
    if (lastEpoch === -1) {
      optimizer.paramGroups.forEach((g, i) => {
        g.lr = baseLrs[i]!;
      });
    }
    super('CyclicLR', optimizer, lastEpoch);
    this.maxLrs = perGroup('CyclicLR', 'maxLr', optimizer, options.maxLr);
    const up = options.stepSizeUp ?? 2000;
    const down = options.stepSizeDown ?? up;
    checkPositiveInt('CyclicLR', 'stepSizeUp', up);
    checkPositiveInt('CyclicLR', 'stepSizeDown', down);
    this.totalSize = up + down;
    this.stepRatio = up / this.totalSize;
    this.mode = options.mode ?? 'triangular';
    this.gamma = options.gamma ?? 1;
    if (options.scaleFn) {
      this.scaleFn = options.scaleFn;
      this.scaleMode = options.scaleMode ?? 'cycle';
      checkChoice('CyclicLR', 'scaleMode', this.scaleMode, ['cycle', 'iterations']);
    } else {
      checkChoice('CyclicLR', 'mode', this.mode, ['triangular', 'triangular2', 'expRange']);
      const gamma = this.gamma;
      this.scaleFn =
        this.mode === 'triangular'
          ? () => 1
          : this.mode === 'triangular2'
            ? (x) => 1 / 2 ** (x - 1)
            : (x) => gamma ** x;
      this.scaleMode = this.mode === 'expRange' ? 'iterations' : 'cycle';
    }
    this.cycleMomentum = options.cycleMomentum ?? true;
    checkBoolean('CyclicLR', 'cycleMomentum', this.cycleMomentum);
    if (this.cycleMomentum) {
      this.momentumKey = momentumKey('CyclicLR', optimizer, false);
      const base = perGroup('CyclicLR', 'baseMomentum', optimizer, options.baseMomentum ?? 0.8);
      if (lastEpoch === -1) {
        optimizer.paramGroups.forEach((g, i) => {
          setMomentum(g, this.momentumKey, base[i]!);
        });
      }
      this.baseMomentums = optimizer.paramGroups.map((g) => g.momentum as number);
      this.maxMomentums = perGroup('CyclicLR', 'maxMomentum', optimizer, options.maxMomentum ?? 0.9);
    }
    this.baseLrs = baseLrs;
    this.initialStep();
  }

  protected computeLr(): number[] {
    const cycle = Math.floor(1 + this.lastEpoch / this.totalSize);
    const x = 1 + this.lastEpoch / this.totalSize - cycle;
    const scaleFactor = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    const scale = this.scaleFn(this.scaleMode === 'cycle' ? cycle : this.lastEpoch);
    const lrs = this.baseLrs.map((base, i) => base + (this.maxLrs[i]! - base) * scaleFactor * scale);
    if (this.cycleMomentum) {
      this.optimizer.paramGroups.forEach((g, i) => {
        const height = (this.maxMomentums[i]! - this.baseMomentums[i]!) * scaleFactor;
        setMomentum(g, this.momentumKey, this.maxMomentums[i]! - height * scale);
      });
    }
    return lrs;
  }
}

/** Options of {@link OneCycleLR}. */
export interface OneCycleLROptions extends SchedulerOptions {
  /** Peak rate (one value or one per group). */
  maxLr: number | number[];
  /** Steps in the cycle; or give `epochs` and `stepsPerEpoch`. */
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent increasing the rate (default 0.3). */
  pctStart?: number;
  /** `'cos'` (default) or `'linear'` annealing. */
  annealStrategy?: 'cos' | 'linear';
  /** Cycle momentum (or Adam's beta1) inversely to the rate (default true). */
  cycleMomentum?: boolean;
  baseMomentum?: number | number[];
  maxMomentum?: number | number[];
  /** The initial rate is `maxLr / divFactor` (default 25). */
  divFactor?: number;
  /** The final rate is `initial / finalDivFactor` (default 1e4). */
  finalDivFactor?: number;
  /** Three phases (up, down to initial, anneal to final) as in the paper, instead of fastai's two. */
  threePhase?: boolean;
}

interface Phase {
  endStep: number;
  startLr: string;
  endLr: string;
  startMomentum: string;
  endMomentum: string;
}

/** The one-cycle policy (super-convergence), as `lr_scheduler.OneCycleLR`. Step it after every batch. */
export class OneCycleLR extends LRScheduler {
  totalSteps: number;
  phases: Phase[];
  annealStrategy: 'cos' | 'linear';
  cycleMomentum: boolean;
  private readonly momentumKey: 'momentum' | 'betas' = 'momentum';

  constructor(optimizer: AnyOptimizer, options: OneCycleLROptions) {
    const name = 'OneCycleLR';
    checkSchedulerArgs(name, optimizer, options, [
      'maxLr',
      'totalSteps',
      'epochs',
      'stepsPerEpoch',
      'pctStart',
      'annealStrategy',
      'cycleMomentum',
      'baseMomentum',
      'maxMomentum',
      'divFactor',
      'finalDivFactor',
      'threePhase',
    ]);
    let total: number;
    if (options.totalSteps !== undefined) {
      checkPositiveInt(name, 'totalSteps', options.totalSteps);
      total = options.totalSteps;
    } else if (options.epochs !== undefined && options.stepsPerEpoch !== undefined) {
      checkPositiveInt(name, 'epochs', options.epochs);
      checkPositiveInt(name, 'stepsPerEpoch', options.stepsPerEpoch);
      total = options.epochs * options.stepsPerEpoch;
    } else {
      throw new TorchletError(`${name}: give either totalSteps or both epochs and stepsPerEpoch`);
    }
    const pct = options.pctStart ?? 0.3;
    checkUnitInterval(name, 'pctStart', pct, true);
    const anneal = options.annealStrategy ?? 'cos';
    checkChoice(name, 'annealStrategy', anneal, ['cos', 'linear']);
    const lastEpoch = options.lastEpoch ?? -1;
    const maxLrs = perGroup(name, 'maxLr', optimizer, options.maxLr);
    const div = options.divFactor ?? 25;
    const finalDiv = options.finalDivFactor ?? 1e4;
    if (!(div > 0)) invalidOption(name, 'divFactor', div, 'a positive number');
    if (!(finalDiv > 0)) invalidOption(name, 'finalDivFactor', finalDiv, 'a positive number');
    if (lastEpoch === -1) {
      optimizer.paramGroups.forEach((g, i) => {
        g.initialLr = maxLrs[i]! / div;
        g.maxLr = maxLrs[i]!;
        g.minLr = g.initialLr / finalDiv;
      });
    }
    const cycleMomentum = options.cycleMomentum ?? true;
    let key: 'momentum' | 'betas' = 'momentum';
    if (cycleMomentum) {
      key = momentumKey(name, optimizer, true);
      const maxM = perGroup(name, 'maxMomentum', optimizer, options.maxMomentum ?? 0.95);
      const baseM = perGroup(name, 'baseMomentum', optimizer, options.baseMomentum ?? 0.85);
      if (lastEpoch === -1) {
        optimizer.paramGroups.forEach((g, i) => {
          setMomentum(g, key, maxM[i]!);
          g.maxMomentum = maxM[i]!;
          g.baseMomentum = baseM[i]!;
        });
      }
    }
    super(name, optimizer, lastEpoch);
    this.totalSteps = total;
    this.annealStrategy = anneal;
    this.cycleMomentum = cycleMomentum;
    this.momentumKey = key;
    const up = {
      startLr: 'initialLr',
      endLr: 'maxLr',
      startMomentum: 'maxMomentum',
      endMomentum: 'baseMomentum',
    };
    this.phases = options.threePhase
      ? [
          { endStep: pct * total - 1, ...up },
          {
            endStep: 2 * pct * total - 2,
            startLr: 'maxLr',
            endLr: 'initialLr',
            startMomentum: 'baseMomentum',
            endMomentum: 'maxMomentum',
          },
          {
            endStep: total - 1,
            startLr: 'initialLr',
            endLr: 'minLr',
            startMomentum: 'maxMomentum',
            endMomentum: 'maxMomentum',
          },
        ]
      : [
          { endStep: pct * total - 1, ...up },
          {
            endStep: total - 1,
            startLr: 'maxLr',
            endLr: 'minLr',
            startMomentum: 'baseMomentum',
            endMomentum: 'maxMomentum',
          },
        ];
    this.initialStep();
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'linear') return (end - start) * pct + start;
    return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
  }

  protected computeLr(): number[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw new TorchletError(
        `OneCycleLR: tried to step ${stepNum + 1} times; the schedule has ${this.totalSteps} steps`,
      );
    }
    return (this.optimizer.paramGroups as Group[]).map((g) => {
      let start = 0;
      for (let i = 0; i < this.phases.length; i++) {
        const phase = this.phases[i]!;
        if (stepNum <= phase.endStep || i === this.phases.length - 1) {
          const pct = (stepNum - start) / (phase.endStep - start);
          if (this.cycleMomentum) {
            const m = this.anneal(g[phase.startMomentum] as number, g[phase.endMomentum] as number, pct);
            setMomentum(g, this.momentumKey, m);
          }
          return this.anneal(g[phase.startLr] as number, g[phase.endLr] as number, pct);
        }
        start = phase.endStep;
      }
      throw new TorchletError('OneCycleLR: no phase covers the current step');
    });
  }
}
