import { type Generator, type Tensor, TorchletError } from '@torchlet/tensor';
import { generatorOr } from '../random.js';
import { blankImage, drawIn, type Image, imageTensor, readImage, symmetricRange } from './image.js';
import type { TransformModule } from './transform.js';

/** How a warped image reads between pixels. */
export type Interpolation = 'nearest' | 'bilinear';

/** The parameters of one affine warp, in torchvision's conventions (degrees, pixels). */
export interface AffineParams {
  /** Clockwise rotation in degrees (y points down), as `torchvision.transforms.functional.affine`. */
  angle: number;
  translate: [number, number];
  scale: number;
  /** Shear angles in degrees along x and y. */
  shear: [number, number];
  /** Center of rotation in pixel coordinates; default the image center. */
  center?: [number, number];
}

/**
 * Warps a CHW image by an affine map (rotation · scale · shear about the center, then translation),
 * sampling each output pixel center from the input by inverse mapping. Pixels that fall outside
 * the input get `fill`.
 */
export function warpAffine(img: Image, p: AffineParams, interpolation: Interpolation, fill: number): Image {
  const rot = (p.angle * Math.PI) / 180;
  const sx = (p.shear[0] * Math.PI) / 180;
  const sy = (p.shear[1] * Math.PI) / 180;
  // RSS = R(a) · S(s) · SHy(sy) · SHx(sx), as torchvision's _get_inverse_affine_matrix.
  const a = (p.scale * Math.cos(rot - sy)) / Math.cos(sy);
  const b = p.scale * ((-Math.cos(rot - sy) * Math.tan(sx)) / Math.cos(sy) - Math.sin(rot));
  const c = (p.scale * Math.sin(rot - sy)) / Math.cos(sy);
  const d = p.scale * ((-Math.sin(rot - sy) * Math.tan(sx)) / Math.cos(sy) + Math.cos(rot));
  const det = a * d - b * c;
  if (Math.abs(det) < 1e-12) throw new TorchletError('warpAffine: the affine map is singular (scale 0?)');
  const [ia, ib, ic, id] = [d / det, -b / det, -c / det, a / det];
  const [cx, cy] = p.center ?? [img.w / 2, img.h / 2];
  const ox = cx + p.translate[0];
  const oy = cy + p.translate[1];
  const out = blankImage(img);
  const { c: channels, h, w, data } = img;
  const plane = h * w;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const dx = x + 0.5 - ox;
      const dy = y + 0.5 - oy;
      // Source pixel coordinates (pixel centers at integers).
      const u = ia * dx + ib * dy + cx - 0.5;
      const v = ic * dx + id * dy + cy - 0.5;
      const o = y * w + x;
      if (interpolation === 'nearest') {
        const xi = Math.floor(u + 0.5);
        const yi = Math.floor(v + 0.5);
        const inside = xi >= 0 && xi < w && yi >= 0 && yi < h;
        for (let k = 0; k < channels; k++)
          out.data[k * plane + o] = inside ? data[k * plane + yi * w + xi]! : fill;
      } else {
        const x0 = Math.floor(u);
        const y0 = Math.floor(v);
        const fx = u - x0;
        const fy = v - y0;
        const in00 = x0 >= 0 && x0 < w && y0 >= 0 && y0 < h;
        const in01 = x0 + 1 >= 0 && x0 + 1 < w && y0 >= 0 && y0 < h;
        const in10 = x0 >= 0 && x0 < w && y0 + 1 >= 0 && y0 + 1 < h;
        const in11 = x0 + 1 >= 0 && x0 + 1 < w && y0 + 1 >= 0 && y0 + 1 < h;
        const i00 = y0 * w + x0;
        for (let k = 0; k < channels; k++) {
          const base = k * plane + i00;
          const p00 = in00 ? data[base]! : fill;
          const p01 = in01 ? data[base + 1]! : fill;
          const p10 = in10 ? data[base + w]! : fill;
          const p11 = in11 ? data[base + w + 1]! : fill;
          out.data[k * plane + o] = (p00 * (1 - fx) + p01 * fx) * (1 - fy) + (p10 * (1 - fx) + p11 * fx) * fy;
        }
      }
    }
  }
  return out;
}

/** Options shared by {@link RandomRotation} and {@link RandomAffine}. */
export interface WarpOptions {
  /** Default `'nearest'`, as torchvision. */
  interpolation?: Interpolation;
  /** Value for pixels mapped from outside the input (default 0). */
  fill?: number;
  /** Center of rotation in pixels (default the image center). */
  center?: [number, number];
  generator?: Generator;
}

/**
 * Rotates by an angle drawn uniformly from `degrees` (`d` means `[-d, d]`), counter-clockwise for
 * positive angles, as `torchvision.transforms.RandomRotation`.
 */
export class RandomRotation implements TransformModule {
  readonly degrees: [number, number];
  constructor(
    degrees: number | readonly [number, number],
    private readonly options: WarpOptions = {},
  ) {
    this.degrees = symmetricRange('RandomRotation', 'degrees', degrees);
  }

  forward(x: Tensor): Tensor {
    const angle = drawIn(generatorOr(this.options.generator), this.degrees);
    const img = readImage('RandomRotation', x);
    const params = { angle: -angle, translate: [0, 0], scale: 1, shear: [0, 0], center: this.options.center };
    return imageTensor(
      warpAffine(
        img,
        params as AffineParams,
        this.options.interpolation ?? 'nearest',
        this.options.fill ?? 0,
      ),
    );
  }
}

/** Options of {@link RandomAffine}. */
export interface RandomAffineOptions extends WarpOptions {
  /** Maximum shift as fractions of width and height: dx drawn in `[-tx·W, tx·W]`, rounded. */
  translate?: [number, number];
  /** Scale factor range. */
  scale?: [number, number];
  /** Shear in degrees: `s` means x-shear in `[-s, s]`; `[min, max]` for x; four values for x and y. */
  shear?: number | [number, number] | [number, number, number, number];
}

/**
 * A random rotation, translation, scale and shear, as `torchvision.transforms.RandomAffine`
 * (angles clockwise for positive values, as torchvision's affine).
 *
 * @example new RandomAffine(10, { translate: [0.1, 0.1], scale: [0.9, 1.1] })
 */
export class RandomAffine implements TransformModule {
  readonly degrees: [number, number];
  private readonly shearX: [number, number];
  private readonly shearY: [number, number];

  constructor(
    degrees: number | readonly [number, number],
    private readonly options: RandomAffineOptions = {},
  ) {
    this.degrees = symmetricRange('RandomAffine', 'degrees', degrees);
    const s = options.shear ?? 0;
    if (typeof s === 'number')
      [this.shearX, this.shearY] = [symmetricRange('RandomAffine', 'shear', s), [0, 0]];
    else if (s.length === 2)
      [this.shearX, this.shearY] = [
        [s[0], s[1]],
        [0, 0],
      ];
    else
      [this.shearX, this.shearY] = [
        [s[0], s[1]],
        [s[2], s[3]],
      ];
    const t = options.translate;
    if (t && !t.every((v) => v >= 0 && v <= 1)) {
      throw new TorchletError(`RandomAffine: translate fractions must be in [0, 1], got [${t.join(', ')}]`);
    }
  }

  /** Draws one warp for an image of height `h` and width `w` (`RandomAffine.get_params`). */
  sampleParams(h: number, w: number): AffineParams {
    const g = generatorOr(this.options.generator);
    const angle = drawIn(g, this.degrees);
    const t = this.options.translate;
    const translate: [number, number] = t
      ? [Math.round(drawIn(g, [-t[0] * w, t[0] * w])), Math.round(drawIn(g, [-t[1] * h, t[1] * h]))]
      : [0, 0];
    const scale = this.options.scale ? drawIn(g, this.options.scale) : 1;
    const shear: [number, number] = [drawIn(g, this.shearX), drawIn(g, this.shearY)];
    return { angle, translate, scale, shear, center: this.options.center };
  }

  forward(x: Tensor): Tensor {
    const img = readImage('RandomAffine', x);
    const params = this.sampleParams(img.h, img.w);
    return imageTensor(
      warpAffine(img, params, this.options.interpolation ?? 'nearest', this.options.fill ?? 0),
    );
  }
}
