import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** One epoch's record in the metrics history. */
export interface EpochMetrics {
  epoch: number;
  trainLoss: number;
  trainAcc: number;
  testLoss: number;
  testAcc: number;
  lr: number;
  seconds: number;
}

/** Renders a Vega-Lite spec to an SVG string, headless (no canvas needed). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** Loss and accuracy per epoch, train and test, side by side. */
export function curvesSpec(history: readonly EpochMetrics[]): TopLevelSpec {
  const rows = history.flatMap((h) => [
    { epoch: h.epoch, split: 'train', loss: h.trainLoss, accuracy: h.trainAcc },
    { epoch: h.epoch, split: 'test', loss: h.testLoss, accuracy: h.testAcc },
  ]);
  const epochs = history.map((h) => h.epoch);
  const panel = (field: 'loss' | 'accuracy') => ({
    width: 320,
    height: 220,
    mark: { type: 'line' as const, point: true },
    encoding: {
      // Whole epochs only: list them while few, else let the axis thin them.
      x: {
        field: 'epoch',
        type: 'quantitative' as const,
        axis: { format: 'd', tickMinStep: 1, ...(epochs.length <= 20 ? { values: epochs } : {}) },
      },
      y: { field, type: 'quantitative' as const, scale: { zero: false } },
      color: {
        field: 'split',
        type: 'nominal' as const,
        scale: { domain: ['train', 'test'], range: ['#1f77b4', '#d62728'] },
      },
    },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Training curves',
    data: { values: rows },
    hconcat: [panel('loss'), panel('accuracy')],
  };
}

/** The confusion matrix as a heatmap with counts (rows: true digit, columns: predicted). */
export function confusionSpec(matrix: readonly (readonly number[])[]): TopLevelSpec {
  const values = matrix.flatMap((row, t) => row.map((count, p) => ({ true: t, predicted: p, count })));
  const max = Math.max(1, ...values.map((v) => v.count));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Confusion matrix (test set)',
    data: { values },
    width: 360,
    height: 360,
    encoding: {
      x: { field: 'predicted', type: 'ordinal' },
      y: { field: 'true', type: 'ordinal' },
    },
    layer: [
      {
        mark: 'rect',
        encoding: {
          color: { field: 'count', type: 'quantitative', scale: { type: 'symlog', scheme: 'blues' } },
        },
      },
      {
        mark: { type: 'text', fontSize: 10 },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: { condition: { test: `datum.count > ${max / 4}`, value: 'white' }, value: 'black' },
        },
      },
    ],
  };
}

/** A labelled grayscale image for {@link imageGridSpec}. */
export interface GridImage {
  pixels: ArrayLike<number>;
  title: string;
  /** Drawn in red instead of gray (a wrong prediction). */
  highlight?: boolean;
}

/**
 * A grid of small images (digits or first-layer weights), each a heatmap facet. Values of a
 * highlighted image are shifted into a second, red colour ramp of the same scale.
 */
export function imageGridSpec(
  title: string,
  images: readonly GridImage[],
  size: [number, number],
  options: { columns?: number; diverging?: boolean; cell?: number } = {},
): TopLevelSpec {
  const [h, w] = size;
  const cell = options.cell ?? Math.max(2, Math.floor(84 / Math.max(h, w)));
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const im of images) {
    for (let i = 0; i < im.pixels.length; i++) {
      lo = Math.min(lo, im.pixels[i]!);
      hi = Math.max(hi, im.pixels[i]!);
    }
  }
  // A diverging map is centred on zero, so colour says the sign.
  if (options.diverging) [lo, hi] = [-Math.max(-lo, hi), Math.max(-lo, hi)];
  const span = hi - lo || 1;
  const values = images.flatMap((im, k) =>
    Array.from(im.pixels, (v, i) => ({
      image: k,
      caption: im.title,
      row: Math.floor(i / w),
      col: i % w,
      // Normalize into [0, 1]; highlighted images use [2, 3] so they pick the red ramp.
      v: (v - lo) / span + (im.highlight ? 2 : 0),
    })),
  );
  // Normal images map [0, 1] onto gray (or blue-white-red); highlighted ones [2, 3] onto a red ramp.
  const base = options.diverging ? ['#2166ac', '#f7f7f7', '#b2182b'] : ['#ffffff', '#000000'];
  const domain = options.diverging ? [0, 0.5, 1, 2, 3] : [0, 1, 2, 3];
  const range = [...base, '#fff5f0', '#a50f15'];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    data: { values },
    facet: { field: 'image', type: 'ordinal', header: { labelExpr: "''", title: null } },
    columns: options.columns ?? 8,
    spec: {
      width: w * cell,
      height: h * cell,
      layer: [
        {
          mark: { type: 'rect' },
          encoding: {
            x: { field: 'col', type: 'ordinal', axis: null },
            y: { field: 'row', type: 'ordinal', axis: null },
            color: { field: 'v', type: 'quantitative', scale: { domain, range }, legend: null },
          },
        },
        {
          transform: [{ filter: 'datum.row === 0 && datum.col === 0' }],
          mark: { type: 'text', align: 'left', baseline: 'bottom', dy: -2, fontSize: 11 },
          encoding: {
            x: { value: 0 },
            y: { value: 0 },
            text: { field: 'caption' },
            color: { condition: { test: 'datum.v >= 2', value: '#a50f15' }, value: '#222' },
          },
        },
      ],
    },
    config: { view: { stroke: null } },
  };
}
