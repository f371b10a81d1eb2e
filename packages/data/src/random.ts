import { defaultGenerator, type Generator, randperm } from '@torchlet/tensor';

/** The generator to draw from: the one given, else the default (seeded by `manualSeed`). */
export function generatorOr(g: Generator | undefined): Generator {
  return g ?? defaultGenerator;
}

/** A uniform float in [low, high). */
export function uniformIn(g: Generator, low: number, high: number): number {
  return low + (high - low) * g.nextFloat53();
}

/** A standard normal sample (Box–Muller; one of the pair is dropped to keep draws stateless). */
export function standardNormal(g: Generator): number {
  const u1 = 1 - g.nextFloat53();
  const u2 = g.nextFloat53();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** A random permutation of 0..n-1: tensor's `randperm` (Fisher–Yates), as a plain array. */
export function permutation(n: number, g: Generator): Int32Array {
  return randperm(n, { generator: g, dtype: 'int32', device: 'cpu' }).dataSync() as Int32Array;
}

/** A fresh 32-bit seed drawn from `g`, to seed a derived generator (one per epoch or per worker). */
export function drawSeed(g: Generator): number {
  return g.nextUint32();
}
