import { isGradEnabled, noGrad, Tensor, TorchletError } from '@torchlet/tensor';
import { modifiedInPlace, recordNode } from './engine.js';
import { type GradRule, getGradient, registerGradient } from './registry.js';

/**
 * What `forward` and `backward` of a custom function share, as PyTorch's `ctx`. Extra state (dims,
 * flags) may be stored as properties: `ctx.dim = 1`.
 */
export class FunctionCtx {
  [key: string]: unknown;
  /** One flag per forward argument: whether backward must return a gradient for it. */
  readonly needsInputGrad: readonly boolean[];
  private saved: readonly (Tensor | null)[] = [];
  private savedVersions: number[] = [];
  /** @internal Outputs excluded from autograd by {@link FunctionCtx.markNonDifferentiable}. */
  readonly nonDifferentiable = new Set<Tensor>();

  /** @internal */
  constructor(
    /** The `name` of the function definition, for error messages. */
    readonly functionName: string,
    needsInputGrad: readonly boolean[],
  ) {
    this.needsInputGrad = needsInputGrad;
  }

  /** Keeps tensors (inputs, outputs or intermediates) for backward; call once, in forward. */
  saveForBackward(...tensors: (Tensor | null | undefined)[]): void {
    this.saved = tensors.map((t) => t ?? null);
    this.savedVersions = this.saved.map((t) => t?.version ?? 0);
  }

  /** The tensors given to `saveForBackward`; throws if one was modified in place since. */
  get savedTensors(): readonly (Tensor | null)[] {
    this.saved.forEach((t, i) => {
      if (t && t.version !== this.savedVersions[i]) {
        throw modifiedInPlace(this.functionName, t.shape, this.savedVersions[i]!, t.version);
      }
    });
    return this.saved;
  }

  /** Declares outputs (e.g. indices, masks) that have no gradient: they will not require grad. */
  markNonDifferentiable(...outputs: Tensor[]): void {
    for (const o of outputs) this.nonDifferentiable.add(o);
  }
}

/** A gradient, or null/undefined for "none" (zeros, or an argument that is not a tensor). */
export type MaybeGrad = Tensor | null | undefined;

/** The definition of a differentiable function with a hand-written backward. */
export interface FunctionDefinition<A extends unknown[], O extends Tensor | Tensor[]> {
  /** Shown in errors and recorded as op `custom:<name>`. */
  name: string;
  /**
   * Computes the outputs (a tensor or an array of tensors). Runs with grad mode off; arguments are
   * passed unchanged and may include non-tensors.
   */
  forward(ctx: FunctionCtx, ...args: A): O;
  /**
   * Given one gradient per output, returns one gradient per forward argument (an array, or a
   * single tensor when forward takes one argument); null for arguments without a gradient.
   * Written with tensor ops, it is differentiated again under `createGraph`, but only through the
   * tensors it reads: intermediates saved in forward are constants to the second derivative.
   */
  backward(ctx: FunctionCtx, ...grads: Tensor[]): MaybeGrad | readonly MaybeGrad[];
}

interface CustomAttrs {
  definition: FunctionDefinition<unknown[], Tensor | Tensor[]>;
  ctx: FunctionCtx;
  /** Positions of the tensor arguments among all forward arguments. */
  tensorArgs: number[];
}

const customRule: GradRule = (grads, { attrs }) => {
  const { definition, ctx, tensorArgs } = attrs as unknown as CustomAttrs;
  const returned = definition.backward(ctx, ...grads);
  const nargs = ctx.needsInputGrad.length;
  const list: readonly MaybeGrad[] = Array.isArray(returned) ? returned : [returned as MaybeGrad];
  if (list.length !== nargs) {
    throw new TorchletError(
      `${definition.name}.backward: returned ${list.length} gradients, expected ${nargs} (one per forward argument, null where there is none)`,
    );
  }
  return tensorArgs.map((i) => list[i] ?? null);
};

/**
 * Defines a differentiable function with its own forward and backward, recorded by the engine like
 * a built-in op (PyTorch's `torch.autograd.Function`).
 *
 * @example
 * // Fused softmax + cross-entropy over one-hot targets: the gradient is (p − y) / n.
 * const softmaxXent = defineFunction({
 *   name: 'softmaxXent',
 *   forward(ctx, logits: Tensor, y: Tensor) {
 *     const p = logits.sub(logits.amax(-1, true)).exp();
 *     const probs = p.div(p.sum(-1, true));
 *     ctx.saveForBackward(probs, y);
 *     return probs.log().mul(y).sum().neg().div(logits.shape[0]!);
 *   },
 *   backward(ctx, g) {
 *     const [p, y] = ctx.savedTensors;
 *     return [p!.sub(y!).mul(g).div(p!.shape[0]!), null];
 *   },
 * });
 * softmaxXent(logits, y).backward();
 */
export function defineFunction<A extends unknown[], O extends Tensor | Tensor[]>(
  definition: FunctionDefinition<A, O>,
): (...args: A) => O {
  const op = `custom:${definition.name}`;
  if (!getGradient(op)) registerGradient(op, customRule);
  return (...args: A): O => {
    const tensorArgs: number[] = [];
    args.forEach((a, i) => {
      if (a instanceof Tensor) tensorArgs.push(i);
    });
    const inputs = tensorArgs.map((i) => args[i] as Tensor);
    const track = isGradEnabled() && inputs.some((t) => t.requiresGrad);
    const needs = args.map((a) => track && a instanceof Tensor && a.requiresGrad);
    const ctx = new FunctionCtx(definition.name, needs);
    const result = noGrad(() => definition.forward(ctx, ...args));
    const list = Array.isArray(result) ? result : [result];
    list.forEach((o, i) => {
      if (!(o instanceof Tensor)) {
        throw new TorchletError(`${definition.name}.forward: output ${i} is not a Tensor`);
      }
    });
    if (!track) return result;
    // An output that is an argument (or tracked by a closure) gets a fresh identity so that
    // recording this op cannot rewrite another tensor's history.
    const outs = list.map((o) => {
      if (!o.requiresGrad) return o;
      const fresh = o.detach();
      if (ctx.nonDifferentiable.has(o)) ctx.nonDifferentiable.add(fresh);
      return fresh;
    });
    const attrs: CustomAttrs = {
      definition: definition as unknown as CustomAttrs['definition'],
      ctx,
      tensorArgs,
    };
    recordNode(
      op,
      inputs,
      outs,
      attrs as unknown as Record<string, unknown>,
      (o) => !ctx.nonDifferentiable.has(o),
    );
    return (Array.isArray(result) ? outs : outs[0]) as O;
  };
}
