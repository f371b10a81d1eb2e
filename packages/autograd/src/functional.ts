import {
  allocArray,
  enableGrad,
  fmtShape,
  fromTypedArray,
  isFloating,
  isGradEnabled,
  onesLike,
  type Shape,
  shapesEqual,
  stack,
  Tensor,
  TorchletError,
  zeros,
  zerosLike,
} from '@torchlet/tensor';
import { backwardAll, runBackward, seedGradient } from './engine.js';
import { detachAll, isTensorTree, type TensorTree, treeLeaves, treeMap, treeUnflatten } from './tree.js';

/** Which positional arguments to differentiate: one index, or several. */
export type Argnums = number | readonly number[];

/** The gradients `grad(f, { argnums })` returns: shaped like the chosen arguments. */
export type GradsOf<A extends unknown[], N> = N extends number
  ? A[N]
  : { -readonly [K in keyof N]: N[K] extends number ? A[N[K]] : never };

/** Options of {@link grad} and {@link valueAndGrad}. */
export interface GradOptions<N extends Argnums = Argnums> {
  /** Positional arguments to differentiate (default 0); negative counts from the end. */
  argnums?: N;
  /** `f` returns `[output, aux]`; `aux` is passed through untouched (detached). */
  hasAux?: boolean;
  /**
   * Keep the result differentiable. Defaults to true when grad mode is on and a differentiated
   * argument already requires grad (nested transforms); pass true to differentiate the result
   * with respect to tensors `f` closes over.
   */
  createGraph?: boolean;
}

/** A function transform's inputs may require grad: then it nests, recording its own backward. */
function nests(trees: readonly TensorTree[]): boolean {
  return isGradEnabled() && trees.some((t) => treeLeaves(t).some((x) => x.requiresGrad));
}

/**
 * A tensor to differentiate with respect to, standing for `x`: a fresh leaf sharing `x`'s data,
 * or, when nesting, a recorded copy so the outer transform sees the path back to `x`.
 */
function differentiable(op: string, x: Tensor, createGraph: boolean): Tensor {
  if (!isFloating(x.dtype)) {
    throw new TorchletError(
      `${op}: only floating tensors can be differentiated, got an input of dtype ${x.dtype}`,
    );
  }
  return createGraph && x.requiresGrad ? enableGrad(() => x.clone()) : x.detach().requiresGrad_();
}

/**
 * Gradients of `outputs` (weighted by `gradOutputs`) with respect to `inputs`, zeros where an input
 * is unused. Without `createGraph` they are dense and detached, safe to modify in place.
 */
function gradientsOf(
  outputs: readonly Tensor[],
  gradOutputs: readonly Tensor[],
  inputs: readonly Tensor[],
  createGraph: boolean,
  retainGraph: boolean,
): Tensor[] {
  const live = outputs.map((_o, i) => i).filter((i) => outputs[i]!.requiresGrad);
  const grads =
    live.length === 0
      ? inputs.map(() => null)
      : runBackward({
          outputs: live.map((i) => outputs[i]!),
          gradOutputs: live.map((i) => gradOutputs[i]!),
          inputs,
          retainGraph,
          createGraph,
          allowUnused: true,
        });
  return grads.map((g, i) => (g === null ? zerosLike(inputs[i]!) : createGraph ? g : g.contiguous()));
}

function checkScalar(op: string, out: unknown): Tensor {
  if (!(out instanceof Tensor) || out.numel() !== 1) {
    const got = out instanceof Tensor ? `a tensor of shape ${fmtShape(out.shape)}` : typeof out;
    throw new TorchletError(
      `${op}: the function must return a one-element tensor, got ${got}; use vjp() or jacobian() for other outputs`,
    );
  }
  return out;
}

interface Evaluated {
  value: Tensor;
  aux: unknown;
  grads: unknown;
}

function evaluate(
  op: string,
  f: (...args: unknown[]) => unknown,
  options: GradOptions,
  args: unknown[],
): Evaluated {
  const argnums = options.argnums ?? 0;
  const nums = (typeof argnums === 'number' ? [argnums] : [...argnums]).map((i) =>
    i < 0 ? i + args.length : i,
  );
  nums.forEach((i, k) => {
    if (!Number.isInteger(i) || i < 0 || i >= args.length) {
      throw new TorchletError(
        `${op}: argnums ${k === 0 && typeof argnums === 'number' ? argnums : `[${argnums}]`} is out of range for ${args.length} arguments`,
      );
    }
    if (nums.indexOf(i) !== k) throw new TorchletError(`${op}: argnums [${argnums}] repeats argument ${i}`);
    if (!isTensorTree(args[i])) {
      throw new TorchletError(
        `${op}: argument ${i} must be a tensor (or an array or object of tensors) to be differentiated, got ${typeof args[i]}`,
      );
    }
  });
  const trees = nums.map((i) => args[i] as TensorTree);
  const createGraph = options.createGraph ?? nests(trees);
  const copies = trees.map((t) => treeMap(t, (x) => differentiable(op, x, createGraph)));
  const callArgs = [...args];
  nums.forEach((i, k) => {
    callArgs[i] = copies[k];
  });
  return enableGrad(() => {
    const result = f(...callArgs);
    if (options.hasAux && !(Array.isArray(result) && result.length === 2)) {
      throw new TorchletError(`${op}: with { hasAux: true } the function must return [output, aux]`);
    }
    const [out, aux] = options.hasAux ? (result as [unknown, unknown]) : [result, undefined];
    const value = checkScalar(op, out);
    const leaves = copies.flatMap(treeLeaves);
    const flat = gradientsOf([value], [onesLike(value)], leaves, createGraph, createGraph);
    let k = 0;
    const grads = copies.map((c) => {
      const n = treeLeaves(c).length;
      k += n;
      return treeUnflatten(c, flat.slice(k - n, k));
    });
    return {
      value: createGraph ? value : value.detach(),
      aux: createGraph ? aux : detachAll(aux),
      grads: typeof argnums === 'number' ? grads[0] : grads,
    };
  });
}

/**
 * Transforms a function returning a one-element tensor into one returning its gradient with
 * respect to the arguments in `argnums` (as `torch.func.grad`, JAX `grad`). Arguments need not
 * require grad; each gradient has the structure of its argument (tensor, array or record).
 *
 * @example
 * const df = grad((x: Tensor) => x.pow(3).sum());
 * df(tensor([1, 2])); // tensor([3., 12.])
 * grad((x: Tensor, y: Tensor) => x.mul(y).sum(), { argnums: [0, 1] })(a, b); // [b, a]
 * grad(grad((x: Tensor) => x.pow(3).sum()))(tensor(2)); // 12: transforms nest
 */
export function grad<A extends unknown[], const N extends Argnums = 0>(
  f: (...args: A) => Tensor,
  options?: GradOptions<N> & { hasAux?: false },
): (...args: A) => GradsOf<A, N>;
export function grad<A extends unknown[], X, const N extends Argnums = 0>(
  f: (...args: A) => readonly [Tensor, X],
  options: GradOptions<N> & { hasAux: true },
): (...args: A) => [GradsOf<A, N>, X];
export function grad(
  f: (...args: unknown[]) => unknown,
  options: GradOptions = {},
): (...args: unknown[]) => unknown {
  return (...args) => {
    const { aux, grads } = evaluate('grad', f, options, args);
    return options.hasAux ? [grads, aux] : grads;
  };
}

/**
 * Like {@link grad} but also returns the function's value: `[value, grads]`, or
 * `[[value, aux], grads]` with `hasAux` (as JAX `value_and_grad`).
 *
 * @example
 * const [loss, g] = valueAndGrad((w: Tensor) => w.square().sum())(tensor([1, 2]));
 */
export function valueAndGrad<A extends unknown[], const N extends Argnums = 0>(
  f: (...args: A) => Tensor,
  options?: GradOptions<N> & { hasAux?: false },
): (...args: A) => [Tensor, GradsOf<A, N>];
export function valueAndGrad<A extends unknown[], X, const N extends Argnums = 0>(
  f: (...args: A) => readonly [Tensor, X],
  options: GradOptions<N> & { hasAux: true },
): (...args: A) => [[Tensor, X], GradsOf<A, N>];
export function valueAndGrad(
  f: (...args: unknown[]) => unknown,
  options: GradOptions = {},
): (...args: unknown[]) => unknown {
  return (...args) => {
    const { value, aux, grads } = evaluate('valueAndGrad', f, options, args);
    return options.hasAux ? [[value, aux], grads] : [value, grads];
  };
}

/** What {@link vjp} returns: the function's output and its vector-Jacobian product. */
export interface VjpResult<P extends TensorTree[], O extends TensorTree> {
  /** `f(...primals)`. */
  output: O;
  /** Gradients of ⟨output, cotangent⟩ with respect to each primal; may be called repeatedly. */
  vjp: (cotangent: O) => P;
}

/**
 * Evaluates `f` at `primals` and returns the output with a function computing vector-Jacobian
 * products (as `torch.func.vjp`). The graph lives as long as the returned `vjp` function.
 *
 * @example
 * const { output, vjp: back } = vjp((x: Tensor) => x.exp(), tensor([0, 1]));
 * const [gx] = back(onesLike(output)); // e^x
 */
export function vjp<P extends TensorTree[], O extends TensorTree>(
  f: (...primals: P) => O,
  ...primals: P
): VjpResult<P, O> {
  const createGraph = nests(primals);
  const copies = primals.map((p) => treeMap(p, (x) => differentiable('vjp', x, createGraph))) as P;
  const output = enableGrad(() => f(...copies));
  if (!isTensorTree(output))
    throw new TorchletError('vjp: the function must return a tensor (or an array or object of tensors)');
  const outLeaves = treeLeaves(output);
  const inLeaves = copies.flatMap(treeLeaves);
  const back = (cotangent: O): P => {
    const vs = treeLeaves(cotangent);
    if (vs.length !== outLeaves.length) {
      throw new TorchletError(`vjp: got ${vs.length} cotangent tensors for ${outLeaves.length} outputs`);
    }
    vs.forEach((v, i) => {
      seedGradient('vjp', outLeaves[i]!, v, `cotangent ${i}`);
    });
    const nested = createGraph || nests(vs);
    const flat = enableGrad(() => gradientsOf(outLeaves, vs, inLeaves, nested, true));
    let k = 0;
    return copies.map((c) => {
      const n = treeLeaves(c).length;
      k += n;
      return treeUnflatten(c, flat.slice(k - n, k));
    }) as P;
  };
  return { output: createGraph ? output : detachAll(output), vjp: back };
}

/** Options of {@link jacobian}, {@link hessian} and {@link hvp}. */
export interface JacobianOptions {
  /**
   * Keep the result differentiable. Defaults to true when grad mode is on and an input already
   * requires grad.
   */
  createGraph?: boolean;
}

/** Arguments of the function a transform of `I` (a tensor or a list of tensors) receives. */
export type ArgsOf<I> = I extends Tensor ? [Tensor] : Tensor[];

/** `jacobian`'s result: one tensor, or lists by input, by output, or by output then input. */
export type JacobianOf<I, O> = O extends Tensor
  ? I extends Tensor
    ? Tensor
    : Tensor[]
  : I extends Tensor
    ? Tensor[]
    : Tensor[][];

/** Rows stacked along a new leading dim; `rowShape` gives the shape when there are none. */
function stackRows(rows: readonly Tensor[], rowShape: Shape, like: Tensor): Tensor {
  if (rows.length === 0) return zeros([0, ...rowShape], { dtype: like.dtype, device: like.device });
  return stack(rows);
}

function oneHot(k: number, like: Tensor): Tensor {
  const values = allocArray(like.dtype, like.numel());
  values[k] = 1;
  return fromTypedArray(values, like.shape, like.dtype, like.device);
}

/**
 * The Jacobian of `f` at `inputs` (as `torch.autograd.functional.jacobian`): for output o and
 * input i, a tensor of shape `[...o.shape, ...i.shape]`. Computed by one backward per output
 * element, so it suits small outputs.
 *
 * @example
 * jacobian((x: Tensor) => x.square(), tensor([1, 2])); // [[2, 0], [0, 4]]
 */
export function jacobian<I extends Tensor | readonly Tensor[], O extends Tensor | readonly Tensor[]>(
  f: (...xs: ArgsOf<I>) => O,
  inputs: I,
  options: JacobianOptions = {},
): JacobianOf<I, O> {
  const singleIn = inputs instanceof Tensor;
  const ins: Tensor[] = singleIn ? [inputs] : [...(inputs as readonly Tensor[])];
  const createGraph = options.createGraph ?? nests(ins);
  const leaves = ins.map((x) => differentiable('jacobian', x, createGraph));
  return enableGrad(() => {
    const result = (f as (...xs: Tensor[]) => O)(...leaves);
    const singleOut = result instanceof Tensor;
    const outs: Tensor[] = singleOut ? [result] : [...(result as readonly Tensor[])];
    const blocks = outs.map((o, oi) => {
      if (!(o instanceof Tensor)) throw new TorchletError(`jacobian: output ${oi} is not a tensor`);
      const rows: Tensor[][] = leaves.map(() => []);
      for (let k = 0; k < o.numel(); k++) {
        const gs = gradientsOf([o], [oneHot(k, o)], leaves, createGraph, true);
        gs.forEach((g, i) => {
          rows[i]!.push(g);
        });
      }
      return leaves.map((x, i) => stackRows(rows[i]!, x.shape, x).reshape([...o.shape, ...x.shape]));
    });
    if (singleOut) return (singleIn ? blocks[0]![0] : blocks[0]) as JacobianOf<I, O>;
    return (singleIn ? blocks.map((b) => b[0]!) : blocks) as JacobianOf<I, O>;
  });
}

/**
 * The Hessian of a function returning a one-element tensor (as
 * `torch.autograd.functional.hessian`): the Jacobian of its gradient, by double backward. For
 * several inputs, `H[i][j]` has shape `[...inputs[i].shape, ...inputs[j].shape]`.
 *
 * @example
 * // (1 − w1·w2)² has a saddle at the origin:
 * hessian((w1: Tensor, w2: Tensor) => w1.mul(w2).neg().add(1).square().sum(), [zeros([1]), zeros([1])]);
 */
export function hessian<I extends Tensor | readonly Tensor[]>(
  f: (...xs: ArgsOf<I>) => Tensor,
  inputs: I,
  options: JacobianOptions = {},
): I extends Tensor ? Tensor : Tensor[][] {
  const single = inputs instanceof Tensor;
  const n = single ? 1 : (inputs as readonly Tensor[]).length;
  const argnums = single ? 0 : Array.from({ length: n }, (_, i) => i);
  const gradient = grad(f as (...xs: Tensor[]) => Tensor, { argnums }) as (
    ...xs: Tensor[]
  ) => Tensor | Tensor[];
  return jacobian(
    (...xs: Tensor[]) => gradient(...xs),
    inputs as Tensor | readonly Tensor[],
    options,
  ) as never;
}

/** What {@link hvp} returns. */
export interface HvpResult<P> {
  /** `f(...primals)`. */
  output: Tensor;
  /** The Hessian of `f` at `primals` times `v`, shaped like `primals`. */
  hvp: P;
}

/**
 * Hessian-vector product by double backward, without forming the Hessian (as
 * `torch.autograd.functional.hvp`): H·v where H is the Hessian of `f` at `primals`.
 *
 * @example
 * hvp((x: Tensor) => x.pow(3).sum(), tensor([1, 2]), tensor([1, 1])).hvp; // 6x·v = [6, 12]
 */
export function hvp<P extends Tensor | readonly Tensor[]>(
  f: (...xs: ArgsOf<P>) => Tensor,
  primals: P,
  v: P,
  options: JacobianOptions = {},
): HvpResult<P> {
  const single = primals instanceof Tensor;
  const ins: Tensor[] = single ? [primals] : [...(primals as readonly Tensor[])];
  const vs: Tensor[] = v instanceof Tensor ? [v] : [...(v as readonly Tensor[])];
  if (vs.length !== ins.length)
    throw new TorchletError(`hvp: got ${vs.length} tensors in v for ${ins.length} primals`);
  vs.forEach((t, i) => {
    if (!shapesEqual(t.shape, ins[i]!.shape)) {
      throw new TorchletError(
        `hvp: v[${i}] has shape ${fmtShape(t.shape)}, expected ${fmtShape(ins[i]!.shape)}`,
      );
    }
  });
  const createGraph = options.createGraph ?? nests([...ins, ...vs]);
  const leaves = ins.map((x) => differentiable('hvp', x, createGraph));
  return enableGrad(() => {
    const output = checkScalar('hvp', (f as (...xs: Tensor[]) => Tensor)(...leaves));
    const gs = gradientsOf([output], [onesLike(output)], leaves, true, true);
    let dot: Tensor | null = null;
    gs.forEach((g, i) => {
      if (!g.requiresGrad) return;
      const term = g.mul(vs[i]!).sum();
      dot = dot ? dot.add(term) : term;
    });
    const hv =
      dot === null
        ? leaves.map((x) => zerosLike(x))
        : gradientsOf([dot], [onesLike(dot)], leaves, createGraph, createGraph);
    return { output: createGraph ? output : output.detach(), hvp: (single ? hv[0] : hv) as P };
  });
}

/** Options of {@link gradients} (PyTorch's `torch.autograd.grad` keywords). */
export interface GradientsOptions {
  /** One gradient per output; null or omitted for one-element outputs (ones). */
  gradOutputs?: Tensor | readonly (Tensor | null | undefined)[];
  /** Keep the graph for another backward (default: `createGraph`). */
  retainGraph?: boolean;
  /** Record the backward pass so the gradients can be differentiated again. */
  createGraph?: boolean;
  /** Return null for inputs the outputs do not depend on, instead of throwing. */
  allowUnused?: boolean;
  /** Return zeros instead of null for unused inputs (implies `allowUnused`). */
  materializeGrads?: boolean;
}

/**
 * Gradients of `outputs` with respect to `inputs`, returned instead of accumulated into `.grad`
 * (PyTorch's `torch.autograd.grad`, also available as `autograd.grad`). Inputs may be non-leaves.
 *
 * @example
 * const [dx] = gradients(y.sum(), x, { createGraph: true });
 */
export function gradients(
  outputs: Tensor | readonly Tensor[],
  inputs: Tensor | readonly Tensor[],
  options: GradientsOptions = {},
): (Tensor | null)[] {
  const outs = outputs instanceof Tensor ? [outputs] : [...outputs];
  const ins = inputs instanceof Tensor ? [inputs] : [...inputs];
  const given = options.gradOutputs;
  const seeds = outs.map((o, i) =>
    seedGradient(
      'grad',
      o,
      (given instanceof Tensor ? [given] : given)?.[i] ?? undefined,
      `gradOutputs[${i}]`,
    ),
  );
  const createGraph = options.createGraph ?? false;
  const materialize = options.materializeGrads ?? false;
  const grads = runBackward({
    outputs: outs,
    gradOutputs: seeds,
    inputs: ins,
    retainGraph: options.retainGraph ?? createGraph,
    createGraph,
    allowUnused: (options.allowUnused ?? false) || materialize,
  });
  return materialize ? grads.map((g, i) => g ?? zerosLike(ins[i]!)) : grads;
}

/**
 * PyTorch's `torch.autograd` namespace: `autograd.grad(outputs, inputs, options)` returns
 * gradients, `autograd.backward(tensors, options)` accumulates them into `.grad`.
 */
export const autograd = { grad: gradients, backward: backwardAll } as const;
