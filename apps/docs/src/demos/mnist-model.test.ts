import {
  buildModel,
  exportInfo,
  type MnistExportInfo,
  type ModelName,
  serializeExport,
} from '@torchlet/mnist/models';
import { manualSeed, nn, noGrad, softmax, tensor } from 'torchlet';
import { describe, expect, it } from 'vitest';
import { loadMnistExport, ModelFormatError, predictDigit } from './mnist-model.js';

/** An export as the trainer writes it, with `info` overriding the metadata. */
function exportOf(name: ModelName, info: Record<string, unknown> = {}) {
  manualSeed(3);
  const model = buildModel(name);
  const meta = { ...exportInfo(model, name, 0.97), ...info } as MnistExportInfo;
  return { model, bytes: serializeExport(model, meta) };
}

const pixels = Float32Array.from({ length: 784 }, (_, i) => ((i * 37) % 101) / 100);

describe('loadMnistExport / predictDigit', () => {
  it('rebuilds the architecture the metadata names and predicts as the trained model', () => {
    for (const name of ['mlp', 'lenet5', 'scratch'] as const) {
      const { model, bytes } = exportOf(name);
      const clf = loadMnistExport(bytes);
      expect(clf.info.model).toBe(name);
      const norm = clf.info.input.normalize;
      const input = norm ? pixels.map((v) => (v - norm.mean) / norm.std) : pixels;
      const want = noGrad(() => softmax(model.call(tensor(input, { shape: [1, 1, 28, 28] })), -1).dataSync());
      const got = predictDigit(clf, pixels);
      expect(Array.from(got)).toEqual(Array.from(want));
      expect(got.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 5);
    }
  });

  it('loads an ArrayBuffer (as from fetch) and a view into a larger buffer alike', () => {
    const { bytes } = exportOf('mlp');
    const padded = new Uint8Array(bytes.length + 16);
    padded.set(bytes, 16);
    const a = predictDigit(loadMnistExport(bytes.slice().buffer), pixels);
    const b = predictDigit(loadMnistExport(padded.subarray(16)), pixels);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('refuses files that are not MNIST exports, saying why', () => {
    const plain = nn.serializeSafetensors(buildModel('mlp').stateDict());
    expect(() => loadMnistExport(plain)).toThrow(ModelFormatError);
    expect(() => loadMnistExport(plain)).toThrow(/no torchlet.model entry/);
    expect(() => loadMnistExport(exportOf('mlp', { format: 'other/2' }).bytes)).toThrow(
      'unsupported export format "other/2", expected "torchlet-mnist/1"',
    );
    expect(() => loadMnistExport(exportOf('mlp', { model: 'resnet' }).bytes)).toThrow(
      'unknown model "resnet", expected one of mlp, cnn, lenet5, scratch',
    );
    // Weights of one architecture under another's name: loadStateDict names the mismatch.
    expect(() => loadMnistExport(exportOf('mlp', { model: 'lenet5' }).bytes)).toThrow(/Missing key\(s\)/);
    expect(() => predictDigit(loadMnistExport(exportOf('mlp').bytes), new Float32Array(10))).toThrow(
      'predictDigit: expected 784 pixels, got 10',
    );
  });
});
