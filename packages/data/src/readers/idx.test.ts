import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataFormatError, encodeIdx, type IdxArray, parseIdx, readIdx, readIdxSync } from '../index.js';
import { tempDir, writeFile } from '../test-utils/temp-dir.js';

const images: IdxArray = {
  dtype: 'uint8',
  shape: [2, 2, 3],
  data: Uint8Array.from({ length: 12 }, (_, i) => i * 20),
};
const good = encodeIdx(images);
const dir = tempDir();

describe('IDX reader', () => {
  it('parses every dtype, big-endian', () => {
    const cases: IdxArray[] = [
      images,
      { dtype: 'int8', shape: [3], data: Int8Array.of(-1, 0, 1) },
      { dtype: 'int16', shape: [2], data: Int16Array.of(-300, 300) },
      { dtype: 'int32', shape: [2, 1], data: Int32Array.of(-70000, 70000) },
      { dtype: 'float32', shape: [2], data: Float32Array.of(1.5, -2.25) },
      { dtype: 'float64', shape: [1], data: Float64Array.of(Math.PI) },
    ];
    for (const c of cases) {
      const back = parseIdx(encodeIdx(c));
      expect(back.dtype).toBe(c.dtype);
      expect(back.shape).toEqual(c.shape);
      expect(Array.from(back.data)).toEqual(Array.from(c.data));
    }
    expect(Array.from(good.subarray(0, 8))).toEqual([0, 0, 8, 3, 0, 0, 0, 2]);
  });

  it('reads raw and gzipped files', async () => {
    const raw = writeFile(dir, 'a-idx3-ubyte', good);
    const gz = writeFile(dir, 'a-idx3-ubyte.gz', good);
    expect(readIdxSync(raw).shape).toEqual([2, 2, 3]);
    expect(Array.from(readIdxSync(gz).data)).toEqual(Array.from(images.data));
    expect((await readIdx(gz)).shape).toEqual([2, 2, 3]);
  });

  it('refuses corrupt files, naming the file and the mismatch', () => {
    const bad = (bytes: Uint8Array, message: string) => {
      const path = writeFile(dir, 'bad', bytes);
      expect(() => readIdxSync(path)).toThrow(DataFormatError);
      expect(() => readIdxSync(path)).toThrow(`readIdx: ${path}: ${message}`);
    };
    bad(good.subarray(0, good.length - 1), 'truncated: shape [2,2,3] of uint8 needs 12 data bytes, found 11');
    bad(Uint8Array.of(...good, 7, 7), '2 unexpected bytes after the data of shape [2,2,3] of uint8');
    bad(
      Uint8Array.of(1, 0, 8, 1, 0, 0, 0, 0),
      'bad magic number 0x01000801: an IDX file starts with two zero bytes',
    );
    bad(Uint8Array.of(0, 0, 7, 1, 0, 0, 0, 0), 'unknown dtype byte 0x07');
    bad(good.subarray(0, 10), 'truncated header: 3 dimensions need 16 header bytes, the file has 10');
    bad(Uint8Array.of(0, 0), '2 bytes is too short');
    bad(Uint8Array.of(0, 0, 8, 0), 'declares 0 dimensions');
    const gzPath = writeFile(dir, 'b.gz', good);
    bad(readFileSync(gzPath).subarray(0, 20), 'corrupt gzip data');
  });
});
