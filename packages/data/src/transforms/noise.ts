import { type Generator, type Tensor, TorchletError } from '@torchlet/tensor';
import { generatorOr, standardNormal, uniformIn } from '../random.js';
import { imageTensor, perChannel, readImage } from './image.js';
import type { TransformModule } from './transform.js';

/** Options of {@link GaussianNoise}. */
export interface GaussianNoiseOptions {
  mean?: number;
  /** Standard deviation of the noise (default 0.1). */
  sigma?: number;
  /** Clamp the result to [0, 1] (default true, as torchvision v2). */
  clip?: boolean;
  generator?: Generator;
}

/** Adds i.i.d. Gaussian noise to every pixel (`torchvision.transforms.v2.GaussianNoise`). */
export class GaussianNoise implements TransformModule {
  constructor(private readonly options: GaussianNoiseOptions = {}) {
    if ((options.sigma ?? 0.1) < 0)
      throw new TorchletError(`GaussianNoise: sigma must be non-negative, got ${options.sigma}`);
  }

  forward(x: Tensor): Tensor {
    const { mean = 0, sigma = 0.1, clip = true } = this.options;
    const g = generatorOr(this.options.generator);
    const img = readImage('GaussianNoise', x);
    const d = img.data;
    for (let i = 0; i < d.length; i++) {
      const v = d[i]! + mean + sigma * standardNormal(g);
      d[i] = clip ? (v < 0 ? 0 : v > 1 ? 1 : v) : v;
    }
    return imageTensor(img);
  }
}

/** Options of {@link RandomErasing}. */
export interface RandomErasingOptions {
  /** Probability of erasing (default 0.5). */
  p?: number;
  /** Range of the erased area as a fraction of the image (default `[0.02, 0.33]`). */
  scale?: [number, number];
  /** Range of the erased box's aspect ratio (default `[0.3, 3.3]`). */
  ratio?: [number, number];
  /** Fill: a number, one per channel, or `'random'` for standard normal noise (default 0). */
  value?: number | number[] | 'random';
  generator?: Generator;
}

/**
 * Erases a random rectangle (Zhong et al., 2017), as `torchvision.transforms.RandomErasing`: up to
 * ten tries to find a box of the drawn area and aspect ratio that fits; otherwise the image is kept.
 */
export class RandomErasing implements TransformModule {
  constructor(private readonly options: RandomErasingOptions = {}) {
    const p = options.p ?? 0.5;
    if (!(p >= 0 && p <= 1)) throw new TorchletError(`RandomErasing: p must be in [0, 1], got ${p}`);
  }

  forward(x: Tensor): Tensor {
    const g = generatorOr(this.options.generator);
    if (!(g.nextFloat53() < (this.options.p ?? 0.5))) return x;
    const img = readImage('RandomErasing', x);
    const [sLo, sHi] = this.options.scale ?? [0.02, 0.33];
    const [rLo, rHi] = this.options.ratio ?? [0.3, 3.3];
    const area = img.h * img.w;
    for (let attempt = 0; attempt < 10; attempt++) {
      const target = area * uniformIn(g, sLo, sHi);
      const aspect = Math.exp(uniformIn(g, Math.log(rLo), Math.log(rHi)));
      const eh = Math.round(Math.sqrt(target * aspect));
      const ew = Math.round(Math.sqrt(target / aspect));
      if (!(eh < img.h && ew < img.w) || eh === 0 || ew === 0) continue;
      const top = g.nextBelow(img.h - eh + 1);
      const left = g.nextBelow(img.w - ew + 1);
      const value = this.options.value ?? 0;
      const fills = value === 'random' ? null : perChannel('RandomErasing', 'value', value, img.c);
      for (let k = 0; k < img.c; k++) {
        for (let y = top; y < top + eh; y++) {
          const row = (k * img.h + y) * img.w;
          for (let xx = left; xx < left + ew; xx++)
            img.data[row + xx] = fills ? fills[k]! : standardNormal(g);
        }
      }
      return imageTensor(img);
    }
    return x;
  }
}
