import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sequential } from '@torchlet/nn';
import type { Tensor } from '@torchlet/tensor';
import { writeFileAtomic } from './atomic.js';
import { type Stateful, saveCheckpoint } from './checkpoint.js';
import type { TrainConfig } from './config.js';
import type { MnistSplit } from './data.js';
import { exportInfo, serializeExport } from './export-format.js';
import {
  confusionSpec,
  curvesSpec,
  type EpochMetrics,
  type GridImage,
  imageGridSpec,
  renderSvg,
} from './plots.js';
import type { Evaluation } from './train.js';

const GRID_SIZE = 32;

/** Test images for the prediction grid: the first wrong ones, then correct ones, up to 32. */
function predictionImages(test: MnistSplit, ev: Evaluation): GridImage[] {
  const wrong: number[] = [];
  const right: number[] = [];
  for (let i = 0; i < ev.predictions.length && wrong.length < GRID_SIZE; i++) {
    (ev.predictions[i] === ev.labels[i] ? right : wrong).push(i);
  }
  const picks = [...wrong.slice(0, GRID_SIZE / 2), ...right].slice(0, GRID_SIZE).sort((a, b) => a - b);
  return picks.map((i) => {
    const [image] = test.get(i) as [Tensor, number];
    const ok = ev.predictions[i] === ev.labels[i];
    return {
      pixels: image.dataSync(),
      title: ok ? `${ev.predictions[i]}` : `${ev.predictions[i]} (true ${ev.labels[i]})`,
      highlight: !ok,
    };
  });
}

/** First-layer weights as images: 28×28 per hidden unit of a dense layer, k×k per conv filter. */
function firstLayerImages(model: Sequential): { images: GridImage[]; size: [number, number] } | null {
  const [name, weight] = model.namedParameters().find(([n]) => n.endsWith('weight')) ?? [];
  if (!weight || !name) return null;
  const w = weight.detach();
  const size: [number, number] = w.ndim === 4 ? [w.shape[2]!, w.shape[3]!] : [28, 28];
  const count = Math.min(GRID_SIZE, w.shape[0]!);
  const images = Array.from({ length: count }, (_, k) => ({
    pixels: w
      .select(0, k)
      .reshape(-1)
      .dataSync()
      .slice(0, size[0] * size[1]),
    title: `${k}`,
  }));
  return { images, size };
}

/**
 * Writes what an epoch leaves besides the checkpoint: the best model so far, the model exported
 * for the documentation site's draw-a-digit demo, and SVG pictures (curves, confusion matrix,
 * predictions with wrong ones in red, first-layer weights).
 */
export async function writeArtifacts(
  config: TrainConfig,
  model: Sequential,
  history: readonly EpochMetrics[],
  test: MnistSplit,
  ev: Evaluation,
  improved: boolean,
  confusion: number[][],
): Promise<void> {
  const out = config.out;
  if (improved) {
    saveCheckpoint(join(out, 'best.safetensors'), {
      config: config as unknown as Stateful,
      model: model.stateDict(),
      testAcc: ev.acc,
    });
    const exported = exportInfo(model, config.model, ev.acc);
    writeFileAtomic(join(out, 'model.safetensors'), serializeExport(model, exported));
    writeFileAtomic(join(out, 'model.json'), `${JSON.stringify(exported, null, 2)}\n`);
  }
  if (config.plots === false) return;
  writeFileSync(join(out, 'curves.svg'), await renderSvg(curvesSpec(history)));
  writeFileSync(join(out, 'confusion.svg'), await renderSvg(confusionSpec(confusion)));
  writeFileSync(
    join(out, 'predictions.svg'),
    await renderSvg(
      imageGridSpec(
        'Test predictions (wrong ones in red: predicted (true))',
        predictionImages(test, ev),
        [28, 28],
      ),
    ),
  );
  const weights = firstLayerImages(model);
  if (weights) {
    writeFileSync(
      join(out, 'weights.svg'),
      await renderSvg(
        imageGridSpec('First-layer weights', weights.images, weights.size, {
          diverging: true,
          cell: weights.size[0] < 10 ? 8 : 3,
        }),
      ),
    );
  }
}
