import { Generator, type Tensor } from '@torchlet/tensor';
import { describe, expect, it } from 'vitest';
import {
  DataLoader,
  ImageClassificationDataset,
  makeBlobs,
  makeCircles,
  makeMoons,
  makeSine,
  makeSpirals,
  makeTeacherStudent,
  makeXor,
  PermutedMNIST,
  SplitMNIST,
  wrapArray,
} from '../index.js';

const counts = (y: Tensor) => {
  const c: Record<number, number> = {};
  for (const v of y.dataSync()) c[v] = (c[v] ?? 0) + 1;
  return c;
};

describe('synthetic datasets', () => {
  it('XOR defaults to the truth table', () => {
    const d = makeXor();
    expect(d.x.toArray()).toEqual([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
    expect(d.y.toArray()).toEqual([0, 1, 1, 0]);
    expect(makeXor({ nSamples: 40, noise: 0.1, generator: new Generator(0) }).length).toBe(40);
  });

  it('moons, circles, spirals and blobs have the requested sizes and balanced classes', () => {
    const gen = new Generator(0);
    const moons = makeMoons({ nSamples: 101, noise: 0.1, generator: gen });
    expect(moons.x.shape).toEqual([101, 2]);
    expect(counts(moons.y)).toEqual({ 0: 50, 1: 51 });
    const circles = makeCircles({ nSamples: 100, factor: 0.5, shuffle: false, generator: gen });
    const r = (i: number) => Math.hypot(...(circles.x.toArray() as number[][])[i]!);
    expect(r(0)).toBeCloseTo(1, 5);
    expect(r(99)).toBeCloseTo(0.5, 5);
    const spirals = makeSpirals({ nSamples: 300, classes: 3, generator: gen });
    expect(counts(spirals.y)).toEqual({ 0: 100, 1: 100, 2: 100 });
    const blobs = makeBlobs({
      nSamples: 90,
      centers: [
        [0, 0],
        [100, 100],
      ],
      clusterStd: 0.5,
      generator: gen,
    });
    const xs = blobs.x.toArray() as number[][];
    const ys = blobs.y.toArray() as number[];
    xs.forEach((p, i) => {
      expect(Math.abs(p[0]! - (ys[i] === 1 ? 100 : 0))).toBeLessThan(4);
    });
  });

  it('sine regression and the teacher-student task give float targets', () => {
    const sine = makeSine({ nSamples: 50, noise: 0, generator: new Generator(0) });
    const [x, y] = [sine.x.dataSync(), sine.y.dataSync()];
    x.forEach((v, i) => {
      expect(y[i]).toBeCloseTo(Math.sin(v), 5);
    });
    const ts = makeTeacherStudent({
      nSamples: 8,
      inFeatures: 3,
      hidden: 4,
      outFeatures: 2,
      generator: new Generator(0),
    });
    expect(ts.x.shape).toEqual([8, 3]);
    expect(ts.y.shape).toEqual([8, 2]);
    expect(ts.teacher.w1.shape).toEqual([4, 3]);
    const [xb, yb] = [...new DataLoader(ts, { batchSize: 8 })][0]!;
    expect(xb!.shape).toEqual([8, 3]);
    expect(yb!.dtype).toBe('float32');
  });
});

describe('continual-learning task streams', () => {
  // Six 2x2 "images" with pixel values 4i..4i+3 and labels 0,1,2,3,0,1.
  const base = new ImageClassificationDataset(
    wrapArray(
      Float32Array.from({ length: 24 }, (_, i) => i),
      [6, 2, 2],
    ),
    wrapArray(Int32Array.of(0, 1, 2, 3, 0, 1), [6]),
    ['a', 'b', 'c', 'd'],
  );

  it('PermutedMNIST permutes pixels with one fixed permutation per task', () => {
    const stream = new PermutedMNIST(base, { numTasks: 3, generator: new Generator(0), firstIdentity: true });
    expect(stream.numTasks).toBe(3);
    expect(Array.from(stream.tasks[0]!.get(1)[0].dataSync())).toEqual([4, 5, 6, 7]);
    const perm = stream.tasks[1]!.permutation;
    const [img, label] = stream.tasks[1]!.get(1);
    expect(Array.from(img.dataSync())).toEqual(Array.from(perm, (p) => 4 + p));
    expect(label).toBe(1);
    const [xb, yb] = stream.tasks[1]!.getBatch!([1, 2]);
    expect(Array.from(xb.dataSync().subarray(0, 4))).toEqual(Array.from(img.dataSync()));
    expect(yb.toArray()).toEqual([1, 2]);
  });

  it('SplitMNIST groups classes into tasks', () => {
    const split = new SplitMNIST(base);
    expect(split.taskClasses).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(split.tasks[0]!.indices).toEqual([0, 1, 4, 5]);
    expect(split.tasks[1]!.getBatch!([0, 1])[1].toArray()).toEqual([2, 3]);
  });
});
