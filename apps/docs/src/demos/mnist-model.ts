import {
  buildModel,
  EXPORT_FORMAT,
  type MnistExportInfo,
  MODEL_NAMES,
  type ModelName,
} from '@torchlet/mnist/models';
import { nn, noGrad, softmax, tensor } from 'torchlet';

export type { MnistExportInfo };

/** A trainer export ready to predict: the architecture with its weights, in eval mode. */
export interface MnistClassifier {
  model: nn.Sequential;
  info: MnistExportInfo;
}

/** Raised for bytes that are not a torchlet MNIST export; the message says what is wrong. */
export class ModelFormatError extends Error {
  override name = 'ModelFormatError';
}

/** Reads and checks the `torchlet.model` metadata. */
function exportInfo(metadata: Record<string, string>): MnistExportInfo {
  const raw = metadata['torchlet.model'];
  if (raw === undefined) {
    throw new ModelFormatError(
      'not a torchlet MNIST export: the safetensors metadata has no torchlet.model entry (export one with the mnist trainer)',
    );
  }
  const info = JSON.parse(raw) as Partial<MnistExportInfo>;
  if (info.format !== EXPORT_FORMAT) {
    throw new ModelFormatError(
      `unsupported export format ${JSON.stringify(info.format)}, expected "${EXPORT_FORMAT}"`,
    );
  }
  if (!MODEL_NAMES.includes(info.model as ModelName)) {
    throw new ModelFormatError(
      `unknown model ${JSON.stringify(info.model)}, expected one of ${MODEL_NAMES.join(', ')}`,
    );
  }
  return info as MnistExportInfo;
}

/**
 * Loads a `model.safetensors` exported by the MNIST trainer (bytes from `fetch`, a file input or
 * `readFile`): builds the architecture its metadata names and loads the weights strictly.
 *
 * @example
 * const clf = loadMnistExport(await (await fetch('model.safetensors')).arrayBuffer());
 */
export function loadMnistExport(bytes: ArrayBuffer | ArrayBufferView): MnistClassifier {
  const { tensors, metadata } = nn.parseSafetensors(bytes);
  const info = exportInfo(metadata);
  const model = buildModel(info.model);
  model.loadStateDict(tensors);
  model.eval();
  return { model, info };
}

/**
 * Class probabilities (softmax of the logits) for one 28×28 image of grey levels in [0, 1],
 * normalized as the export says its model was trained.
 */
export function predictDigit(clf: MnistClassifier, pixels: Float32Array): Float32Array {
  if (pixels.length !== 784) throw new RangeError(`predictDigit: expected 784 pixels, got ${pixels.length}`);
  const norm = clf.info.input.normalize;
  const input = norm ? pixels.map((v) => (v - norm.mean) / norm.std) : pixels;
  return noGrad(() => {
    const logits = clf.model.call(tensor(input, { shape: [1, 1, 28, 28] }));
    return softmax(logits, -1).dataSync() as Float32Array;
  });
}
