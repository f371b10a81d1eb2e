import { TorchletError } from '../errors.js';

/** A generator's full state, JSON-serializable (for checkpoints). */
export interface GeneratorState {
  readonly mt: number[];
  readonly index: number;
  readonly seed: number;
  /** The second value of the last Box–Muller pair, not yet used (PyTorch keeps it in the generator too). */
  readonly nextNormal?: number | null;
}

const N = 624;
const M = 397;

/**
 * A seeded pseudo-random generator (Mersenne Twister MT19937, as PyTorch's CPU generator), the
 * source of every random op. Pass one as `{ generator }` for an independent stream, or seed the
 * default one with {@link manualSeed}.
 */
export class Generator {
  private mt = new Uint32Array(N);
  private index = N;
  private initial = 0;
  private spareNormal: number | null = null;

  constructor(seed = 5489) {
    this.manualSeed(seed);
  }

  /** Re-seeds the generator; the same seed always gives the same sequence. */
  manualSeed(seed: number): this {
    if (!Number.isFinite(seed))
      throw new TorchletError(`manualSeed: seed must be a finite number, got ${seed}`);
    const s = Math.trunc(seed) >>> 0;
    this.initial = s;
    this.mt[0] = s;
    for (let i = 1; i < N; i++) {
      const prev = this.mt[i - 1]! ^ (this.mt[i - 1]! >>> 30);
      // 1812433253 * prev + i, in 32-bit arithmetic.
      this.mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.index = N;
    this.spareNormal = null;
    return this;
  }

  /** The seed this generator was last seeded with. */
  initialSeed(): number {
    return this.initial;
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < N; i++) {
      const y = (mt[i]! & 0x80000000) | (mt[(i + 1) % N]! & 0x7fffffff);
      let v = mt[(i + M) % N]! ^ (y >>> 1);
      if (y & 1) v ^= 0x9908b0df;
      mt[i] = v >>> 0;
    }
    this.index = 0;
  }

  /** The next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.mt[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** Uniform in [0, 1) with 24 random bits (float32 precision, as PyTorch's float `rand`). */
  nextFloat24(): number {
    return (this.nextUint32() & 0xffffff) / 16777216;
  }

  /**
   * Uniform in [0, 1) with 53 random bits (float64 precision), as PyTorch's double uniform: the low
   * 53 bits of a 64-bit draw whose first 32-bit word is the high half.
   */
  nextFloat53(): number {
    const hi = this.nextUint32() & 0x1fffff;
    const lo = this.nextUint32();
    return (hi * 4294967296 + lo) / 9007199254740992;
  }

  /**
   * A standard normal sample by PyTorch's scalar Box–Muller (`at::normal_distribution<double>`):
   * each pair of uniforms gives two samples, the second kept for the next call.
   */
  nextNormal(): number {
    if (this.spareNormal !== null) {
      const s = this.spareNormal;
      this.spareNormal = null;
      return s;
    }
    const u1 = this.nextFloat53();
    const u2 = this.nextFloat53();
    const r = Math.sqrt(-2 * Math.log1p(-u2));
    const theta = 2 * Math.PI * u1;
    this.spareNormal = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /** A uniform integer in [0, n) without modulo bias. */
  nextBelow(n: number): number {
    if (n <= 0x100000000) {
      const limit = 0x100000000 - (0x100000000 % n);
      for (;;) {
        const r = this.nextUint32();
        if (r < limit) return r % n;
      }
    }
    return Math.floor(this.nextFloat53() * n);
  }

  /** A snapshot of the state; `setState` restores it exactly. */
  getState(): GeneratorState {
    return { mt: Array.from(this.mt), index: this.index, seed: this.initial, nextNormal: this.spareNormal };
  }

  setState(state: GeneratorState): this {
    if (
      !state ||
      !Array.isArray(state.mt) ||
      state.mt.length !== N ||
      !(state.index >= 0 && state.index <= N)
    ) {
      throw new TorchletError(`Generator.setState: expected { mt: ${N} numbers, index in [0, ${N}] }`);
    }
    this.mt = Uint32Array.from(state.mt);
    this.index = state.index;
    this.initial = state.seed;
    this.spareNormal = state.nextNormal ?? null;
    return this;
  }
}

/** The generator random ops use when none is passed. */
export const defaultGenerator = new Generator(5489);

/** Seeds the default generator, like `torch.manual_seed`. Returns it. */
export function manualSeed(seed: number): Generator {
  return defaultGenerator.manualSeed(seed);
}

/** Seed of the default generator. */
export function initialSeed(): number {
  return defaultGenerator.initialSeed();
}

/** The default generator's state (`torch.get_rng_state`). */
export function getRngState(): GeneratorState {
  return defaultGenerator.getState();
}

/** Restores the default generator's state (`torch.set_rng_state`). */
export function setRngState(state: GeneratorState): void {
  defaultGenerator.setState(state);
}
