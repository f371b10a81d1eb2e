import { fmtShape } from '@torchlet/tensor';
import { DataFormatError } from '../readers/format-error.js';
import { type IdxArray, readIdx, readIdxSync } from '../readers/idx.js';
import { wrapArray } from '../tensor-data.js';
import { type IdxSource, locate, locateSync } from './idx-source.js';
import { ImageClassificationDataset, type ImageDatasetOptions } from './image-classification.js';

/** Options of MNIST-style datasets, as torchvision's. */
export interface IdxDatasetOptions<Y = number> extends ImageDatasetOptions<Y> {
  /** Directory (or URL prefix) holding the IDX files, raw or `.gz`; default: the dataset's own source. */
  root?: string;
  /** The 60k training split (default) or the 10k test split. */
  train?: boolean;
}

/** A split's two IDX files, already read. */
export interface LoadedSplit {
  images: IdxArray;
  labels: IdxArray;
  files: [string, string];
}

/** uint8 → float32 in [0, 1] through a table: exactly `x / 255` as PyTorch's ToTensor computes it. */
const SCALE = Float32Array.from({ length: 256 }, (_, i) => i / 255);

/** Checks a split's files against each other and converts them to `data` and `targets` tensors. */
function splitTensors(name: string, split: LoadedSplit, numClasses: number) {
  const { images, labels, files } = split;
  const fail = (why: string) => new DataFormatError(`${name}: ${why}`);
  if (images.dtype !== 'uint8' || images.shape.length !== 3) {
    throw fail(
      `${files[0]}: expected uint8 images of shape [N,H,W], got ${images.dtype} ${fmtShape(images.shape)}`,
    );
  }
  if (labels.dtype !== 'uint8' || labels.shape.length !== 1) {
    throw fail(
      `${files[1]}: expected uint8 labels of shape [N], got ${labels.dtype} ${fmtShape(labels.shape)}`,
    );
  }
  if (images.shape[0] !== labels.shape[0]) {
    throw fail(`${files[0]} has ${images.shape[0]} images but ${files[1]} has ${labels.shape[0]} labels`);
  }
  const pixels = images.data as Uint8Array;
  const data = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) data[i] = SCALE[pixels[i]!]!;
  const targets = Int32Array.from(labels.data);
  const bad = targets.findIndex((y) => y >= numClasses);
  if (bad >= 0)
    throw fail(`${files[1]}: label ${targets[bad]} at index ${bad} is not a class in 0..${numClasses - 1}`);
  return { data: wrapArray(data, images.shape), targets: wrapArray(targets, [targets.length]) };
}

/** The class of an IDX dataset (MNIST, FashionMNIST): where its files are and its class names. */
interface IdxDatasetClass<T> {
  new (options?: IdxDatasetOptions<never>, files?: LoadedSplit): T;
  readonly source: IdxSource;
}

/**
 * An MNIST-format dataset read from a directory of IDX files (raw or gzipped). Subclasses say where
 * the files are by default ({@link IdxSource}) and name the classes. The constructor reads the files
 * synchronously (Node); `await X.load(options)` reads them asynchronously (Node or browser).
 */
export class IdxImageDataset<Y = number> extends ImageClassificationDataset<Y> {
  static readonly source: IdxSource = {
    name: 'IdxImageDataset',
    defaultRoots: () => [],
    help: 'Pass { root } with the IDX files.',
  };
  static readonly classes: readonly string[] = [];
  readonly train: boolean;
  /** The images and labels files read. */
  readonly files: [string, string];

  constructor(options: IdxDatasetOptions<Y> = {}, files?: LoadedSplit) {
    const ctor = new.target as unknown as { source: IdxSource; classes: readonly string[] };
    const train = options.train ?? true;
    const split = files ?? readSplitSync(ctor.source, options.root, train);
    const { data, targets } = splitTensors(ctor.source.name, split, ctor.classes.length);
    super(data, targets, ctor.classes, options);
    this.train = train;
    this.files = split.files;
  }

  /** Reads the split asynchronously (files under Node, URLs in browsers) and builds the dataset. */
  static async load<T>(this: IdxDatasetClass<T>, options: IdxDatasetOptions<never> = {}): Promise<T> {
    const train = options.train ?? true;
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass load() was called on (MNIST, FashionMNIST)
    const [imagesFile, labelsFile] = await locate(this.source, options.root, train);
    const [images, labels] = await Promise.all([readIdx(imagesFile), readIdx(labelsFile)]);
    // biome-ignore lint/complexity/noThisInStatic: as above
    return new this(options, { images, labels, files: [imagesFile, labelsFile] });
  }
}

function readSplitSync(source: IdxSource, root: string | undefined, train: boolean): LoadedSplit {
  const files = locateSync(source, root, train);
  return { images: readIdxSync(files[0]), labels: readIdxSync(files[1]), files };
}
