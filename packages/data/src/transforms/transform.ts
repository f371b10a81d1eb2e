import type { Tensor } from '@torchlet/tensor';

/** A transform written as a class: `forward` maps one sample; `forwardBatch`, if present, a whole batch. */
export interface TransformModule<I = Tensor, O = Tensor> {
  forward(x: I): O;
  /**
   * The same transform on a batch `[B, ...sample dims]` at once. Only deterministic transforms
   * (Normalize) have it; datasets with a batch fast path use it instead of per-sample calls.
   */
  forwardBatch?(batch: Tensor): Tensor;
}

/** A function or a {@link TransformModule}; datasets accept either as `transform`. */
export type Transform<I = Tensor, O = Tensor> = ((x: I) => O) | TransformModule<I, O>;

/** Applies a transform of either form to one sample. */
export function applyTransform<I, O>(t: Transform<I, O>, x: I): O {
  return typeof t === 'function' ? t(x) : t.forward(x);
}

/** The batch form of `t`, or null when it has none (random or arbitrary transforms). */
export function batchTransformOf(t: Transform<Tensor, Tensor>): ((batch: Tensor) => Tensor) | null {
  if (typeof t === 'function' || !t.forwardBatch) return null;
  return t.forwardBatch.bind(t);
}

/**
 * Chains transforms, as `torchvision.transforms.Compose`.
 *
 * @example new Compose([new RandomCrop(28, { padding: 2 }), new Normalize([0.1307], [0.3081])])
 */
// biome-ignore lint/suspicious/noExplicitAny: a chain's intermediate types vary from step to step
export class Compose<I = any, O = any> implements TransformModule<I, O> {
  /** Present when every step has a batch form. */
  readonly forwardBatch?: (batch: Tensor) => Tensor;

  // biome-ignore lint/suspicious/noExplicitAny: see above
  constructor(readonly transforms: readonly Transform<any, any>[]) {
    const batched = transforms.map((t) => batchTransformOf(t));
    if (batched.every((f) => f !== null)) {
      this.forwardBatch = (batch) => batched.reduce((x, f) => f!(x), batch);
    }
  }

  forward(x: I): O {
    return this.transforms.reduce((v, t) => applyTransform(t, v), x as unknown) as O;
  }
}

/** Wraps a function as a transform (`torchvision.transforms.Lambda`). */
export class Lambda<I = Tensor, O = Tensor> implements TransformModule<I, O> {
  constructor(readonly fn: (x: I) => O) {}
  forward(x: I): O {
    return this.fn(x);
  }
}
