import cliProgress from 'cli-progress';
import Table from 'cli-table3';
import type { EpochMetrics } from './plots.js';

/** What the trainer tells the person watching; a silent implementation serves tests. */
export interface Reporter {
  epochStart(epoch: number, epochs: number, batches: number, startBatch: number): void;
  batch(done: number, stats: { loss: number; acc: number; samplesPerSec: number }): void;
  epochEnd(history: readonly EpochMetrics[]): void;
  info(text: string): void;
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

/** Formats the history as the per-epoch summary table. */
export function historyTable(history: readonly EpochMetrics[]): string {
  const table = new Table({
    head: ['epoch', 'train loss', 'train acc', 'test loss', 'test acc', 'lr', 'time'],
    colAligns: ['right', 'right', 'right', 'right', 'right', 'right', 'right'],
    style: { head: ['cyan'] },
  });
  for (const h of history) {
    table.push([
      h.epoch,
      h.trainLoss.toFixed(4),
      pct(h.trainAcc),
      h.testLoss.toFixed(4),
      pct(h.testAcc),
      h.lr.toPrecision(3),
      `${h.seconds.toFixed(1)}s`,
    ]);
  }
  return table.toString();
}

/** Progress bars on a terminal (batches, samples/s, running loss and accuracy, ETA), then the table. */
export function consoleReporter(stream: NodeJS.WriteStream = process.stderr): Reporter {
  let bar: cliProgress.SingleBar | null = null;
  return {
    epochStart(epoch, epochs, batches, startBatch) {
      bar = new cliProgress.SingleBar(
        {
          format: `epoch ${epoch}/${epochs} |{bar}| {value}/{total} batches | {speed} samples/s | loss {loss} | acc {acc} | ETA {eta_formatted}`,
          hideCursor: true,
          stream,
          etaBuffer: 50,
          fps: 5,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(batches, startBatch, { speed: '-', loss: '-', acc: '-' });
    },
    batch(done, { loss, acc, samplesPerSec }) {
      bar?.update(done, { speed: Math.round(samplesPerSec), loss: loss.toFixed(4), acc: pct(acc) });
    },
    epochEnd(history) {
      bar?.stop();
      bar = null;
      stream.write(`${historyTable(history)}\n`);
    },
    info(text) {
      stream.write(`${text}\n`);
    },
  };
}

/** A reporter that collects messages instead of printing (tests). */
export function silentReporter(log: string[] = []): Reporter {
  return {
    epochStart() {},
    batch() {},
    epochEnd() {},
    info(text) {
      log.push(text);
    },
  };
}
