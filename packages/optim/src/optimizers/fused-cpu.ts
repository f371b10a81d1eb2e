import type { Tensor } from '@torchlet/tensor';
import type { SGDOptions } from './sgd.js';

/**
 * Fused CPU loops for the optimizers a training loop calls most (SGD, Adam, AdamW). The composed
 * tensor-op updates allocate a temporary per op (about a dozen per parameter for Adam); these do
 * one pass with no allocation. They are an optimization of the composed path, which stays the
 * reference: both are tested against the same PyTorch trajectories. Any tensor that is not a
 * dense float array on the CPU (a device tensor, a strided or broadcast gradient) takes the
 * composed path.
 */
export const fusedKernels = {
  /** Turn off to force the composed path (tests compare the two). */
  enabled: true,
};

type FloatArray = Float32Array | Float64Array;

/** Whether every tensor is a dense CPU array of the first one's float dtype and size. */
export function canFuse(tensors: readonly (Tensor | null)[]): boolean {
  if (!fusedKernels.enabled) return false;
  const first = tensors[0]!;
  if (first.dtype !== 'float32' && first.dtype !== 'float64') return false;
  const n = first.numel();
  for (const t of tensors) {
    if (t === null) continue;
    if (t.device !== 'cpu' || t.dtype !== first.dtype || t.numel() !== n || !t.isContiguous()) return false;
  }
  return true;
}

/** The elements of a dense CPU tensor, as a view (not a copy). */
function view(t: Tensor): FloatArray {
  return (t.storage.data as FloatArray).subarray(t.offset, t.offset + t.numel());
}

/** Marks tensors written in place, as in-place ops do, so autograd can detect stale saved values. */
function bump(...tensors: (Tensor | null)[]): void {
  for (const t of tensors) if (t) t.storage.version++;
}

/** What {@link sgdCpu} reads: SGD's options plus the momentum form and whether this is the first step. */
export interface FusedSGD
  extends Pick<SGDOptions, 'lr' | 'momentum' | 'dampening' | 'weightDecay' | 'nesterov' | 'maximize'> {
  ema: boolean;
  /** First step: the PyTorch form starts the buffer at the gradient. */
  first: boolean;
}

/** SGD (with momentum) in one pass; `buf` is null without momentum. */
export function sgdCpu(param: Tensor, grad: Tensor, buf: Tensor | null, o: FusedSGD): void {
  const P = view(param);
  const G = view(grad);
  const B = buf ? view(buf) : null;
  const sign = o.maximize ? -1 : 1;
  // Locals rather than property reads in the loop: V8 does not always hoist them.
  const { lr, weightDecay, nesterov } = o;
  const m = o.momentum;
  const keep = o.ema ? 1 - m : 1 - o.dampening;
  const startAtGrad = o.first && !o.ema;
  const n = P.length;
  if (B === null) {
    for (let i = 0; i < n; i++) P[i] = P[i]! - lr * (sign * G[i]! + weightDecay * P[i]!);
  } else {
    for (let i = 0; i < n; i++) {
      const d = sign * G[i]! + weightDecay * P[i]!;
      const b = startAtGrad ? d : m * B[i]! + keep * d;
      B[i] = b;
      P[i] = P[i]! - lr * (nesterov ? d + m * B[i]! : B[i]!);
    }
  }
  bump(param, buf);
}

/**
 * Hyperparameters of one {@link adamCpu} step; `step` is the 1-based step count used for bias correction,
 * `decoupled` selects AdamW decay.
 */
export interface FusedAdam {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  decoupled: boolean;
  maximize: boolean;
  step: number;
}

/** Adam / AdamW (optionally AMSGrad, when `maxSq` is given) in one pass. */
export function adamCpu(
  param: Tensor,
  grad: Tensor,
  avg: Tensor,
  sq: Tensor,
  maxSq: Tensor | null,
  o: FusedAdam,
): void {
  const [P, G, M, V] = [view(param), view(grad), view(avg), view(sq)];
  const VM = maxSq ? view(maxSq) : null;
  const sign = o.maximize ? -1 : 1;
  const decay = o.decoupled ? 1 - o.lr * o.weightDecay : 1;
  const l2 = o.decoupled ? 0 : o.weightDecay;
  const { beta1: b1, beta2: b2, eps } = o;
  const n = P.length;
  const stepSize = o.lr / (1 - b1 ** o.step);
  const bc2Sqrt = Math.sqrt(1 - b2 ** o.step);
  for (let i = 0; i < n; i++) {
    const p = P[i]! * decay;
    const g = sign * G[i]! + l2 * p;
    const m = b1 * M[i]! + (1 - b1) * g;
    M[i] = m;
    V[i] = b2 * V[i]! + (1 - b2) * g * g;
    let v = V[i]!;
    if (VM) {
      v = Math.max(VM[i]!, v);
      VM[i] = v;
    }
    P[i] = p - (stepSize * M[i]!) / (Math.sqrt(v) / bc2Sqrt + eps);
  }
  bump(param, avg, sq, maxSq);
}
