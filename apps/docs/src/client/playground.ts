// The "train in your browser" page: controls, a training loop in small chunks per animation
// frame, the decision boundary and the loss curve.
import {
  type ACTIVATIONS,
  type DATASETS,
  DEFAULT_CONFIG,
  type OPTIMIZERS,
  Playground,
  type PlaygroundConfig,
} from '../demos/playground.js';

/** Class colours (RGB): blue, orange, green. */
const COLOURS: [number, number, number][] = [
  [28, 95, 184],
  [217, 72, 15],
  [47, 158, 68],
];
/** Grid cells per side of the decision-boundary picture. */
const RES = 60;
/** Milliseconds of training per animation frame, leaving time to draw. */
const FRAME_BUDGET = 12;

const form = document.querySelector<HTMLFormElement>('#config')!;
const trainButton = document.querySelector<HTMLButtonElement>('#train')!;
const boundary = document.querySelector<HTMLCanvasElement>('#boundary')!;
const curve = document.querySelector<HTMLCanvasElement>('#loss-curve')!;
const stepsOut = document.querySelector<HTMLElement>('#steps')!;
const lossOut = document.querySelector<HTMLElement>('#loss')!;
const accuracyOut = document.querySelector<HTMLElement>('#accuracy')!;

function readConfig(): PlaygroundConfig {
  const f = new FormData(form);
  const int = (name: string, lo: number, hi: number, fallback: number) => {
    const v = Math.round(Number(f.get(name)));
    return Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : fallback;
  };
  return {
    dataset: f.get('dataset') as keyof typeof DATASETS,
    noise: Number(f.get('noise')),
    hidden: int('hidden', 1, 64, DEFAULT_CONFIG.hidden),
    depth: int('depth', 1, 4, DEFAULT_CONFIG.depth),
    activation: f.get('activation') as keyof typeof ACTIVATIONS,
    optimizer: f.get('optimizer') as keyof typeof OPTIMIZERS,
    lr: Number(f.get('lr')),
    seed: DEFAULT_CONFIG.seed,
    device: f.get('device') === 'gpu' ? 'gpu' : 'cpu',
  };
}

let pg = new Playground(readConfig());
let running = false;
let lastBoundary = 0;

function drawBoundary(): void {
  const ctx = boundary.getContext('2d')!;
  const probs = pg.probabilityGrid(RES);
  const img = new ImageData(RES, RES);
  for (let i = 0; i < RES * RES; i++) {
    // Mix the class colours by probability and fade towards white where the network is unsure.
    let [r, g, b, top] = [0, 0, 0, 0];
    for (let k = 0; k < pg.classes; k++) {
      const p = probs[i * pg.classes + k]!;
      r += p * COLOURS[k]![0];
      g += p * COLOURS[k]![1];
      b += p * COLOURS[k]![2];
      top = Math.max(top, p);
    }
    const sure = (top - 1 / pg.classes) / (1 - 1 / pg.classes);
    const fade = 0.75 - 0.35 * sure;
    img.data.set([r + (255 - r) * fade, g + (255 - g) * fade, b + (255 - b) * fade, 255], 4 * i);
  }
  const cells = new OffscreenCanvas(RES, RES);
  cells.getContext('2d')!.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(cells, 0, 0, boundary.width, boundary.height);
  const scale = boundary.width / (2 * pg.extent);
  ctx.lineWidth = 1;
  ctx.strokeStyle = '#ffffff';
  for (let i = 0; i < pg.labels.length; i++) {
    const [r, g, b] = COLOURS[pg.labels[i]!]!;
    ctx.fillStyle = `rgb(${r} ${g} ${b})`;
    ctx.beginPath();
    ctx.arc(
      (pg.points[2 * i]! + pg.extent) * scale,
      (pg.extent - pg.points[2 * i + 1]!) * scale,
      3.5,
      0,
      2 * Math.PI,
    );
    ctx.fill();
    ctx.stroke();
  }
}

function drawCurve(): void {
  const ctx = curve.getContext('2d')!;
  const { width: w, height: h } = curve;
  const losses = pg.losses;
  ctx.clearRect(0, 0, w, h);
  const top = Math.max(...losses.slice(0, 20), 1e-3) * 1.05;
  const n = Math.max(losses.length - 1, 100);
  ctx.strokeStyle = '#dfe3ea';
  ctx.beginPath();
  ctx.moveTo(0, h - 0.5);
  ctx.lineTo(w, h - 0.5);
  ctx.stroke();
  ctx.strokeStyle = '#d9480f';
  ctx.lineWidth = 2;
  ctx.beginPath();
  // One point per pixel column: the last loss that falls in it.
  const stride = Math.max(1, Math.floor(losses.length / w));
  for (let i = 0; i < losses.length; i += stride) {
    const x = (i / n) * (w - 4) + 2;
    const y = h - 4 - (Math.min(losses[i]!, top) / top) * (h - 8);
    if (i === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  }
  ctx.stroke();
  ctx.fillStyle = '#5b6475';
  ctx.font = '12px system-ui, sans-serif';
  ctx.fillText(`${top.toFixed(2)}`, 4, 12);
  ctx.fillText(`${losses.length - 1} steps`, w - 64, h - 8);
}

function showStats(): void {
  const loss = pg.losses[pg.losses.length - 1]!;
  stepsOut.textContent = String(pg.steps);
  lossOut.textContent = loss.toFixed(4);
  lossOut.dataset.value = String(loss);
  accuracyOut.textContent = `${(100 * pg.accuracy()).toFixed(1)}%`;
}

function redraw(): void {
  drawBoundary();
  drawCurve();
  showStats();
  lastBoundary = performance.now();
}

function frame(): void {
  if (!running) return;
  const start = performance.now();
  do pg.train(1);
  while (performance.now() - start < FRAME_BUDGET);
  const loss = pg.losses[pg.losses.length - 1]!;
  if (!Number.isFinite(loss)) setRunning(false);
  drawCurve();
  if (performance.now() - lastBoundary > 150) redraw();
  else showStats();
  requestAnimationFrame(frame);
}

function setRunning(on: boolean): void {
  running = on;
  trainButton.textContent = on ? 'Pause' : 'Train';
  if (on) requestAnimationFrame(frame);
  else redraw();
}

/** Starts afresh from the form; the gpu device's code (gpu.js) is loaded only when first chosen. */
async function reset(): Promise<void> {
  const config = readConfig();
  if (config.device === 'gpu') await import('torchlet/gpu');
  pg = new Playground(config);
  redraw();
}

trainButton.addEventListener('click', () => setRunning(!running));
document.querySelector('#step')!.addEventListener('click', () => {
  pg.train(1);
  redraw();
});
document.querySelector('#reset')!.addEventListener('click', () => void reset());
form.addEventListener('submit', (e) => e.preventDefault());
form.addEventListener('change', (e) => {
  const name = (e.target as HTMLInputElement).name;
  const config = readConfig();
  // The learning rate and the optimizer change while training; anything else starts afresh.
  if (name === 'lr') pg.setLearningRate(config.lr);
  else if (name === 'optimizer') pg.setOptimizer(config.optimizer);
  else void reset();
});

redraw();
