import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BatchSampler, DataLoader, RandomSampler } from '@torchlet/data';
import { CrossEntropyLoss, type Sequential } from '@torchlet/nn';
import type { OptimizerStateDict } from '@torchlet/optim';
import {
  Generator,
  type GeneratorState,
  getRngState,
  manualSeed,
  noGrad,
  setRngState,
  type Tensor,
  tidy,
} from '@torchlet/tensor';
import { writeArtifacts } from './artifacts.js';
import { loadCheckpoint, type Stateful, saveCheckpoint } from './checkpoint.js';
import type { TrainConfig } from './config.js';
import { loadSplits, type MnistSplit } from './data.js';
import { confusionMatrix, writeHistory } from './metrics.js';
import { buildModel } from './models.js';
import { buildOptimizer, buildScheduler } from './optimization.js';
import type { EpochMetrics } from './plots.js';
import type { Reporter } from './reporter.js';

/** The resumable checkpoint's file name in the run directory. */
export const CHECKPOINT = 'checkpoint.safetensors';
/** The best model's file name in the run directory. */
export const BEST = 'best.safetensors';

/** Where an interrupted epoch stopped, so a resumed run repeats exactly the remaining batches. */
interface EpochProgress {
  batch: number;
  lossSum: number;
  correct: number;
  seen: number;
  seconds: number;
}

/** The outcome of a run. */
export interface RunResult {
  history: EpochMetrics[];
  bestAcc: number;
  interrupted: boolean;
}

/** How {@link run} runs besides the config: resume, evaluate only, stop on request. */
export interface RunOptions {
  resume?: boolean;
  /** With `resume`: train up to this many epochs instead of the saved run's count. */
  epochs?: number;
  evalOnly?: boolean;
  /** Polled between batches; returning true saves a resumable checkpoint and stops (Ctrl-C). */
  shouldStop?: () => boolean;
}

/** Test-set evaluation: mean loss, accuracy and every prediction. */
export interface Evaluation {
  loss: number;
  acc: number;
  predictions: Int32Array;
  labels: Int32Array;
}

/** Evaluates `model` on `split` in batches, without recording gradients. */
export function evaluate(model: Sequential, split: MnistSplit, batchSize = 1000): Evaluation {
  const criterion = new CrossEntropyLoss({ reduction: 'sum' });
  const loader = new DataLoader(split, { batchSize });
  const predictions = new Int32Array(split.length);
  const labels = new Int32Array(split.length);
  let lossSum = 0;
  let correct = 0;
  let offset = 0;
  model.eval();
  const device = model.parameters()[0]?.device ?? 'cpu';
  noGrad(() => {
    for (const [x, y] of loader as Iterable<[Tensor, Tensor]>) {
      const { loss, pred } = tidy(() => {
        const logits = model.call(x.to(device)) as Tensor;
        return { loss: criterion.call(logits, y.to(device)).item(), pred: logits.argmax(1).dataSync() };
      });
      lossSum += loss;
      const truth = y.dataSync();
      predictions.set(pred, offset);
      labels.set(truth, offset);
      for (let i = 0; i < pred.length; i++) if (pred[i] === truth[i]) correct++;
      offset += pred.length;
    }
  });
  return { loss: lossSum / split.length, acc: correct / split.length, predictions, labels };
}

/**
 * The device to train on: `'cpu'`, or `'gpu'` after loading @torchlet/gpu (only then, so CPU runs
 * never load gpu.js), reporting which gpu.js mode runs the kernels.
 */
async function openDevice(backend: TrainConfig['backend'], reporter: Reporter): Promise<string> {
  if (backend === 'cpu') return 'cpu';
  const { gpuMode, GPU_DEVICE } = await import('@torchlet/gpu');
  reporter.info(`device: ${GPU_DEVICE} (gpu.js ${gpuMode()} mode)`);
  return GPU_DEVICE;
}

/** Lets pending I/O and signals (Ctrl-C, progress redraws) run between synchronous batches. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Batches of a sampler after skipping the first `skip` (resuming inside an epoch). */
function skipBatches(sampler: BatchSampler, skip: number): Iterable<number[]> & { length: number } {
  return {
    length: sampler.length - skip,
    *[Symbol.iterator]() {
      let i = 0;
      for (const b of sampler) if (i++ >= skip) yield b;
    },
  };
}

/**
 * Trains (or, with `evalOnly`, evaluates) as `config` says, writing checkpoints, metrics and
 * pictures into `config.out`. With `resume`, continues from the run directory's checkpoint so
 * that the result equals an uninterrupted run with the same seed.
 */
export async function run(
  config: TrainConfig,
  reporter: Reporter,
  options: RunOptions = {},
): Promise<RunResult> {
  mkdirSync(config.out, { recursive: true });
  const ckptPath = join(config.out, CHECKPOINT);
  const saved =
    options.resume || options.evalOnly
      ? loadCheckpoint(options.evalOnly ? bestOrLast(config.out) : ckptPath)
      : null;
  if (saved) {
    const savedConfig = saved.config as unknown as TrainConfig;
    config = { ...savedConfig, epochs: options.epochs ?? savedConfig.epochs, out: config.out };
  }
  const device = await openDevice(config.backend, reporter);
  manualSeed(config.seed);
  const loaderGen = new Generator(config.seed + 1);
  const { train, test } = loadSplits(config);
  const model = buildModel(config.model);
  if (saved) model.loadStateDict(saved.model as Record<string, Tensor>);
  model.to(device);

  if (options.evalOnly) {
    const ev = evaluate(model, test);
    reporter.info(
      `test loss ${ev.loss.toFixed(4)}, test accuracy ${(100 * ev.acc).toFixed(2)}% on ${test.length} images`,
    );
    return { history: [], bestAcc: ev.acc, interrupted: false };
  }

  const batchSampler = () =>
    new BatchSampler(new RandomSampler(train, { generator: loaderGen }), config.batchSize, false);
  const stepsPerEpoch = batchSampler().length;
  const optimizer = buildOptimizer(config, model.parameters());
  const { scheduler, perBatch } = buildScheduler(config, optimizer, stepsPerEpoch);
  const criterion = new CrossEntropyLoss();
  let history: EpochMetrics[] = [];
  let bestAcc = 0;
  let startEpoch = 0;
  let progress: EpochProgress = { batch: 0, lossSum: 0, correct: 0, seen: 0, seconds: 0 };
  if (saved) {
    optimizer.loadStateDict(saved.optimizer as unknown as OptimizerStateDict);
    if (scheduler && saved.scheduler) scheduler.loadStateDict(saved.scheduler as never);
    history = saved.history as unknown as EpochMetrics[];
    bestAcc = saved.bestAcc as number;
    startEpoch = saved.epoch as number;
    progress = saved.progress as unknown as EpochProgress;
    loaderGen.setState(saved.epochGenerator as unknown as GeneratorState);
    setRngState(saved.rng as unknown as GeneratorState);
    reporter.info(`resuming ${config.out} at epoch ${startEpoch + 1}, batch ${progress.batch}`);
  }

  const checkpoint = (epoch: number, epochGenerator: GeneratorState, p: EpochProgress) =>
    saveCheckpoint(ckptPath, {
      config: config as unknown as Stateful,
      epoch,
      progress: p as unknown as Stateful,
      epochGenerator: epochGenerator as unknown as Stateful,
      rng: getRngState() as unknown as Stateful,
      model: model.stateDict(),
      optimizer: optimizer.stateDict() as unknown as Stateful,
      scheduler: (scheduler?.stateDict() ?? null) as unknown as Stateful,
      history: history as unknown as Stateful,
      bestAcc,
    });

  for (let epoch = startEpoch; epoch < config.epochs; epoch++) {
    const epochGenerator = loaderGen.getState();
    const skip = progress.batch;
    const loader = new DataLoader(train, {
      batchSampler: skipBatches(batchSampler(), skip),
      generator: loaderGen,
    });
    reporter.epochStart(epoch + 1, config.epochs, stepsPerEpoch, skip);
    model.train();
    const started = performance.now() - progress.seconds * 1000;
    let { lossSum, correct, seen } = progress;
    let batch = skip;
    for (const [x, y] of loader as Iterable<[Tensor, Tensor]>) {
      // tidy releases the step's device memory at once (a no-op on the CPU); grads and
      // optimizer state outlive it.
      const step = tidy(() => {
        const target = y.to(device);
        optimizer.zeroGrad();
        const logits = model.call(x.to(device)) as Tensor;
        const loss = criterion.call(logits, target);
        loss.backward();
        optimizer.step();
        return { loss: loss.item(), correct: noGrad(() => logits.argmax(1).eq(target).sum().item()) };
      });
      if (perBatch) scheduler!.step();
      const n = y.shape[0]!;
      lossSum += step.loss * n;
      correct += step.correct;
      seen += n;
      batch++;
      const seconds = (performance.now() - started) / 1000;
      reporter.batch(batch, { loss: lossSum / seen, acc: correct / seen, samplesPerSec: seen / seconds });
      await yieldToEventLoop();
      if (options.shouldStop?.() && batch < stepsPerEpoch) {
        checkpoint(epoch, epochGenerator, { batch, lossSum, correct, seen, seconds });
        reporter.info(
          `\ninterrupted: saved a resumable checkpoint to ${ckptPath} (epoch ${epoch + 1}, batch ${batch}); continue with --resume --out ${config.out}`,
        );
        return { history, bestAcc, interrupted: true };
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const lr = optimizer.paramGroups[0]!.lr as number;
    if (!perBatch) scheduler?.step();
    const ev = evaluate(model, test);
    history.push({
      epoch: epoch + 1,
      trainLoss: lossSum / seen,
      trainAcc: correct / seen,
      testLoss: ev.loss,
      testAcc: ev.acc,
      lr,
      seconds,
    });
    progress = { batch: 0, lossSum: 0, correct: 0, seen: 0, seconds: 0 };
    const improved = ev.acc > bestAcc;
    if (improved) bestAcc = ev.acc;
    checkpoint(epoch + 1, loaderGen.getState(), progress);
    writeHistory(config.out, history);
    await writeArtifacts(
      config,
      model,
      history,
      test,
      ev,
      improved,
      confusionMatrix(ev.predictions, ev.labels),
    );
    reporter.epochEnd(history);
    if (options.shouldStop?.() && epoch + 1 < config.epochs) {
      reporter.info(`interrupted after epoch ${epoch + 1}; continue with --resume --out ${config.out}`);
      return { history, bestAcc, interrupted: true };
    }
  }
  return { history, bestAcc, interrupted: false };
}

/** The checkpoint `--eval-only` reads: the best model if one was kept, else the last. */
function bestOrLast(dir: string): string {
  const best = join(dir, BEST);
  return existsSync(best) ? best : join(dir, CHECKPOINT);
}
