import '@torchlet/autograd';
import { zeros } from '@torchlet/tensor';
import { describe, expect, it } from 'vitest';
import {
  ChainedScheduler,
  CosineAnnealingWarmRestarts,
  ExponentialLR,
  LambdaLR,
  MultiStepLR,
  noamLambda,
  noamRate,
  OneCycleLR,
  ReduceLROnPlateau,
  SequentialLR,
  SGD,
  StepLR,
} from './index.js';
import { expectClose, readFixture } from './test-utils/fixtures.js';
import { buildSchedule, type ScheduleFixture, twoGroups } from './test-utils/schedules.js';

const fx = readFixture<{ epochs: number; cases: ScheduleFixture[] }>('schedulers.json');

function momentumOf(opt: ReturnType<typeof twoGroups>, kind: string): number[] {
  return opt.paramGroups.map((g) => (kind === 'adam' ? (g.betas as number[])[0]! : (g.momentum as number)));
}

describe(`schedules match PyTorch over ${fx.epochs} epochs`, () => {
  for (const c of fx.cases) {
    it(`${c.name} ${JSON.stringify(c.options)}`, () => {
      const opt = twoGroups(c.optimizer);
      const sched = buildSchedule(opt, c.name, c.options);
      for (let epoch = 0; epoch < fx.epochs; epoch++) {
        expectClose(
          opt.paramGroups.map((g) => g.lr),
          c.lrs[epoch]!,
          1e-12,
          1e-15,
        );
        if (c.momentum) expectClose(momentumOf(opt, c.optimizer), c.momentum[epoch]!, 1e-12);
        opt.step();
        sched.step(c.metrics?.[epoch]);
        expect(sched.getLastLr()).toEqual(opt.paramGroups.map((g) => g.lr));
      }
    });

    it(`${c.name} resumes from its state dict mid-schedule`, () => {
      const opt = twoGroups(c.optimizer);
      const sched = buildSchedule(opt, c.name, c.options);
      const half = fx.epochs / 2;
      for (let epoch = 0; epoch < half; epoch++) sched.step(c.metrics?.[epoch]);
      const saved = JSON.parse(JSON.stringify(sched.stateDict()));
      const optState = opt.stateDict();
      const opt2 = twoGroups(c.optimizer);
      opt2.loadStateDict(optState);
      const sched2 = buildSchedule(opt2, c.name, c.options);
      sched2.loadStateDict(saved);
      opt2.loadStateDict(optState);
      for (let epoch = half; epoch < fx.epochs; epoch++) {
        sched.step(c.metrics?.[epoch]);
        sched2.step(c.metrics?.[epoch]);
        expect(opt2.paramGroups.map((g) => g.lr)).toEqual(opt.paramGroups.map((g) => g.lr));
      }
    });
  }
});

function seedLoop(make: (opt: SGD) => { step(): void; getLastLr(): number[] }): number[] {
  const w = zeros([1], { requiresGrad: true });
  const opt = new SGD([w], { lr: 0.1, momentum: 0.9 });
  const sched = make(opt);
  const lrs: number[] = [];
  for (let epoch = 0; epoch < 200; epoch++) {
    lrs.push(sched.getLastLr()[0]!);
    sched.step();
  }
  return lrs;
}

describe("the tutorials' schedules (seed 004 §6.4)", () => {
  it('StepLR(20, 0.8) from 0.1 reaches 0.013422 at epoch 199', () => {
    const lrs = seedLoop((opt) => new StepLR(opt, { stepSize: 20, gamma: 0.8 }));
    expect(lrs[0]).toBe(0.1);
    expect(lrs[19]).toBe(0.1);
    expect(lrs[20]).toBeCloseTo(0.08, 15);
    expect(lrs[199]!.toFixed(6)).toBe('0.013422');
  });

  it('MultiStepLR([10,20,40,60,90,120,160], 0.8) ends at 0.020972', () => {
    const lrs = seedLoop(
      (opt) => new MultiStepLR(opt, { milestones: [10, 20, 40, 60, 90, 120, 160], gamma: 0.8 }),
    );
    expect(lrs[9]).toBe(0.1);
    expect(lrs[10]).toBeCloseTo(0.08, 15);
    expect(lrs[199]!.toFixed(6)).toBe('0.020972');
  });

  it('ExponentialLR(0.8) multiplies every epoch', () => {
    const lrs = seedLoop((opt) => new ExponentialLR(opt, { gamma: 0.8 }));
    expect(lrs[3]).toBeCloseTo(0.1 * 0.8 ** 3, 15);
  });
});

describe('Noam (Transformer) schedule', () => {
  it('warms up linearly, peaks at warmupSteps and decays as 1/sqrt(step)', () => {
    const o = { dModel: 512, warmupSteps: 4000 };
    expect(noamRate(4000, o)).toBeCloseTo(512 ** -0.5 * 4000 ** -0.5, 15);
    expect(noamRate(2000, o)).toBeCloseTo(noamRate(4000, o) / 2, 15);
    expect(noamRate(16000, o)).toBeCloseTo(noamRate(4000, o) / 2, 15);
    expect(noamRate(1, o)).toBeCloseTo(512 ** -0.5 * 4000 ** -1.5, 18);
  });

  it('drives LambdaLR with lr 1 as the rate itself, epoch 0 counting as step 1', () => {
    const opt = new SGD([zeros([1], { requiresGrad: true })], { lr: 1 });
    const o = { dModel: 64, warmupSteps: 10, factor: 2 };
    const sched = new LambdaLR(opt, noamLambda(o));
    expect(opt.paramGroups[0]!.lr).toBeCloseTo(noamRate(1, o), 15);
    for (let i = 0; i < 30; i++) sched.step();
    expect(opt.paramGroups[0]!.lr).toBeCloseTo(2 * 64 ** -0.5 * 30 ** -0.5, 15);
  });
});

describe('schedulers refuse bad input', () => {
  const opt = () => twoGroups('sgd');

  it('names unknown options and bad values', () => {
    expect(() => new StepLR(opt(), { stepSize: 3, gama: 0.5 } as never)).toThrow(
      "StepLR: unknown option 'gama'",
    );
    expect(() => new StepLR(opt(), { stepSize: 0 })).toThrow(
      'StepLR: invalid stepSize 0 (expected a positive integer)',
    );
    expect(() => new MultiStepLR(opt(), { milestones: [5, 3] })).toThrow(
      'MultiStepLR: invalid milestones [5,3]',
    );
    expect(() => new OneCycleLR(opt(), { maxLr: 1 })).toThrow(
      'OneCycleLR: give either totalSteps or both epochs and stepsPerEpoch',
    );
    expect(() => new ReduceLROnPlateau(opt(), { factor: 1.5 })).toThrow(
      'ReduceLROnPlateau: invalid factor 1.5',
    );
    expect(() => new StepLR({} as never, { stepSize: 1 })).toThrow(
      'StepLR: expected an Optimizer, got Object',
    );
  });

  it('refuses to step an optimizer whose groups changed since it was built', () => {
    const o = opt();
    const sched = new StepLR(o, { stepSize: 2 });
    o.addParamGroup({ params: [zeros([1], { requiresGrad: true })] });
    expect(() => sched.step()).toThrow(
      'StepLR: the optimizer has 3 param groups but the scheduler was built for 2',
    );
  });

  it('refuses composites over schedulers of different optimizers', () => {
    const a = new ExponentialLR(opt(), { gamma: 0.9 });
    const b = new ExponentialLR(opt(), { gamma: 0.9 });
    expect(() => new ChainedScheduler([a, b])).toThrow(
      'ChainedScheduler: all schedulers must belong to the same optimizer, but scheduler 1 was built for a different one',
    );
    expect(() => new SequentialLR(a.optimizer, { schedulers: [a, b], milestones: [3] })).toThrow(
      'SequentialLR: all schedulers must belong to the same optimizer',
    );
  });

  it('refuses a state dict of another scheduler', () => {
    const o = opt();
    const saved = new ExponentialLR(o, { gamma: 0.9 }).stateDict();
    expect(() => new StepLR(o, { stepSize: 2 }).loadStateDict(saved)).toThrow(
      'StepLR.loadStateDict: the state dict belongs to a ExponentialLR',
    );
  });

  it('resuming with lastEpoch needs initialLr in the groups', () => {
    const o = new SGD([zeros([1], { requiresGrad: true })], { lr: 0.1 });
    expect(() => new StepLR(o, { stepSize: 2, lastEpoch: 5 })).toThrow(
      "StepLR: param group 0 has no 'initialLr'",
    );
  });
});

describe('CosineAnnealingWarmRestarts', () => {
  it('accepts fractional epochs, as after each batch', () => {
    const o = new SGD([zeros([1], { requiresGrad: true })], { lr: 1 });
    const sched = new CosineAnnealingWarmRestarts(o, { t0: 10 });
    sched.step(2.5);
    expect(o.paramGroups[0]!.lr).toBeCloseTo((1 + Math.cos((Math.PI * 2.5) / 10)) / 2, 15);
    sched.step(12.5);
    expect(o.paramGroups[0]!.lr).toBeCloseTo((1 + Math.cos((Math.PI * 2.5) / 10)) / 2, 15);
  });
});
