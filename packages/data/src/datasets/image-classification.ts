import { fmtShape, ShapeError, type Tensor } from '@torchlet/tensor';
import type { Collated } from '../collate.js';
import { checkIndex, Dataset } from '../dataset.js';
import { gatherRows, type Rows, rowAt, rowsOf } from '../tensor-data.js';
import { applyTransform, batchTransformOf, type Transform } from '../transforms/transform.js';

/** Options shared by image classification datasets, as torchvision's. */
export interface ImageDatasetOptions<Y = number> {
  /** Applied to each `[C,H,W]` image. A transform with a batch form (Normalize) keeps the batch fast path. */
  transform?: Transform<Tensor, Tensor>;
  /** Applied to each integer label. */
  targetTransform?: Transform<number, Y>;
}

/**
 * Images and labels held as two whole tensors: `data` `[N,H,W]` (float32 in [0, 1]; one channel)
 * and `targets` `[N]` (int32). `get(i)` returns `[image [1,H,W], label]`; batches without a
 * per-sample transform are gathered straight from `data` into one `[B,1,H,W]` buffer.
 */
export class ImageClassificationDataset<Y = number> extends Dataset<[Tensor, Y]> {
  readonly transform: Transform<Tensor, Tensor> | undefined;
  readonly targetTransform: Transform<number, Y> | undefined;
  /** Set when batches can be gathered: no target transform and no per-sample image transform. */
  readonly getBatch?: (indices: readonly number[]) => Collated<[Tensor, Y]>;
  private readonly images: Rows;
  private readonly labels: Rows;

  constructor(
    readonly data: Tensor,
    readonly targets: Tensor,
    readonly classes: readonly string[],
    options: ImageDatasetOptions<Y> = {},
  ) {
    super();
    if (data.ndim !== 3 || targets.ndim !== 1 || data.shape[0] !== targets.shape[0]) {
      throw new ShapeError(
        `ImageClassificationDataset: expected data [N,H,W] and targets [N], got ${fmtShape(data.shape)} and ${fmtShape(targets.shape)}`,
      );
    }
    this.transform = options.transform;
    this.targetTransform = options.targetTransform;
    // Images gather as [1,H,W] rows: the one-channel CHW layout transforms expect.
    this.images = { ...rowsOf(data, 'ImageClassificationDataset'), rowShape: [1, ...data.shape.slice(1)] };
    this.labels = rowsOf(targets, 'ImageClassificationDataset');
    const batchTransform = this.transform ? batchTransformOf(this.transform) : (x: Tensor) => x;
    if (batchTransform && !this.targetTransform) {
      const op = `${this.constructor.name}.getBatch`;
      // Without a target transform Y is number, whose collated form is a tensor.
      this.getBatch = (indices) =>
        [
          batchTransform(gatherRows(this.images, indices, op)),
          gatherRows(this.labels, indices, op),
        ] as Collated<[Tensor, Y]>;
    }
  }

  get length(): number {
    return this.labels.count;
  }

  get(index: number): [Tensor, Y] {
    checkIndex(`${this.constructor.name}.get`, index, this.length);
    const image = rowAt(this.images, index, `${this.constructor.name}.get`);
    const label = this.labels.data[this.labels.offset + index]!;
    return [
      this.transform ? applyTransform(this.transform, image) : image,
      this.targetTransform ? applyTransform(this.targetTransform, label) : (label as Y),
    ];
  }
}
