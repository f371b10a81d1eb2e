import { type Module, serializeSafetensors } from '@torchlet/nn';
import type { ModelName } from './models.js';

/** MNIST's training-set pixel mean, used to standardize inputs. */
export const MNIST_MEAN = 0.1307;
/** MNIST's training-set pixel standard deviation. */
export const MNIST_STD = 0.3081;

/** The format tag of the trainer's model export. */
export const EXPORT_FORMAT = 'torchlet-mnist/1';

/**
 * What the export's `torchlet.model` safetensors metadata (and `model.json`) says about the model:
 * its architecture name for `buildModel`, and how to prepare a [1, 28, 28] image in [0, 1].
 */
export interface MnistExportInfo {
  format: typeof EXPORT_FORMAT;
  model: ModelName;
  input: {
    shape: [1, 28, 28];
    range: [0, 1];
    /** Standardization the model was trained with (none for the tutorial's scratch network). */
    normalize: { mean: number; std: number } | null;
  };
  testAccuracy: number | null;
  /** The model's `toString()`, for people reading model.json. */
  architecture: string;
}

/** The export metadata of `model`, an instance of architecture `name`. */
export function exportInfo(model: Module, name: ModelName, testAccuracy: number | null): MnistExportInfo {
  return {
    format: EXPORT_FORMAT,
    model: name,
    input: {
      shape: [1, 28, 28],
      range: [0, 1],
      normalize: name === 'scratch' ? null : { mean: MNIST_MEAN, std: MNIST_STD },
    },
    testAccuracy,
    architecture: model.toString(),
  };
}

/** `model.safetensors` of an export: the weights, with `info` as the `torchlet.model` metadata. */
export function serializeExport(model: Module, info: MnistExportInfo): Uint8Array {
  return serializeSafetensors(model.stateDict(), { 'torchlet.model': JSON.stringify(info) });
}
