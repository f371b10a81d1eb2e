import { arange, Generator, ones, type Tensor, tensor } from '@torchlet/tensor';
import { describe, expect, it } from 'vitest';
import {
  ColorJitter,
  Compose,
  GaussianBlur,
  GaussianNoise,
  gaussianKernel1d,
  Lambda,
  Normalize,
  RandomAffine,
  RandomCrop,
  RandomErasing,
  RandomHorizontalFlip,
  RandomRotation,
  ToTensor,
} from '../index.js';

const g = (seed = 0) => new Generator(seed);
const flat = (t: Tensor) => Array.from(t.dataSync());
/** A [1,4,4] image with pixel values 0..15. */
const grid = () => arange(16).reshape(1, 4, 4);

describe('ToTensor, Normalize, Compose, Lambda', () => {
  it('converts HWC pixels to CHW floats in [0, 1]', () => {
    const rgba = { data: Uint8ClampedArray.of(255, 0, 0, 255, 0, 51, 0, 255), width: 2, height: 1 };
    const t = new ToTensor().forward(rgba);
    expect(t.shape).toEqual([4, 1, 2]);
    expect(flat(t)).toEqual([1, 0, 0, Math.fround(0.2), 0, 0, 1, 1]);
    expect(new ToTensor().forward([[0, 255]]).shape).toEqual([1, 1, 2]);
    const hwc = tensor([[[10, 20]], [[30, 40]]], { dtype: 'int32' });
    expect(new ToTensor().forward(hwc).shape).toEqual([2, 2, 1]);
  });

  it('normalizes per channel, and by batch with the same result', () => {
    const x = tensor([[[1, 2]], [[3, 4]]]);
    const n = new Normalize([1, 2], [2, 4]);
    expect(flat(n.forward(x))).toEqual([0, 0.5, 0.25, 0.5]);
    expect(flat(n.forwardBatch(x.reshape(1, 2, 1, 2)))).toEqual([0, 0.5, 0.25, 0.5]);
    expect(() => n.forward(tensor([[[1]], [[1]], [[1]]]))).toThrow(
      'Normalize: mean has 2 values for 3 channels',
    );
  });

  it('chains transforms; a chain of batchable steps is batchable', () => {
    const c = new Compose([new Normalize(0, 2), new Lambda((t: Tensor) => t.add(1))]);
    expect(flat(c.forward(tensor([[[4]]])))).toEqual([3]);
    expect(c.forwardBatch).toBeUndefined();
    expect(new Compose([new Normalize(0, 2), new Normalize(1, 1)]).forwardBatch).toBeDefined();
  });

  it('refuses integer images', () => {
    expect(() => new RandomHorizontalFlip(1).forward(tensor([[1]], { dtype: 'int32' }))).toThrow(
      'RandomHorizontalFlip: expected a float32 or float64 image tensor, got int32 (use ToTensor first)',
    );
  });
});

describe('geometric transforms', () => {
  it('RandomCrop pads with constant, edge or reflect', () => {
    const row = tensor([[[1, 2, 3]]]);
    const crop = (mode: 'constant' | 'edge' | 'reflect') =>
      flat(new RandomCrop([1, 7], { padding: [2, 0], paddingMode: mode }).forward(row));
    expect(crop('constant')).toEqual([0, 0, 1, 2, 3, 0, 0]);
    expect(crop('edge')).toEqual([1, 1, 1, 2, 3, 3, 3]);
    expect(crop('reflect')).toEqual([3, 2, 1, 2, 3, 2, 1]);
  });

  it('RandomCrop takes a window of the padded image, reproducibly', () => {
    const out = new RandomCrop(4, { padding: 1, generator: g(3) }).forward(grid());
    expect(out.shape).toEqual([1, 4, 4]);
    const again = new RandomCrop(4, { padding: 1, generator: g(3) }).forward(grid());
    expect(flat(again)).toEqual(flat(out));
    const windows = new Set<string>();
    const t = new RandomCrop(4, { padding: 1, generator: g(0) });
    for (let i = 0; i < 200; i++) windows.add(flat(t.forward(grid())).join());
    expect(windows.size).toBe(9);
    expect(() => new RandomCrop(5).forward(grid())).toThrow(
      'RandomCrop: crop size [5,5] is larger than the padded input [4,4]',
    );
    expect(new RandomCrop(6, { padIfNeeded: true }).forward(grid()).shape).toEqual([1, 6, 6]);
  });

  it('RandomHorizontalFlip mirrors rows with probability p', () => {
    expect(flat(new RandomHorizontalFlip(1).forward(tensor([[[1, 2, 3]]])))).toEqual([3, 2, 1]);
    expect(flat(new RandomHorizontalFlip(0).forward(tensor([[[1, 2, 3]]])))).toEqual([1, 2, 3]);
  });

  it('RandomRotation by 90 degrees is an exact counter-clockwise quarter turn', () => {
    const src = flat(grid());
    const out = flat(new RandomRotation([90, 90]).forward(grid()));
    const expected = Array.from({ length: 16 }, (_, p) => src[(p % 4) * 4 + (3 - Math.floor(p / 4))]);
    expect(out).toEqual(expected);
    const bilinear = flat(new RandomRotation([90, 90], { interpolation: 'bilinear' }).forward(grid()));
    bilinear.forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i]!, 4);
    });
  });

  it('RandomAffine with no rotation is the identity, and translates by whole pixels', () => {
    expect(flat(new RandomAffine(0).forward(grid()))).toEqual(flat(grid()));
    expect(flat(new RandomAffine(0, { interpolation: 'bilinear' }).forward(grid()))).toEqual(flat(grid()));
    const shifted = new RandomAffine(0, { translate: [0.5, 0], generator: g(1) });
    const p = shifted.sampleParams(4, 4);
    expect(Number.isInteger(p.translate[0])).toBe(true);
    expect(Math.abs(p.translate[0])).toBeLessThanOrEqual(2);
    const one = tensor([
      [
        [0, 0, 0, 0],
        [0, 1, 0, 0],
        [0, 0, 0, 0],
        [0, 0, 0, 0],
      ],
    ]);
    const moved = flat(new RandomAffine(0, { translate: [0.25, 0.25], generator: g(2) }).forward(one));
    expect(moved.filter((v) => v === 1)).toHaveLength(1);
    const scaled = new RandomAffine([10, 20], { scale: [0.5, 0.5], shear: 5, generator: g(0) }).sampleParams(
      8,
      8,
    );
    expect(scaled.scale).toBe(0.5);
    expect(scaled.angle).toBeGreaterThanOrEqual(10);
  });
});

describe('photometric transforms', () => {
  it('ColorJitter scales brightness and blends contrast toward the mean, clamped', () => {
    const x = tensor([[[0.2, 0.6]]]);
    expect(flat(new ColorJitter({ brightness: [2, 2] }).forward(x)).map((v) => +v.toFixed(5))).toEqual([
      0.4, 1,
    ]);
    expect(flat(new ColorJitter({ contrast: [0, 0] }).forward(x)).map((v) => +v.toFixed(5))).toEqual([
      0.4, 0.4,
    ]);
    const j = new ColorJitter({ brightness: 0.5, contrast: 0.5, generator: g(1) });
    expect(flat(j.forward(x))).toEqual(
      flat(new ColorJitter({ brightness: 0.5, contrast: 0.5, generator: g(1) }).forward(x)),
    );
  });

  it('GaussianBlur keeps a constant image and smooths a spike symmetrically', () => {
    expect(flat(new GaussianBlur(3, 1).forward(ones([1, 4, 4]))).every((v) => Math.abs(v - 1) < 1e-6)).toBe(
      true,
    );
    const spike = tensor([
      [
        [0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0],
        [0, 0, 1, 0, 0],
        [0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0],
      ],
    ]);
    const out = flat(new GaussianBlur(3, 1).forward(spike));
    const k = gaussianKernel1d(3, 1);
    expect(out[12]).toBeCloseTo(k[1]! * k[1]!, 6);
    expect(out[11]).toBeCloseTo(out[13]!, 7);
    expect(() => new GaussianBlur(4)).toThrow('kernel sizes must be odd positive integers');
  });

  it('GaussianNoise adds noise of the requested spread', () => {
    const x = ones([1, 100, 100]).mul(0.5);
    expect(flat(new GaussianNoise({ sigma: 0 }).forward(x)).every((v) => v === 0.5)).toBe(true);
    const noisy = flat(new GaussianNoise({ sigma: 0.1, clip: false, generator: g(0) }).forward(x));
    const mean = noisy.reduce((a, b) => a + b, 0) / noisy.length;
    const sd = Math.sqrt(noisy.reduce((a, b) => a + (b - mean) ** 2, 0) / noisy.length);
    expect(mean).toBeCloseTo(0.5, 2);
    expect(sd).toBeGreaterThan(0.095);
    expect(sd).toBeLessThan(0.105);
  });

  it('RandomErasing blanks one rectangle', () => {
    const out = flat(new RandomErasing({ p: 1, generator: g(4) }).forward(ones([2, 20, 20])));
    const zeros = out.map((v, i) => (v === 0 ? i : -1)).filter((i) => i >= 0);
    expect(zeros.length).toBeGreaterThan(0);
    expect(zeros.length % 2).toBe(0); // the same box in both channels
    const rows = new Set(zeros.filter((i) => i < 400).map((i) => Math.floor(i / 20)));
    const cols = new Set(zeros.filter((i) => i < 400).map((i) => i % 20));
    expect(rows.size * cols.size).toBe(zeros.length / 2);
    expect(flat(new RandomErasing({ p: 0 }).forward(ones([1, 4, 4])))).toEqual(new Array(16).fill(1));
  });
});
