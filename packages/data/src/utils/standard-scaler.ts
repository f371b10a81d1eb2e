import { fmtShape, ShapeError, type Tensor, TorchletError } from '@torchlet/tensor';
import { wrapArray } from '../tensor-data.js';

/**
 * Standardizes features to zero mean and unit variance per column, as scikit-learn's
 * `StandardScaler`: fit on the training set, then transform every split with the same statistics.
 * The variance is the population one (divide by N); a constant column keeps scale 1.
 *
 * @example
 * const scaler = new StandardScaler().fit(xTrain);
 * const [a, b] = [scaler.transform(xTrain), scaler.transform(xTest)];
 */
export class StandardScaler {
  /** Per-feature mean (after `fit`). */
  mean: Float64Array | null = null;
  /** Per-feature standard deviation used to divide (after `fit`). */
  scale: Float64Array | null = null;

  constructor(private readonly options: { withMean?: boolean; withStd?: boolean } = {}) {}

  /** Computes the per-column mean and standard deviation of `x` `[N,F]`. */
  fit(x: Tensor): this {
    const [n, f] = this.dims('fit', x);
    const data = x.dataSync();
    const mean = new Float64Array(f);
    const m2 = new Float64Array(f);
    for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) mean[j]! += data[i * f + j];
    for (let j = 0; j < f; j++) mean[j]! /= n;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < f; j++) {
        const d = data[i * f + j]! - mean[j]!;
        m2[j]! += d * d;
      }
    }
    this.mean = this.options.withMean === false ? new Float64Array(f) : mean;
    this.scale =
      this.options.withStd === false ? new Float64Array(f).fill(1) : m2.map((s) => Math.sqrt(s / n) || 1);
    return this;
  }

  /** `(x - mean) / scale` with the fitted statistics. */
  transform(x: Tensor): Tensor {
    return this.apply('transform', x, (v, j) => (v - this.mean![j]!) / this.scale![j]!);
  }

  /** `fit(x)` then `transform(x)`. */
  fitTransform(x: Tensor): Tensor {
    // biome-ignore lint/suspicious/noFocusedTests: fit() is the scaler's method, not a focused test
    return this.fit(x).transform(x);
  }

  /** Undoes `transform`. */
  inverseTransform(x: Tensor): Tensor {
    return this.apply('inverseTransform', x, (v, j) => v * this.scale![j]! + this.mean![j]!);
  }

  private dims(op: string, x: Tensor): [number, number] {
    if (x.ndim !== 2)
      throw new ShapeError(`StandardScaler.${op}: expected [N,F] features, got ${fmtShape(x.shape)}`);
    return [x.shape[0]!, x.shape[1]!];
  }

  private apply(op: string, x: Tensor, f: (v: number, j: number) => number): Tensor {
    if (!this.mean || !this.scale) throw new TorchletError(`StandardScaler.${op}: call fit() first`);
    const [n, cols] = this.dims(op, x);
    if (cols !== this.mean.length) {
      throw new ShapeError(
        `StandardScaler.${op}: fitted on ${this.mean.length} features, got ${fmtShape(x.shape)}`,
      );
    }
    const data = x.dtype === 'float64' ? x.dataSync() : Float32Array.from(x.dataSync());
    for (let i = 0; i < n; i++) for (let j = 0; j < cols; j++) data[i * cols + j] = f(data[i * cols + j]!, j);
    return wrapArray(data, x.shape);
  }
}
