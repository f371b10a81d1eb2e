import { describe, expect, it } from 'vitest';
import { mnistImages } from '../test-utils/tiny-model.js';
import {
  BOX,
  boundingBox,
  CENTRE,
  centreOfMass,
  type GreyImage,
  inkFromRgba,
  preprocessDigit,
  resizeArea,
} from './preprocess.js';

/** A blank `width`×`height` image with the rectangle [x, x+w)×[y, y+h) inked at `v`. */
function rect(width: number, height: number, x: number, y: number, w: number, h: number, v = 1): GreyImage {
  const data = new Float32Array(width * height);
  for (let r = y; r < y + h; r++) data.fill(v, r * width + x, r * width + x + w);
  return { width, height, data };
}

const sum = (a: Float32Array) => a.reduce((s, v) => s + v, 0);
const field = (pixels: Float32Array): GreyImage => ({ width: 28, height: 28, data: pixels });

describe('preprocessDigit (MNIST: fit 20×20 keeping aspect, centre of mass at the centre)', () => {
  it('finds the bounding box, or null for a blank image', () => {
    expect(boundingBox(rect(50, 40, 7, 3, 10, 20))).toEqual({ x: 7, y: 3, width: 10, height: 20 });
    expect(boundingBox(rect(10, 10, 0, 0, 0, 0))).toBeNull();
    expect(preprocessDigit(rect(10, 10, 0, 0, 0, 0))).toBeNull();
  });

  it('computes the centre of mass with pixel (x, y) covering [x, x+1)×[y, y+1)', () => {
    expect(centreOfMass(rect(9, 9, 4, 2, 1, 1))).toEqual({ x: 4.5, y: 2.5 });
    expect(centreOfMass(rect(10, 10, 2, 2, 4, 2))).toEqual({ x: 4, y: 3 });
  });

  it('area-averages when shrinking: a 2×2 block of 1, 0, 0, 1 becomes 0.5', () => {
    const img = { width: 2, height: 2, data: Float32Array.of(1, 0, 0, 1) };
    expect(Array.from(resizeArea(img, { x: 0, y: 0, width: 2, height: 2 }, 1, 1).data)).toEqual([0.5]);
    // Mass scales with the area ratio: 60×30 of ink → 20×10.
    const big = rect(60, 30, 0, 0, 60, 30);
    const small = resizeArea(big, { x: 0, y: 0, width: 60, height: 30 }, 20, 10);
    expect(sum(small.data)).toBeCloseTo(200, 3);
    // A thin line keeps its mass as grey levels instead of vanishing.
    const line = rect(100, 100, 0, 50, 100, 1);
    const resized = resizeArea(line, { x: 0, y: 0, width: 100, height: 100 }, 20, 20);
    expect(sum(resized.data)).toBeCloseTo((100 * 20 * 20) / (100 * 100), 4);
  });

  it('scales a tall digit to 20 pixels high keeping its aspect ratio', () => {
    const out = preprocessDigit(rect(280, 280, 100, 40, 40, 200))!;
    expect(boundingBox(field(out))).toMatchObject({ width: 4, height: BOX });
    const wide = preprocessDigit(rect(280, 280, 10, 100, 250, 50))!;
    expect(boundingBox(field(wide))).toMatchObject({ width: BOX, height: 4 });
  });

  it('places the centre of mass within half a pixel of the centre of pixel (14, 14)', () => {
    // An L shape drawn in a corner: its centre of mass is not the middle of its box.
    const img = rect(280, 280, 0, 0, 30, 150);
    for (let r = 120; r < 150; r++) img.data.fill(1, r * 280, r * 280 + 120);
    const out = field(preprocessDigit(img)!);
    const com = centreOfMass(out);
    expect(Math.abs(com.x - CENTRE)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(com.y - CENTRE)).toBeLessThanOrEqual(0.5);
  });

  it('keeps the digit inside the field even when centring would push it out', () => {
    // A heavy bar on top of a faint stroke: centring its mass would move the stroke off the bottom.
    const img = rect(200, 200, 95, 0, 10, 200, 0.05);
    for (let r = 0; r < 20; r++) img.data.fill(1, r * 200 + 80, r * 200 + 120);
    const out = preprocessDigit(img)!;
    expect(sum(out)).toBeCloseTo(sum(resizeArea(img, boundingBox(img)!, 4, 20).data), 3);
    // Centring the mass would need a shift of 12 rows; 8 puts the stroke on the bottom edge.
    expect(boundingBox(field(out))).toMatchObject({ y: 8, height: 20 });
  });

  it('reads ink from the alpha channel of RGBA canvas pixels', () => {
    const rgba = Uint8ClampedArray.of(10, 20, 30, 255, 0, 0, 0, 0, 255, 255, 255, 51);
    expect(Array.from(inkFromRgba(rgba, 3, 1).data)).toEqual([1, 0, Math.fround(0.2)]);
  });

  it('leaves MNIST digits, already preprocessed this way, nearly unchanged', () => {
    const { images } = mnistImages(false, 50);
    for (let i = 0; i < 50; i++) {
      const digit = images.subarray(i * 784, (i + 1) * 784);
      const again = preprocessDigit(field(digit))!;
      // Cosine similarity of the two 784-vectors.
      let [dot, a, b] = [0, 0, 0];
      for (let k = 0; k < 784; k++) {
        dot += digit[k]! * again[k]!;
        a += digit[k]! ** 2;
        b += again[k]! ** 2;
      }
      expect(dot / Math.sqrt(a * b)).toBeGreaterThan(0.95);
    }
  });
});
