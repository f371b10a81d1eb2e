import { fmtShape, type Generator, ShapeError, type Tensor, TorchletError } from '@torchlet/tensor';
import { generatorOr } from '../random.js';
import { blankImage, imageTensor, readImage, reflectIndex } from './image.js';
import type { TransformModule } from './transform.js';

/** How the border is filled: a constant, the edge pixel repeated, or a mirror image without the edge. */
export type PaddingMode = 'constant' | 'edge' | 'reflect';

/** Options of {@link RandomCrop}. */
export interface RandomCropOptions {
  /** Border added first: all sides, `[leftRight, topBottom]`, or `[left, top, right, bottom]`. */
  padding?: number | readonly [number, number] | readonly [number, number, number, number];
  /** Pad further when the image is smaller than the crop. */
  padIfNeeded?: boolean;
  /** Value of constant padding (default 0). */
  fill?: number;
  paddingMode?: PaddingMode;
  generator?: Generator;
}

/**
 * Crops a random `size` window after optional padding, as `torchvision.transforms.RandomCrop`.
 *
 * @example new RandomCrop(28, { padding: 2 }) // shifts MNIST digits by up to 2 pixels
 */
export class RandomCrop implements TransformModule {
  private readonly ch: number;
  private readonly cw: number;
  private readonly pad: [number, number, number, number];

  constructor(
    size: number | readonly [number, number],
    private readonly options: RandomCropOptions = {},
  ) {
    [this.ch, this.cw] = typeof size === 'number' ? [size, size] : size;
    this.pad = paddingSides(options.padding ?? 0);
  }

  forward(x: Tensor): Tensor {
    const img = readImage('RandomCrop', x);
    let [left, top, right, bottom] = this.pad;
    if (this.options.padIfNeeded) {
      const extraW = Math.max(0, this.cw - (img.w + left + right));
      const extraH = Math.max(0, this.ch - (img.h + top + bottom));
      left += extraW;
      right += extraW;
      top += extraH;
      bottom += extraH;
    }
    const ph = img.h + top + bottom;
    const pw = img.w + left + right;
    if (this.ch > ph || this.cw > pw) {
      throw new ShapeError(
        `RandomCrop: crop size [${this.ch},${this.cw}] is larger than the padded input [${ph},${pw}] (input ${fmtShape(x.shape)})`,
      );
    }
    const g = generatorOr(this.options.generator);
    const i = g.nextBelow(ph - this.ch + 1) - top;
    const j = g.nextBelow(pw - this.cw + 1) - left;
    const out = blankImage(img, this.ch, this.cw);
    const mode = this.options.paddingMode ?? 'constant';
    const fill = this.options.fill ?? 0;
    const { c, h, w, data } = img;
    for (let k = 0; k < c; k++) {
      for (let y = 0; y < this.ch; y++) {
        const sy = sourceIndex(y + i, h, mode);
        const dst = (k * this.ch + y) * this.cw;
        for (let x = 0; x < this.cw; x++) {
          const sx = sourceIndex(x + j, w, mode);
          out.data[dst + x] = sy < 0 || sx < 0 ? fill : data[(k * h + sy) * w + sx]!;
        }
      }
    }
    return imageTensor(out);
  }
}

/** Where a padded coordinate reads from, or -1 for the constant fill. */
function sourceIndex(i: number, n: number, mode: PaddingMode): number {
  if (i >= 0 && i < n) return i;
  if (mode === 'constant') return -1;
  if (mode === 'edge') return i < 0 ? 0 : n - 1;
  return reflectIndex(i, n);
}

function paddingSides(p: RandomCropOptions['padding']): [number, number, number, number] {
  const sides: [number, number, number, number] =
    typeof p === 'number'
      ? [p, p, p, p]
      : p!.length === 2
        ? [p![0], p![1], p![0], p![1]]
        : [p![0], p![1], p![2]!, p![3]!];
  if (sides.some((s) => !Number.isInteger(s) || s < 0)) {
    throw new TorchletError(`RandomCrop: padding must be non-negative integers, got [${sides.join(', ')}]`);
  }
  return sides;
}

/** Mirrors the image left–right with probability `p` (`torchvision.transforms.RandomHorizontalFlip`). */
export class RandomHorizontalFlip implements TransformModule {
  constructor(
    readonly p = 0.5,
    private readonly options: { generator?: Generator } = {},
  ) {}

  forward(x: Tensor): Tensor {
    if (!(generatorOr(this.options.generator).nextFloat53() < this.p)) return x;
    const img = readImage('RandomHorizontalFlip', x);
    const { data, w } = img;
    for (let row = 0; row < data.length; row += w) data.subarray(row, row + w).reverse();
    return imageTensor(img);
  }
}
