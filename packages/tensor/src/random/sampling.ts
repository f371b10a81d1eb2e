import { allocArray, castScalar, type DType, isFloating } from '../dtype.js';
import { fmtShape, ShapeError, TorchletError } from '../errors.js';
import type { TensorOptions } from '../ops/creation.js';
import { assignInPlace } from '../ops/elementwise.js';
import { installMethods } from '../ops/methods.js';
import { numelOf, type Shape } from '../shape.js';
import { fromTypedArray, type Tensor } from '../tensor.js';
import { defaultGenerator, type Generator } from './generator.js';

/** Options of random factories: tensor options plus the generator to draw from. */
export interface RandomOptions extends TensorOptions {
  generator?: Generator;
}

function make(
  shape: Shape,
  options: RandomOptions,
  dtype: DType,
  fill: (g: Generator, i: number) => number,
): Tensor {
  const g = options.generator ?? defaultGenerator;
  const n = numelOf(shape);
  const values = allocArray(dtype, n);
  for (let i = 0; i < n; i++) values[i] = castScalar(fill(g, i), dtype);
  const t = fromTypedArray(values, shape, dtype, options.device);
  if (options.requiresGrad) t.requiresGrad_(true);
  return t;
}

function uniformSource(dtype: DType): (g: Generator) => number {
  return dtype === 'float64' ? (g) => g.nextFloat53() : (g) => g.nextFloat24();
}

function floatDtype(op: string, options: TensorOptions): DType {
  const dtype = options.dtype ?? 'float32';
  if (!isFloating(dtype)) throw new TorchletError(`${op}: expected a floating dtype, got ${dtype}`);
  return dtype;
}

/** Uniform samples in [0, 1). */
export function rand(shape: Shape, options: RandomOptions = {}): Tensor {
  const dtype = floatDtype('rand', options);
  const u = uniformSource(dtype);
  return make(shape, options, dtype, (g) => u(g));
}

/** Uniform samples in [low, high). */
export function uniform(shape: Shape, low = 0, high = 1, options: RandomOptions = {}): Tensor {
  const dtype = floatDtype('uniform', options);
  const u = uniformSource(dtype);
  return make(shape, options, dtype, (g) => low + (high - low) * u(g));
}

/**
 * Normal samples laid out as PyTorch's CPU kernel draws them, so a seeded `randn` equals torch's:
 * from 16 elements on, all uniforms are drawn first (at the dtype's precision) and transformed in
 * blocks of 16 (Box–Muller on elements j and j+8), the last 16 redrawn when the size is not a
 * multiple of 16; smaller tensors take scalar samples ({@link Generator.nextNormal}).
 */
function normalValues(n: number, dtype: DType, mean: number, std: number, g: Generator): Float64Array {
  const out = new Float64Array(n);
  if (n < 16) {
    for (let i = 0; i < n; i++) out[i] = g.nextNormal() * std + mean;
    return out;
  }
  const single = dtype !== 'float64';
  const uniform = single ? () => g.nextFloat24() : () => g.nextFloat53();
  // float32 tensors are transformed in float arithmetic, as the kernel does.
  const r = single ? Math.fround : (x: number) => x;
  const block = (base: number) => {
    for (let j = 0; j < 8; j++) {
      const u1 = r(1 - out[base + j]!);
      const u2 = out[base + j + 8]!;
      const radius = r(Math.sqrt(r(-2 * r(Math.log(u1)))));
      const theta = r(r(2 * Math.PI) * u2);
      out[base + j] = r(r(radius * r(Math.cos(theta))) * std + mean);
      out[base + j + 8] = r(r(radius * r(Math.sin(theta))) * std + mean);
    }
  };
  for (let i = 0; i < n; i++) out[i] = uniform();
  for (let i = 0; i + 16 <= n; i += 16) block(i);
  if (n % 16 !== 0) {
    for (let i = n - 16; i < n; i++) out[i] = uniform();
    block(n - 16);
  }
  return out;
}

function normalTensor(op: string, shape: Shape, mean: number, std: number, options: RandomOptions): Tensor {
  const dtype = floatDtype(op, options);
  const z = normalValues(numelOf(shape), dtype, mean, std, options.generator ?? defaultGenerator);
  return make(shape, options, dtype, (_, i) => z[i]!);
}

/** Standard normal samples (the same stream as `torch.randn` for the same seed). */
export function randn(shape: Shape, options: RandomOptions = {}): Tensor {
  return normalTensor('randn', shape, 0, 1, options);
}

/** Normal samples with the given mean and standard deviation. */
export function normal(shape: Shape, mean = 0, std = 1, options: RandomOptions = {}): Tensor {
  if (std < 0) throw new TorchletError(`normal: std must be non-negative, got ${std}`);
  return normalTensor('normal', shape, mean, std, options);
}

/** Uniform integers in [low, high); int32 unless `dtype` says otherwise. */
export function randint(low: number, high: number, shape: Shape, options: RandomOptions = {}): Tensor {
  if (!(high > low)) throw new TorchletError(`randint: expected low < high, got low ${low} and high ${high}`);
  return make(shape, options, options.dtype ?? 'int32', (g) => low + g.nextBelow(high - low));
}

/** A random permutation of 0..n-1 (int32), by Fisher–Yates. */
export function randperm(n: number, options: RandomOptions = {}): Tensor {
  const g = options.generator ?? defaultGenerator;
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = g.nextBelow(i + 1);
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
  }
  const dtype = options.dtype ?? 'int32';
  return fromTypedArray(dtype === 'int32' ? perm : Float32Array.from(perm), [n], dtype, options.device);
}

/** 0/1 samples, 1 with probability `p` (a number or a tensor of probabilities, whose shape is used). */
export function bernoulli(p: Tensor | number, options: RandomOptions & { shape?: Shape } = {}): Tensor {
  if (typeof p === 'number') {
    if (!(p >= 0 && p <= 1)) throw new TorchletError(`bernoulli: p must be in [0, 1], got ${p}`);
    return make(options.shape ?? [], options, options.dtype ?? 'float32', (g) =>
      g.nextFloat53() < p ? 1 : 0,
    );
  }
  const probs = p.dataSync();
  for (const v of probs) {
    if (!(v >= 0 && v <= 1)) throw new TorchletError(`bernoulli: probabilities must be in [0, 1], got ${v}`);
  }
  return make(p.shape, { device: p.device, ...options }, options.dtype ?? p.dtype, (g, i) =>
    g.nextFloat53() < probs[i]! ? 1 : 0,
  );
}

/**
 * Samples `numSamples` category indices per row of non-negative `weights` (1-D or 2-D), with or
 * without replacement, as `torch.multinomial`. Returns int32 indices.
 */
export function multinomial(
  weights: Tensor,
  numSamples: number,
  options: { replacement?: boolean; generator?: Generator } = {},
): Tensor {
  if (weights.ndim !== 1 && weights.ndim !== 2) {
    throw new ShapeError(`multinomial: expected 1-D or 2-D weights, got shape ${fmtShape(weights.shape)}`);
  }
  const g = options.generator ?? defaultGenerator;
  const replacement = options.replacement ?? false;
  const rows = weights.ndim === 2 ? weights.shape[0]! : 1;
  const k = weights.shape[weights.ndim - 1]!;
  if (!replacement && numSamples > k) {
    throw new TorchletError(
      `multinomial: cannot draw ${numSamples} samples without replacement from ${k} categories`,
    );
  }
  const w = weights.dataSync();
  const out = new Int32Array(rows * numSamples);
  for (let r = 0; r < rows; r++) {
    const row = Array.from(w.subarray(r * k, (r + 1) * k));
    if (row.some((v) => v < 0 || !Number.isFinite(v)))
      throw new TorchletError('multinomial: weights must be finite and non-negative');
    for (let s = 0; s < numSamples; s++) {
      const total = row.reduce((a, b) => a + b, 0);
      if (total <= 0)
        throw new TorchletError(`multinomial: row ${r} has no positive weight left to sample from`);
      let u = g.nextFloat53() * total;
      let pick = k - 1;
      for (let i = 0; i < k; i++) {
        u -= row[i]!;
        if (u < 0 && row[i]! > 0) {
          pick = i;
          break;
        }
      }
      out[r * numSamples + s] = pick;
      if (!replacement) row[pick] = 0;
    }
  }
  return fromTypedArray(out, weights.ndim === 2 ? [rows, numSamples] : [numSamples], 'int32', weights.device);
}

/**
 * Uniform [0, 1) samples with `t`'s shape, dtype and device (`options` overrides), as `torch.rand_like`;
 * floating dtypes only.
 */
export const randLike = (t: Tensor, options: RandomOptions = {}): Tensor =>
  rand(t.shape, { dtype: t.dtype, device: t.device, ...options });
/**
 * Standard normal samples with `t`'s shape, dtype and device (`options` overrides), as `torch.randn_like`;
 * floating dtypes only.
 */
export const randnLike = (t: Tensor, options: RandomOptions = {}): Tensor =>
  randn(t.shape, { dtype: t.dtype, device: t.device, ...options });

installMethods({
  /** Fills with uniform samples in [low, high). */
  uniform_: (t: Tensor, low = 0, high = 1, generator?: Generator) =>
    assignInPlace(
      'uniform_',
      t,
      uniform(t.shape, low, high, { dtype: t.dtype, device: t.device, generator }),
    ),
  normal_: (t: Tensor, mean = 0, std = 1, generator?: Generator) =>
    assignInPlace('normal_', t, normal(t.shape, mean, std, { dtype: t.dtype, device: t.device, generator })),
  bernoulli_: (t: Tensor, p = 0.5, generator?: Generator) =>
    assignInPlace(
      'bernoulli_',
      t,
      bernoulli(p, { shape: t.shape, dtype: t.dtype, device: t.device, generator }),
    ),
});

declare module '../tensor.js' {
  interface Tensor {
    /** Fills in place with uniform samples in [low, high). */
    uniform_(low?: number, high?: number, generator?: Generator): Tensor;
    /** Fills in place with normal samples. */
    normal_(mean?: number, std?: number, generator?: Generator): Tensor;
    /** Fills in place with 0/1 samples, 1 with probability p. */
    bernoulli_(p?: number, generator?: Generator): Tensor;
  }
}
