import { type Generator, type Tensor, TorchletError } from '@torchlet/tensor';
import { generatorOr } from '../random.js';
import { drawIn, imageTensor, readImage, reflectIndex, symmetricRange } from './image.js';
import type { TransformModule } from './transform.js';

/** A normalized 1-D Gaussian kernel of odd `size`. */
export function gaussianKernel1d(size: number, sigma: number): Float64Array {
  const k = new Float64Array(size);
  const half = (size - 1) / 2;
  let sum = 0;
  for (let i = 0; i < size; i++) sum += k[i] = Math.exp(-0.5 * ((i - half) / sigma) ** 2);
  for (let i = 0; i < size; i++) k[i]! /= sum;
  return k;
}

/**
 * Blurs with a Gaussian kernel whose sigma is drawn from `sigma` (default `[0.1, 2]`), separably
 * with reflect padding, as `torchvision.transforms.GaussianBlur`.
 */
export class GaussianBlur implements TransformModule {
  readonly kernelSize: [number, number];
  readonly sigma: [number, number];

  constructor(
    kernelSize: number | [number, number],
    sigma: number | [number, number] = [0.1, 2],
    private readonly options: { generator?: Generator } = {},
  ) {
    this.kernelSize = typeof kernelSize === 'number' ? [kernelSize, kernelSize] : kernelSize;
    if (this.kernelSize.some((k) => !Number.isInteger(k) || k <= 0 || k % 2 === 0)) {
      throw new TorchletError(
        `GaussianBlur: kernel sizes must be odd positive integers, got [${this.kernelSize}]`,
      );
    }
    this.sigma = typeof sigma === 'number' ? [sigma, sigma] : symmetricRange('GaussianBlur', 'sigma', sigma);
    if (!(this.sigma[0] > 0))
      throw new TorchletError(`GaussianBlur: sigma must be positive, got [${this.sigma}]`);
  }

  forward(x: Tensor): Tensor {
    const s = drawIn(generatorOr(this.options.generator), this.sigma);
    const img = readImage('GaussianBlur', x);
    const [kx, ky] = this.kernelSize;
    const { data, h, w } = img;
    const tmp = new Float64Array(Math.max(h, w));
    const gx = gaussianKernel1d(kx, s);
    const gy = gaussianKernel1d(ky, s);
    const planes = img.c;
    for (let k = 0; k < planes; k++) {
      const base = k * h * w;
      for (let y = 0; y < h; y++) convolveLine(data, base + y * w, 1, w, gx, tmp);
      for (let xx = 0; xx < w; xx++) convolveLine(data, base + xx, w, h, gy, tmp);
    }
    return imageTensor(img);
  }
}

/** Convolves `n` values at `start, start+stride, …` with `kernel` in place (reflect borders). */
function convolveLine(
  data: Float32Array | Float64Array,
  start: number,
  stride: number,
  n: number,
  kernel: Float64Array,
  tmp: Float64Array,
): void {
  const half = (kernel.length - 1) / 2;
  for (let i = 0; i < n; i++) {
    let acc = 0;
    for (let t = 0; t < kernel.length; t++)
      acc += kernel[t]! * data[start + reflectIndex(i + t - half, n) * stride]!;
    tmp[i] = acc;
  }
  for (let i = 0; i < n; i++) data[start + i * stride] = tmp[i]!;
}
