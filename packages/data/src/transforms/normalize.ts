import { fmtShape, ShapeError, type Tensor } from '@torchlet/tensor';
import { wrapArray } from '../tensor-data.js';
import { perChannel, readImage } from './image.js';
import type { TransformModule } from './transform.js';

/**
 * `(x - mean[c]) / std[c]` per channel of a CHW image, as `torchvision.transforms.Normalize`.
 * Deterministic, so it also has a batch form used by datasets' batch fast path.
 *
 * @example new Normalize([0.1307], [0.3081]) // MNIST
 */
export class Normalize implements TransformModule {
  constructor(
    readonly mean: number | readonly number[],
    readonly std: number | readonly number[],
  ) {
    const stds = typeof std === 'number' ? [std] : std;
    if (stds.some((s) => s === 0)) throw new ShapeError('Normalize: std must not contain zeros');
  }

  forward(x: Tensor): Tensor {
    const img = readImage('Normalize', x);
    normalizePlanes(img.data, img.c, img.h * img.w, this.mean, this.std);
    return wrapArray(img.data, x.shape);
  }

  /** Normalizes a batch `[B,C,H,W]` (or `[B,H,W]`, one channel). */
  forwardBatch(batch: Tensor): Tensor {
    if (batch.ndim < 3) {
      throw new ShapeError(
        `Normalize.forwardBatch: expected [B,C,H,W] or [B,H,W], got ${fmtShape(batch.shape)}`,
      );
    }
    const img = readImage('Normalize', batch);
    const b = batch.shape[0]!;
    const c = batch.ndim === 3 ? 1 : batch.shape[1]!;
    const plane = img.h * img.w;
    for (let i = 0; i < b; i++) {
      normalizePlanes(img.data.subarray(i * c * plane, (i + 1) * c * plane), c, plane, this.mean, this.std);
    }
    return wrapArray(img.data, batch.shape);
  }
}

function normalizePlanes(
  data: Float32Array | Float64Array,
  c: number,
  plane: number,
  mean: number | readonly number[],
  std: number | readonly number[],
): void {
  const m = perChannel('Normalize', 'mean', mean, c);
  const s = perChannel('Normalize', 'std', std, c);
  for (let k = 0; k < c; k++) {
    const mk = m[k]!;
    const sk = s[k]!;
    for (let p = k * plane, end = p + plane; p < end; p++) data[p] = (data[p]! - mk) / sk;
  }
}
