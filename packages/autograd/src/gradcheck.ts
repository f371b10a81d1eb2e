import { enableGrad, fmtShape, Generator, noGrad, randn, type Tensor, TorchletError } from '@torchlet/tensor';
import { runBackward } from './engine.js';

/** Tolerances and behaviour of {@link gradcheck} and {@link gradgradcheck} (PyTorch's defaults). */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3). */
  rtol?: number;
  /** Throw with a report on mismatch (default true); otherwise return false. */
  raiseException?: boolean;
  /** Seed of the random cotangent the outputs are projected on (default 0). */
  seed?: number;
}

type Fn = (...inputs: Tensor[]) => Tensor | Tensor[];

function asList(y: Tensor | Tensor[]): Tensor[] {
  return Array.isArray(y) ? y : [y];
}

/** Σ ⟨f(x)ᵢ, vᵢ⟩ as a plain number, for finite differences. */
function project(outs: Tensor[], vs: Tensor[]): number {
  let s = 0;
  outs.forEach((o, i) => {
    const a = o.dataSync();
    const b = vs[i]!.dataSync();
    for (let k = 0; k < a.length; k++) s += a[k]! * b[k]!;
  });
  return s;
}

/**
 * Compares the analytical gradient of `fn` at `inputs` with central finite differences, in the
 * direction of a fixed random cotangent: for every element x of every input that requires grad,
 * d⟨f(x), v⟩/dx from backward must match (⟨f(x+ε), v⟩ − ⟨f(x−ε), v⟩) / 2ε. Inputs should be
 * float64. Returns true, or throws a report naming the input, element and both values.
 */
export function gradcheck(fn: Fn, inputs: readonly Tensor[], options: GradcheckOptions = {}): boolean {
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3, raiseException = true, seed = 0 } = options;
  const gen = new Generator(seed);
  inputs.forEach((x, i) => {
    if (!x.requiresGrad) return;
    if (x.dtype !== 'float64') {
      throw new TorchletError(
        `gradcheck: inputs that require grad should be float64 for accurate finite differences, got ${x.dtype} for input ${i}`,
      );
    }
    if (x.device !== 'cpu')
      throw new TorchletError(`gradcheck: input ${i} is on '${x.device}'; move it to the CPU`);
    if (x.shape.some((n, d) => n > 1 && x.strides[d] === 0)) {
      throw new TorchletError(
        `gradcheck: input ${i} (shape ${fmtShape(x.shape)}) is an expanded view whose elements share memory, so they cannot be perturbed one at a time; expand inside fn instead`,
      );
    }
  });
  const outs = enableGrad(() => asList(fn(...inputs)));
  const vs = outs.map((o) => randn(o.shape, { dtype: 'float64', generator: gen }));
  const diff = outs.filter((o) => o.requiresGrad);
  const targets = inputs.filter((x) => x.requiresGrad);
  if (targets.length === 0) throw new TorchletError('gradcheck: no input requires grad');
  const analytic =
    diff.length === 0
      ? targets.map(() => null)
      : runBackward({
          outputs: diff,
          gradOutputs: outs
            .map((o, i) => [o, vs[i]!] as const)
            .filter(([o]) => o.requiresGrad)
            .map(([, v]) => v),
          inputs: targets,
          retainGraph: false,
          createGraph: false,
          allowUnused: true,
        });
  let ok = true;
  const report: string[] = [];
  targets.forEach((x, ti) => {
    const data = x.storage.data as Float64Array;
    const a = analytic[ti]?.dataSync() ?? new Float64Array(x.numel());
    // Walk x's elements through its strides so non-contiguous inputs are perturbed in place.
    const positions = flatPositions(x, x.numel());
    positions.forEach((pos, k) => {
      const orig = data[pos]!;
      const f = (value: number): number => {
        data[pos] = value;
        const r = noGrad(() => project(asList(fn(...inputs)), vs));
        data[pos] = orig;
        return r;
      };
      const numeric = (f(orig + eps) - f(orig - eps)) / (2 * eps);
      const got = a[k]!;
      if (!(Math.abs(got - numeric) <= atol + rtol * Math.abs(numeric))) {
        ok = false;
        if (report.length < 10)
          report.push(
            `input ${ti} ${fmtShape(x.shape)} element ${k}: analytical ${got}, numerical ${numeric}`,
          );
      }
    });
  });
  if (!ok && raiseException)
    throw new TorchletError(`gradcheck: gradients do not match\n${report.join('\n')}`);
  return ok;
}

/** Storage positions of `x`'s elements in row-major order. */
function flatPositions(x: Tensor, n: number): number[] {
  const out: number[] = new Array(n);
  const idx = new Array<number>(x.ndim).fill(0);
  for (let k = 0; k < n; k++) {
    let p = x.offset;
    for (let d = 0; d < x.ndim; d++) p += idx[d]! * x.strides[d]!;
    out[k] = p;
    for (let d = x.ndim - 1; d >= 0; d--) {
      if (++idx[d]! < x.shape[d]!) break;
      idx[d] = 0;
    }
  }
  return out;
}

/**
 * Checks second derivatives: gradcheck of x ↦ ∂⟨f(x), v⟩/∂x (computed with `createGraph`), so
 * every gradient rule used by `fn` must itself be differentiable.
 */
export function gradgradcheck(fn: Fn, inputs: readonly Tensor[], options: GradcheckOptions = {}): boolean {
  const gen = new Generator((options.seed ?? 0) + 1);
  const probe = asList(fn(...inputs));
  const vs = probe.map((o) => randn(o.shape, { dtype: 'float64', generator: gen }));
  const targets = inputs.filter((x) => x.requiresGrad);
  const gradFn = (...xs: Tensor[]): Tensor[] =>
    enableGrad(() => {
      const outs = asList(fn(...xs));
      const grads = runBackward({
        outputs: outs,
        gradOutputs: vs,
        inputs: xs.filter((x) => x.requiresGrad),
        retainGraph: true,
        createGraph: true,
        allowUnused: true,
      });
      return grads.map((g, i) => g ?? targets[i]!.mul(0));
    });
  return gradcheck(gradFn, inputs, options);
}
