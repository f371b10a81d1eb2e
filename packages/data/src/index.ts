/**
 * @torchlet/data — datasets, DataLoader, samplers, transforms and data readers, in the shape of
 * `torch.utils.data` and torchvision.
 *
 * @example
 * import { DataLoader, MNIST } from '@torchlet/data';
 * const loader = new DataLoader(new MNIST({ train: true }), { batchSize: 64, shuffle: true });
 * for (const [images, labels] of loader) { ... } // [64,1,28,28] float32, [64] int32
 */
export { type Collated, defaultCollate, type SampleArray } from './collate.js';
export { type AnyDataset, DataLoader, type DataLoaderOptions } from './dataloader.js';
export {
  AsyncIterableDataset,
  ConcatDataset,
  checkIndex,
  Dataset,
  IterableDataset,
  isMapDataset,
  type MapDataset,
  randomSplit,
  Subset,
  TensorDataset,
} from './dataset.js';
export { PermutedDataset, PermutedMNIST, SplitMNIST } from './datasets/continual.js';
export { type IdxDatasetOptions, IdxImageDataset, type LoadedSplit } from './datasets/idx-dataset.js';
export type { IdxSource } from './datasets/idx-source.js';
export { ImageClassificationDataset, type ImageDatasetOptions } from './datasets/image-classification.js';
export { DEBIAN_FASHION_MNIST_DIR, FashionMNIST, MNIST } from './datasets/mnist.js';
export {
  type BlobsOptions,
  makeBlobs,
  makeCircles,
  makeMoons,
  makeSine,
  makeSpirals,
  makeTeacherStudent,
  makeXor,
  type SyntheticOptions,
  type Teacher,
  XYDataset,
} from './datasets/synthetic.js';
export { type CsvData, type CsvOptions, parseCsv, readCsv, readCsvSync, splitCsv } from './readers/csv.js';
export { DataFormatError } from './readers/format-error.js';
export { encodeIdx, type IdxArray, type IdxDType, parseIdx, readIdx, readIdxSync } from './readers/idx.js';
export {
  BatchSampler,
  type DataSource,
  RandomSampler,
  type RandomSamplerOptions,
  type Sampler,
  SequentialSampler,
  SubsetRandomSampler,
  WeightedRandomSampler,
} from './samplers.js';
export { wrapArray } from './tensor-data.js';
export {
  type AffineParams,
  type Interpolation,
  RandomAffine,
  type RandomAffineOptions,
  RandomRotation,
  type WarpOptions,
  warpAffine,
} from './transforms/affine.js';
export { GaussianBlur, gaussianKernel1d } from './transforms/blur.js';
export { ColorJitter, type ColorJitterOptions } from './transforms/color.js';
export {
  type PaddingMode,
  RandomCrop,
  type RandomCropOptions,
  RandomHorizontalFlip,
} from './transforms/crop.js';
export type { Image } from './transforms/image.js';
export {
  GaussianNoise,
  type GaussianNoiseOptions,
  RandomErasing,
  type RandomErasingOptions,
} from './transforms/noise.js';
export { Normalize } from './transforms/normalize.js';
export { type ImageInput, type PixelBuffer, ToTensor } from './transforms/to-tensor.js';
export {
  applyTransform,
  Compose,
  Lambda,
  type Transform,
  type TransformModule,
} from './transforms/transform.js';
export { oneHot } from './utils/one-hot.js';
export { StandardScaler } from './utils/standard-scaler.js';
export { type TrainTestSplitOptions, trainTestSplit } from './utils/train-test-split.js';
export { type WorkerContext, type WorkerDatasetSpec, WorkerError } from './worker/pool.js';
