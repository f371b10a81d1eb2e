import { onCpuFallback, type Tensor } from '@torchlet/tensor';
import type { DeviceCase } from './case.js';

/** The outcome of one case on one device. */
export interface CaseResult {
  name: string;
  ok: boolean;
  /** Largest |device − cpu| / (1 + |cpu|) over all outputs. */
  maxError: number;
  /** Kernels that ran on the CPU although the case did not allow it. */
  fallbacks: string[];
  error?: string;
}

const list = (out: Tensor | readonly Tensor[]): readonly Tensor[] =>
  Array.isArray(out) ? out : [out as Tensor];

/** Runs `c` on the CPU and on `device` and compares shapes, dtypes and values. */
export function runCase(c: DeviceCase, device: string): CaseResult {
  const fallbacks = new Set<string>();
  try {
    const expected = list(c.run('cpu'));
    const stop = onCpuFallback((kernel) => fallbacks.add(kernel));
    let actual: readonly Tensor[];
    try {
      actual = list(c.run(device));
    } finally {
      stop();
    }
    let maxError = 0;
    for (let k = 0; k < expected.length; k++) {
      const e = expected[k]!;
      const a = actual[k]!;
      if (a.device !== device) throw new Error(`output ${k} is on '${a.device}', expected '${device}'`);
      if (a.dtype !== e.dtype || a.shape.join() !== e.shape.join()) {
        throw new Error(`output ${k}: ${a.dtype}[${a.shape}] where the CPU gives ${e.dtype}[${e.shape}]`);
      }
      const ev = e.dataSync();
      const av = a.dataSync();
      for (let i = 0; i < ev.length; i++) {
        const x = ev[i]!;
        const y = av[i]!;
        if (Number.isNaN(x) && Number.isNaN(y)) continue;
        const err = x === y ? 0 : Math.abs(y - x) / (1 + Math.abs(x));
        if (!(err <= maxError)) maxError = Number.isNaN(err) ? Infinity : err;
      }
    }
    const allowed = new Set(c.fallbacks ?? []);
    const unexpected = [...fallbacks].filter((k) => !allowed.has(k));
    return {
      name: c.name,
      ok: maxError <= (c.tol ?? 1e-5) && unexpected.length === 0,
      maxError,
      fallbacks: unexpected,
    };
  } catch (e) {
    return {
      name: c.name,
      ok: false,
      maxError: Infinity,
      fallbacks: [...fallbacks],
      error: String((e as Error).stack ?? e),
    };
  }
}
