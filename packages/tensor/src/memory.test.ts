import { describe, expect, it } from 'vitest';
import { type Backend, onCpuFallback, registerBackend, Storage } from './backend.js';
import type { DType, TypedArray } from './dtype.js';
import { keep, memory, tidy } from './index.js';
import { arange, tensor } from './ops/creation.js';

/** A device with no kernels of its own and memory that needs release, like a gpu.js device. */
const holder = (storage: Storage) => storage.data as { values: TypedArray | null };
const fake: Backend = {
  name: 'fake',
  tracksMemory: true,
  upload: (values: TypedArray, dtype: DType) =>
    new Storage(fake, dtype, values.length, { values: values.slice() }),
  alloc: (dtype: DType, size: number) => new Storage(fake, dtype, size, { values: new Float64Array(size) }),
  download(storage) {
    const values = holder(storage).values;
    if (!values) throw new Error('fake: released');
    return values;
  },
  release(storage) {
    holder(storage).values = null;
  },
  overwrite(storage, values) {
    holder(storage).values = values.slice();
  },
};
registerBackend(fake);

const live = () => memory().byDevice.fake?.storages ?? 0;

describe('device memory: tidy, keep, dispose, memory()', () => {
  it('counts device storages and not CPU ones', () => {
    const before = live();
    const x = tensor([1, 2, 3]).to('fake');
    tensor([4, 5]);
    expect(live()).toBe(before + 1);
    expect(memory().byDevice.fake?.elements).toBeGreaterThanOrEqual(3);
    x.dispose();
    x.dispose();
    expect(live()).toBe(before);
  });

  it('releases what a scope created but returns and keeps survive', () => {
    const x = tensor([1, 2, 3]).to('fake');
    const before = live();
    let kept = x;
    const out = tidy(() => {
      kept = keep(x.mul(10));
      const y = x.add(1).mul(2);
      return { y, list: [y.sub(1)] };
    });
    expect(live()).toBe(before + 3);
    expect(out.y.toArray()).toEqual([4, 6, 8]);
    expect(out.list[0]!.toArray()).toEqual([3, 5, 7]);
    expect(kept.toArray()).toEqual([10, 20, 30]);
  });

  it('nests: a result moves to the enclosing scope and is released with it', () => {
    const x = tensor([1, 2]).to('fake');
    const before = live();
    let inner = x;
    tidy(() => {
      inner = tidy(() => x.add(1));
      expect(live()).toBe(before + 1);
    });
    expect(live()).toBe(before);
    expect(() => inner.toArray()).toThrow(/released/);
  });

  it('refuses asynchronous functions', () => {
    expect(() => tidy(async () => 1)).toThrow(/Promise/);
  });

  it('runs ops without a device kernel on the CPU, explicitly and in place through views', () => {
    const seen: string[] = [];
    const stop = onCpuFallback((kernel, device) => seen.push(`${device}:${kernel}`));
    const x = arange(6).reshape([2, 3]).to('fake');
    const y = x.T.add(1);
    expect(y.device).toBe('fake');
    expect(y.toArray()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    const version = x.version;
    x.index(':, 1').add_(100);
    expect(x.toArray()).toEqual([
      [0, 101, 2],
      [3, 104, 5],
    ]);
    expect(x.version).toBe(version + 1);
    stop();
    expect(seen).toContain('fake:add');
    expect(seen).toContain('fake:identity');
  });
});
