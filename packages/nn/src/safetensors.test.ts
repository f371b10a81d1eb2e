import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Tensor, tensor, zeros } from '@torchlet/tensor';
import { describe, expect, it } from 'vitest';
import reference from './fixtures/safetensors.json' with { type: 'json' };
import {
  BatchNorm2d,
  Conv2d,
  Linear,
  load,
  loadFile,
  parseSafetensors,
  ReLU,
  SafetensorsError,
  Sequential,
  save,
  serializeSafetensors,
} from './index.js';

const fromBase64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));
const values = (t: Tensor) => Array.from(t.dataSync());

/** The tensors of the 'native' reference file, built in torchlet. */
function nativeTensors(): Record<string, Tensor> {
  return {
    'linear.weight': tensor([0, 0.25, 0.5, 0.75, 1, 1.25], { shape: [2, 3] }),
    'linear.bias': tensor([-1.5, 2.25]),
    double: tensor([[1e-300, -2.5]], { dtype: 'float64' }),
    labels: tensor([1, -2, 3], { dtype: 'int32' }),
    mask: tensor([true, false, true]),
    scalar: tensor(7),
    empty: zeros([0, 3]),
  };
}

/** A header-length prefix and JSON header with the given entries and no data. */
function fileWith(header: object, data = new Uint8Array(0)): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('safetensors format', () => {
  it('writes the same bytes as the reference implementation', () => {
    const ours = serializeSafetensors(nativeTensors(), { format: 'pt', epoch: '3' });
    expect(Buffer.from(ours).toString('base64')).toBe(reference.files.native);
  });

  it('reads files written by the reference implementation, metadata included', () => {
    const { tensors, metadata } = parseSafetensors(fromBase64(reference.files.native));
    expect(metadata).toEqual(reference.metadata);
    for (const [name, want] of Object.entries(reference.expected)) {
      const t = tensors[name] ?? parseSafetensors(fromBase64(reference.files.converted)).tensors[name]!;
      expect(t.shape, name).toEqual(want.shape);
      expect(values(t), name).toEqual(want.data.map((v) => (name === 'mask' ? Number(v) : v)));
    }
    const converted = parseSafetensors(fromBase64(reference.files.converted)).tensors;
    expect(converted.half!.dtype).toBe('float32');
    expect(converted.long!.dtype).toBe('int32');
    expect(tensorsOf(reference.files.native).mask!.dtype).toBe('bool');
  });

  it('round-trips every dtype through an ArrayBuffer (the browser path)', () => {
    const src = nativeTensors();
    const bytes = serializeSafetensors(src);
    const copy = bytes.slice().buffer;
    const { tensors, metadata } = parseSafetensors(copy);
    expect(metadata).toEqual({});
    for (const [k, t] of Object.entries(src)) {
      expect(tensors[k]!.dtype).toBe(t.dtype);
      expect(values(tensors[k]!)).toEqual(values(t));
    }
  });

  it('writes non-contiguous tensors in logical order', () => {
    const t = tensor([
      [1, 2],
      [3, 4],
    ]).T;
    expect(values(parseSafetensors(serializeSafetensors({ t })).tensors.t!)).toEqual([1, 3, 2, 4]);
  });

  it.each([
    ['a file shorter than 8 bytes', new Uint8Array(3), /too short/],
    ['a header longer than the file', fileWith({}).slice(0, 9), /truncated file: header says 2 bytes/],
    [
      'a header that is not JSON',
      (() => {
        const f = fileWith({ a: 1 });
        f[9] = 0x21;
        return f;
      })(),
      /not valid JSON/,
    ],
    [
      'an unknown dtype',
      fileWith({ x: { dtype: 'Q7', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1)),
      /unknown dtype 'Q7'/,
    ],
    [
      'a size mismatch',
      fileWith({ x: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, new Uint8Array(4)),
      /needs 8 bytes/,
    ],
    [
      'overlapping offsets',
      fileWith(
        {
          a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
          b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] },
        },
        new Uint8Array(8),
      ),
      /'a' and 'b' overlap/,
    ],
    [
      'a gap between tensors',
      fileWith({ a: { dtype: 'U8', shape: [1], data_offsets: [1, 2] } }, new Uint8Array(2)),
      /gap before tensor 'a'/,
    ],
    [
      'truncated data',
      fileWith({ a: { dtype: 'F64', shape: [2], data_offsets: [0, 16] } }, new Uint8Array(10)),
      /truncated file: tensors need 16/,
    ],
    [
      'trailing bytes',
      fileWith({ a: { dtype: 'U8', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(3)),
      /2 unexpected bytes/,
    ],
    [
      'an int64 that does not fit int32',
      fileWith({ a: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, new Uint8Array(8).fill(0x7f)),
      /does not fit in int32/,
    ],
    ['non-string metadata', fileWith({ __metadata__: { epoch: 3 } }), /must be a string/],
  ])('refuses %s with the reason', (_what, bytes, reason) => {
    expect(() => parseSafetensors(bytes)).toThrow(SafetensorsError);
    expect(() => parseSafetensors(bytes)).toThrow(reason);
  });
});

function tensorsOf(b64: string) {
  return parseSafetensors(fromBase64(b64)).tensors;
}

describe('save / load', () => {
  const model = () => new Sequential(new Conv2d(1, 2, 3), new BatchNorm2d(2), new ReLU(), new Linear(4, 3));

  it('saves a state dict and loads it into a fresh model', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'torchlet-nn-'));
    const path = join(dir, 'model.safetensors');
    const a = model();
    await save(a.stateDict(), path, { metadata: { epoch: '1' } });
    const b = model();
    b.loadStateDict(await load(path));
    for (const [k, t] of Object.entries(a.stateDict()))
      expect(values(b.stateDict()[k]!), k).toEqual(values(t));
    expect((await loadFile(path)).metadata).toEqual({ epoch: '1' });
    expect(readdirSync(dir)).toEqual(['model.safetensors']);
  });

  it('leaves the previous file intact when a save fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'torchlet-nn-'));
    const path = join(dir, 'model.safetensors');
    await save({ w: tensor([1, 2]) }, path);
    const good = readFileSync(path);
    await expect(
      save({ w: tensor([3]) }, path, { metadata: { bad: 3 as unknown as string } }),
    ).rejects.toThrow(/metadata value for 'bad' must be a string/);
    await expect(save({ w: tensor([3]) }, join(dir, 'missing-dir', 'x.safetensors'))).rejects.toThrow();
    expect(readFileSync(path).equals(good)).toBe(true);
    expect(readdirSync(dir)).toEqual(['model.safetensors']);
  });

  it('names the file in load errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'torchlet-nn-'));
    const path = join(dir, 'broken.safetensors');
    writeFileSync(path, new Uint8Array(4));
    await expect(load(path)).rejects.toThrow(/too short.*broken\.safetensors/);
  });
});
