import { type Generator, type Tensor, TorchletError } from '@torchlet/tensor';
import { generatorOr } from '../random.js';
import { drawIn, type Image, imageTensor, readImage, symmetricRange } from './image.js';
import type { TransformModule } from './transform.js';

/** Options of {@link ColorJitter}: `b` means a factor in `[max(0, 1-b), 1+b]`, or give `[min, max]`. */
export interface ColorJitterOptions {
  brightness?: number | [number, number];
  contrast?: number | [number, number];
  generator?: Generator;
}

/**
 * Random brightness and contrast changes, applied in a random order, with results clamped to
 * [0, 1], as `torchvision.transforms.ColorJitter` (contrast blends with the mean grayscale value).
 */
export class ColorJitter implements TransformModule {
  readonly brightness: [number, number] | null;
  readonly contrast: [number, number] | null;

  constructor(private readonly options: ColorJitterOptions = {}) {
    this.brightness = factorRange('brightness', options.brightness);
    this.contrast = factorRange('contrast', options.contrast);
  }

  forward(x: Tensor): Tensor {
    const g = generatorOr(this.options.generator);
    const contrastFirst = g.nextBelow(2) === 1;
    const b = this.brightness ? drawIn(g, this.brightness) : null;
    const c = this.contrast ? drawIn(g, this.contrast) : null;
    if (b === null && c === null) return x;
    const img = readImage('ColorJitter', x);
    if (contrastFirst && c !== null) adjustContrast(img, c);
    if (b !== null) blend(img.data, b, 0);
    if (!contrastFirst && c !== null) adjustContrast(img, c);
    return imageTensor(img);
  }
}

function factorRange(name: string, v: number | [number, number] | undefined): [number, number] | null {
  if (v === undefined) return null;
  const r = symmetricRange('ColorJitter', name, v, 1, 0);
  if (r[0] < 0)
    throw new TorchletError(`ColorJitter: ${name} factors must be non-negative, got [${r.join(', ')}]`);
  return r[0] === 1 && r[1] === 1 ? null : r;
}

/** `clamp(f·x + (1-f)·other, 0, 1)` in place, as torchvision's `_blend`. */
function blend(data: Float32Array | Float64Array, f: number, other: number): void {
  const shift = (1 - f) * other;
  for (let i = 0; i < data.length; i++) {
    const v = f * data[i]! + shift;
    data[i] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
}

/** Blends each image with its mean gray level (ITU-R 601 luma for RGB; the mean for one channel). */
function adjustContrast(img: Image, f: number): void {
  const plane = img.h * img.w;
  const perImage = img.c === 3 ? 3 : 1;
  const weights = img.c === 3 ? [0.2989, 0.587, 0.114] : [1];
  for (let start = 0; start < img.data.length; start += perImage * plane) {
    let mean = 0;
    for (let k = 0; k < perImage; k++) {
      let s = 0;
      for (let p = start + k * plane, end = p + plane; p < end; p++) s += img.data[p]!;
      mean += (weights[k]! * s) / plane;
    }
    blend(img.data.subarray(start, start + perImage * plane), f, mean);
  }
}
