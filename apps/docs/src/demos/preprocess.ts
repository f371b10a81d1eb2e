/**
 * MNIST's own preprocessing for a hand-drawn digit (LeCun et al.): the digit's bounding box is
 * scaled to fit a 20×20 box keeping its aspect ratio (area-averaged, so strokes become grey
 * levels), then placed in a 28×28 field so that its centre of mass is at the field's centre.
 */

/** Side of the MNIST field. */
export const FIELD = 28;
/** Side of the box the digit's bounding box is scaled to fit. */
export const BOX = 20;

/** A grey-level image, row-major, values in [0, 1] (1 = ink). */
export interface GreyImage {
  width: number;
  height: number;
  data: Float32Array;
}

/** The smallest rectangle holding every pixel above `threshold`, or null for a blank image. */
export function boundingBox(
  img: GreyImage,
  threshold = 0,
): { x: number; y: number; width: number; height: number } | null {
  let [x0, y0, x1, y1] = [img.width, img.height, -1, -1];
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      if (img.data[y * img.width + x]! > threshold) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/**
 * Weights of a 1-D area resampling from `from` cells to `to` cells: `w[j][i]` is the share of
 * source cell i covered by target cell j, divided by the target cell's width in source cells, so
 * each target value is the mean of the source over its span.
 */
function areaWeights(from: number, to: number): Float64Array {
  const w = new Float64Array(to * from);
  const scale = from / to;
  for (let j = 0; j < to; j++) {
    const lo = j * scale;
    const hi = lo + scale;
    for (let i = Math.floor(lo); i < Math.min(from, Math.ceil(hi)); i++) {
      const overlap = Math.min(hi, i + 1) - Math.max(lo, i);
      if (overlap > 0) w[j * from + i] = overlap / scale;
    }
  }
  return w;
}

/**
 * Resizes the `crop` rectangle of `img` to `width`×`height` by area averaging (separable: rows,
 * then columns), the filter that keeps thin strokes as grey levels instead of dropping them.
 */
export function resizeArea(
  img: GreyImage,
  crop: { x: number; y: number; width: number; height: number },
  width: number,
  height: number,
): GreyImage {
  const wx = areaWeights(crop.width, width);
  const wy = areaWeights(crop.height, height);
  const rows = new Float64Array(crop.height * width);
  for (let y = 0; y < crop.height; y++) {
    const src = (crop.y + y) * img.width + crop.x;
    for (let j = 0; j < width; j++) {
      let s = 0;
      for (let i = 0; i < crop.width; i++) s += wx[j * crop.width + i]! * img.data[src + i]!;
      rows[y * width + j] = s;
    }
  }
  const data = new Float32Array(width * height);
  for (let j = 0; j < height; j++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let i = 0; i < crop.height; i++) s += wy[j * crop.height + i]! * rows[i * width + x]!;
      data[j * width + x] = Math.min(1, s);
    }
  }
  return { width, height, data };
}

/** Centre of mass of an image in pixel coordinates, where pixel (x, y) covers [x, x+1)×[y, y+1). */
export function centreOfMass(img: GreyImage): { x: number; y: number } {
  let [m, mx, my] = [0, 0, 0];
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const v = img.data[y * img.width + x]!;
      m += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  return m === 0 ? { x: img.width / 2, y: img.height / 2 } : { x: mx / m, y: my / m };
}

/**
 * Where MNIST puts a digit's centre of mass: on pixel 14's centre (14.5 in the coordinates of
 * {@link centreOfMass}), as measured on the dataset, not at the field's geometric centre 14.
 * Matching the training data is what matters to the model.
 */
export const CENTRE = FIELD / 2 + 0.5;

/** The shift (whole pixels) that moves `com` to {@link CENTRE}, kept so the digit stays inside. */
function placement(com: number, size: number): number {
  const shift = Math.round(CENTRE - com);
  return Math.max(0, Math.min(FIELD - size, shift));
}

/**
 * Turns a drawing (grey levels, 1 = ink, any size) into a 28×28 MNIST-style input: bounding box
 * scaled to fit 20×20 keeping the aspect ratio, placed by centre of mass. A blank drawing gives
 * null.
 *
 * @example
 * const input = preprocessDigit({ width: 280, height: 280, data: inkFromCanvas }); // Float32Array(784)
 */
export function preprocessDigit(img: GreyImage, threshold = 0): Float32Array | null {
  const box = boundingBox(img, threshold);
  if (!box) return null;
  const scale = BOX / Math.max(box.width, box.height);
  const w = Math.max(1, Math.min(BOX, Math.round(box.width * scale)));
  const h = Math.max(1, Math.min(BOX, Math.round(box.height * scale)));
  const digit = resizeArea(img, box, w, h);
  const com = centreOfMass(digit);
  const dx = placement(com.x, w);
  const dy = placement(com.y, h);
  const out = new Float32Array(FIELD * FIELD);
  for (let y = 0; y < h; y++) out.set(digit.data.subarray(y * w, (y + 1) * w), (y + dy) * FIELD + dx);
  return out;
}

/**
 * Ink of an RGBA canvas image as grey levels: the alpha channel, so strokes may be drawn in any
 * colour on a transparent canvas.
 */
export function inkFromRgba(rgba: Uint8ClampedArray, width: number, height: number): GreyImage {
  const data = new Float32Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = rgba[4 * i + 3]! / 255;
  return { width, height, data };
}
