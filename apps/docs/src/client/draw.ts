// The "draw a digit" page: pointer drawing on #pad, MNIST preprocessing, prediction, bars.
import { loadMnistExport, type MnistClassifier, predictDigit } from '../demos/mnist-model.js';
import { FIELD, inkFromRgba, preprocessDigit } from '../demos/preprocess.js';

/** A prediction as the page shows it: the model's 28×28 input and the ten probabilities. */
export interface DrawPrediction {
  pixels: number[];
  probabilities: number[];
  digit: number;
}

declare global {
  interface Window {
    /** The page's own path from canvas to probabilities, for scripts and browser tests. */
    torchletDraw?: { ready: Promise<void>; predict(): DrawPrediction | null };
  }
}

const pad = document.querySelector<HTMLCanvasElement>('#pad')!;
const ctx = pad.getContext('2d', { willReadFrequently: true })!;
const seen = document.querySelector<HTMLCanvasElement>('#seen')!.getContext('2d')!;
const bars = [...document.querySelectorAll<HTMLLIElement>('#bars li')];
const status = document.querySelector<HTMLElement>('#model-status')!;
const predictionText = document.querySelector<HTMLElement>('#prediction')!;
const confidenceText = document.querySelector<HTMLElement>('#confidence')!;

let classifier: MnistClassifier | null = null;

function setStatus(text: string, error = false): void {
  status.textContent = text;
  status.classList.toggle('error', error);
}

/** Loads a trainer export from a URL or a chosen file, then predicts the current drawing. */
async function loadModel(source: string | File): Promise<void> {
  const name = typeof source === 'string' ? source : source.name;
  setStatus(`Loading ${name}…`);
  try {
    let bytes: ArrayBuffer;
    if (typeof source === 'string') {
      const res = await fetch(source);
      if (!res.ok) throw new Error(`fetching ${source} failed: HTTP ${res.status} ${res.statusText}`);
      bytes = await res.arrayBuffer();
    } else {
      bytes = await source.arrayBuffer();
    }
    classifier = loadMnistExport(bytes);
    const acc = classifier.info.testAccuracy;
    setStatus(`Model: ${classifier.info.model}${acc ? `, ${(100 * acc).toFixed(1)}% test accuracy` : ''}`);
    predict();
  } catch (e) {
    setStatus(`Could not load the model: ${(e as Error).message}`, true);
    throw e;
  }
}

function showBars(probabilities: Float32Array | null): number {
  let top = -1;
  if (probabilities) {
    top = 0;
    probabilities.forEach((p, d) => {
      if (p > probabilities[top]!) top = d;
    });
  }
  bars.forEach((li, d) => {
    const p = probabilities?.[d];
    li.dataset.probability = p === undefined ? '' : String(p);
    li.classList.toggle('top', d === top);
    li.querySelector<HTMLElement>('.bar-fill')!.style.width = `${100 * (p ?? 0)}%`;
    li.querySelector<HTMLElement>('.bar-value')!.textContent =
      p === undefined ? '–' : `${(100 * p).toFixed(1)}%`;
  });
  predictionText.textContent = top < 0 ? '–' : String(top);
  confidenceText.textContent = top < 0 ? '' : `${(100 * probabilities![top]!).toFixed(0)}% sure`;
  return top;
}

function showSeen(pixels: Float32Array | null): void {
  const img = seen.createImageData(FIELD, FIELD);
  pixels?.forEach((v, i) => {
    img.data.fill(Math.round(255 * v), 4 * i, 4 * i + 3);
    img.data[4 * i + 3] = 255;
  });
  seen.putImageData(img, 0, 0);
}

/** Preprocesses the drawing and, once a model is loaded, predicts it and updates the bars. */
function predict(): DrawPrediction | null {
  const ink = inkFromRgba(ctx.getImageData(0, 0, pad.width, pad.height).data, pad.width, pad.height);
  const pixels = preprocessDigit(ink);
  showSeen(pixels);
  const probabilities = pixels && classifier ? predictDigit(classifier, pixels) : null;
  const digit = showBars(probabilities);
  if (!pixels || !probabilities) return null;
  return { pixels: Array.from(pixels), probabilities: Array.from(probabilities), digit };
}

// Drawing ----------------------------------------------------------------------------------------

let last: { x: number; y: number } | null = null;
let pending = 0;

function canvasPoint(e: PointerEvent): { x: number; y: number } {
  const r = pad.getBoundingClientRect();
  return {
    x: ((e.clientX - r.left) * pad.width) / r.width,
    y: ((e.clientY - r.top) * pad.height) / r.height,
  };
}

/** Predicting at most once a frame keeps drawing smooth. */
function schedulePredict(): void {
  if (pending) return;
  pending = requestAnimationFrame(() => {
    pending = 0;
    predict();
  });
}

function strokeTo(p: { x: number; y: number }): void {
  ctx.beginPath();
  ctx.moveTo(last!.x, last!.y);
  ctx.lineTo(p.x, p.y);
  ctx.stroke();
  last = p;
}

ctx.lineWidth = 20;
ctx.lineCap = 'round';
ctx.lineJoin = 'round';
ctx.strokeStyle = '#1d2330';

pad.addEventListener('pointerdown', (e) => {
  pad.setPointerCapture(e.pointerId);
  last = canvasPoint(e);
  strokeTo({ x: last.x + 0.01, y: last.y });
  schedulePredict();
});
pad.addEventListener('pointermove', (e) => {
  if (!last) return;
  for (const ev of e.getCoalescedEvents?.() ?? [e]) strokeTo(canvasPoint(ev));
  schedulePredict();
});
const endStroke = () => {
  if (!last) return;
  last = null;
  predict();
};
pad.addEventListener('pointerup', endStroke);
pad.addEventListener('pointercancel', endStroke);

document.querySelector('#clear')!.addEventListener('click', () => {
  ctx.clearRect(0, 0, pad.width, pad.height);
  predict();
});

document.querySelector<HTMLInputElement>('#model-file')!.addEventListener('change', (e) => {
  const file = (e.target as HTMLInputElement).files?.[0];
  if (file) loadModel(file).catch(() => {});
});

const requested = new URLSearchParams(location.search).get('model');
const ready = loadModel(new URL(requested ?? '../models/mnist/model.safetensors', location.href).href);
ready.catch(() => {});
window.torchletDraw = { ready, predict };
