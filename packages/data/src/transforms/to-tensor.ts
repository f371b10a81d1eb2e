import { fmtShape, type NestedArray, ShapeError, Tensor, TorchletError } from '@torchlet/tensor';
import { wrapArray } from '../tensor-data.js';
import type { TransformModule } from './transform.js';

/** An image as browsers hand it out (`ImageData`) or any interleaved HWC pixel buffer. */
export interface PixelBuffer {
  data: ArrayLike<number>;
  width: number;
  height: number;
}

/** What {@link ToTensor} accepts. */
export type ImageInput = PixelBuffer | NestedArray | Tensor;

/**
 * Converts an HWC image (ImageData-like pixel buffer, nested `[H][W]`/`[H][W][C]` arrays, or an
 * `[H,W]`/`[H,W,C]` tensor) to a float32 CHW tensor, as `torchvision.transforms.ToTensor`. Integer
 * pixels (0–255) are scaled to [0, 1]; a float tensor is only transposed.
 */
export class ToTensor implements TransformModule<ImageInput, Tensor> {
  forward(x: ImageInput): Tensor {
    if (x instanceof Tensor) {
      if (x.ndim !== 2 && x.ndim !== 3) {
        throw new ShapeError(`ToTensor: expected an [H,W] or [H,W,C] tensor, got ${fmtShape(x.shape)}`);
      }
      const [h, w, c = 1] = x.shape as number[];
      const divisor = x.dtype === 'float32' || x.dtype === 'float64' ? 1 : 255;
      return hwcToChw(x.dataSync(), h!, w!, c, divisor);
    }
    if (Array.isArray(x)) return fromNested(x);
    if (typeof x === 'object' && x !== null && 'data' in x && 'width' in x && 'height' in x) {
      const { data, width, height } = x;
      const c = data.length / (width * height);
      if (!Number.isInteger(c)) {
        throw new ShapeError(`ToTensor: ${data.length} pixel values do not fill ${height}x${width} pixels`);
      }
      return hwcToChw(data, height, width, c, 255);
    }
    throw new TorchletError(`ToTensor: expected a pixel buffer, nested array or tensor, got ${typeof x}`);
  }
}

function fromNested(x: NestedArray[]): Tensor {
  const h = x.length;
  const row0 = x[0];
  const w = Array.isArray(row0) ? row0.length : 0;
  const px = Array.isArray(row0) ? row0[0] : undefined;
  const c = Array.isArray(px) ? px.length : 1;
  const flat = (x as unknown as NestedArray[]).flat(2) as number[];
  if (flat.length !== h * w * c)
    throw new ShapeError(`ToTensor: ragged nested image (expected ${h}x${w}x${c} values)`);
  return hwcToChw(flat, h, w, c, 255);
}

/** Divides by 255 (not multiplies by 1/255) so values equal PyTorch's `x.float().div(255)`. */
function hwcToChw(src: ArrayLike<number>, h: number, w: number, c: number, divisor: number): Tensor {
  const out = new Float32Array(c * h * w);
  const plane = h * w;
  for (let p = 0; p < plane; p++) {
    for (let k = 0; k < c; k++) out[k * plane + p] = src[p * c + k]! / divisor;
  }
  return wrapArray(out, [c, h, w]);
}
