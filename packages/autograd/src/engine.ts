import {
  type Attrs,
  type AutogradEngine,
  type BackwardOptions,
  fmtShape,
  type GradNode,
  installAutograd,
  isFloating,
  keep,
  onesLike,
  setGradEnabled,
  shapesEqual,
  Tensor,
  TorchletError,
  zeros,
} from '@torchlet/tensor';
import { getGradient } from './registry.js';

const RELEASED: Attrs = Object.freeze({});

/**
 * One recorded op: its inputs, its outputs and the storage versions they had, so backward can
 * refuse to read a tensor modified in place since. Released after backward unless retained.
 */
export class Node implements GradNode {
  /** The op's tensor inputs, which its rule may read; null once released. */
  inputs: readonly Tensor[] | null;
  /** The op's outputs (this node is their `gradFn`); null once released. */
  outputs: readonly Tensor[] | null;
  /** The op's attributes; emptied on release so saved state (e.g. a custom function's ctx) is freed too. */
  attrs: Attrs;
  private readonly versions: number[];

  constructor(
    readonly op: string,
    inputs: readonly Tensor[],
    outputs: readonly Tensor[],
    attrs: Attrs,
  ) {
    this.inputs = inputs;
    this.outputs = outputs;
    this.attrs = attrs;
    this.versions = [...inputs, ...outputs].map((t) => t.version);
  }

  /** True once backward has freed this node's saved tensors. */
  get released(): boolean {
    return this.inputs === null;
  }

  /** Drops the references to saved tensors so the graph behind this node can be collected. */
  release(): void {
    this.inputs = null;
    this.outputs = null;
    this.attrs = RELEASED;
  }

  /** Throws if a saved tensor was modified in place after this op recorded it. */
  checkVersions(): void {
    const saved = [...this.inputs!, ...this.outputs!];
    saved.forEach((t, i) => {
      if (t.version !== this.versions[i])
        throw modifiedInPlace(this.op, t.shape, this.versions[i]!, t.version);
    });
  }
}

/** The error for a saved tensor whose storage changed between forward and backward. */
export function modifiedInPlace(
  op: string,
  shape: readonly number[],
  saved: number,
  now: number,
): TorchletError {
  return new TorchletError(
    `backward: a tensor of shape ${fmtShape(shape)} needed by the gradient of '${op}' was modified in place after it was used (version ${saved}, now ${now}); use an out-of-place op (e.g. x.add(y) instead of x.add_(y)) or clone() it first`,
  );
}

/**
 * Records `op` as the producer of `outputs`. Floating outputs become non-leaves that require grad,
 * except those `differentiable` rejects; integer and bool outputs never require grad.
 */
export function recordNode(
  op: string,
  inputs: readonly Tensor[],
  outputs: readonly Tensor[],
  attrs: Attrs,
  differentiable: (out: Tensor) => boolean = () => true,
): Node {
  const node = new Node(op, inputs, outputs, attrs);
  outputs.forEach((out, i) => {
    if (!isFloating(out.dtype) || !differentiable(out)) return;
    out.requiresGrad = true;
    out.gradFn = node;
    out.outputIndex = i;
  });
  return node;
}

function record(op: string, inputs: readonly Tensor[], outputs: readonly Tensor[], attrs: Attrs): void {
  recordNode(op, inputs, outputs, attrs);
}

function parentOf(t: Tensor): Node | null {
  return t.requiresGrad ? (t.gradFn as Node | null) : null;
}

/**
 * Nodes reachable from `roots`, ordered so every node comes before the nodes it reads from.
 * Released nodes are included (so backward can report them) but not traversed.
 */
function topoOrder(roots: readonly Node[]): Node[] {
  const order: Node[] = [];
  const seen = new Set<Node>();
  const stack: [Node, boolean][] = roots.map((r) => [r, false]);
  while (stack.length > 0) {
    const [node, expanded] = stack.pop()!;
    if (expanded) {
      order.push(node);
      continue;
    }
    if (seen.has(node)) continue;
    seen.add(node);
    stack.push([node, true]);
    for (const input of node.inputs ?? []) {
      const parent = parentOf(input);
      if (parent && !seen.has(parent)) stack.push([parent, false]);
    }
  }
  return order.reverse();
}

/**
 * With `wanted` inputs, the nodes whose rule must run: those with a wanted tensor upstream.
 * What lies behind a released node is unknown, so it does not run; `released` collects them to
 * explain a missing gradient.
 */
function nodesToRun(
  order: readonly Node[],
  wanted: ReadonlyMap<Tensor, number[]>,
  released: Node[],
): Set<Node> {
  const run = new Set<Node>();
  for (let k = order.length - 1; k >= 0; k--) {
    const node = order[k]!;
    const ins = node.inputs;
    if (ins === null) released.push(node);
    else if (ins.some((t) => t.requiresGrad && (wanted.has(t) || run.has(parentOf(t)!)))) run.add(node);
  }
  return run;
}

function secondBackward(op: string): TorchletError {
  return new TorchletError(
    `backward: trying to backward through the graph a second time (through '${op}'); its saved tensors were freed after the first backward. Pass { retainGraph: true } to the first backward() if you need to call it again`,
  );
}

/** Runs `t`'s hooks on its total gradient; a hook may return a replacement of the same shape. */
function runHooks(t: Tensor, grad: Tensor): Tensor {
  if (!t.gradHooks) return grad;
  for (const hook of [...t.gradHooks]) {
    const replaced = hook(grad);
    if (replaced === undefined || replaced === null) continue;
    if (!(replaced instanceof Tensor)) {
      throw new TorchletError('backward: a hook returned something other than a Tensor or undefined');
    }
    if (!shapesEqual(replaced.shape, grad.shape)) {
      throw new TorchletError(
        `backward: a hook on a tensor of shape ${fmtShape(t.shape)} returned a gradient of shape ${fmtShape(replaced.shape)}; a hook must return undefined (keep the gradient) or a tensor of shape ${fmtShape(grad.shape)}`,
      );
    }
    grad = replaced.dtype === t.dtype ? replaced : replaced.to(t.dtype);
  }
  return grad;
}

function sum(prev: Tensor | null | undefined, g: Tensor): Tensor {
  return prev ? prev.add(g) : g;
}

/**
 * Adds `g` into `t.grad`, as PyTorch's AccumulateGrad: in place when not building a graph (so the
 * first gradient is copied: `g` may be a broadcast view or shared with another tensor's gradient),
 * out of place with `createGraph` so the sum stays differentiable.
 */
export function accumulateGrad(t: Tensor, g: Tensor, createGraph: boolean): void {
  const prev = t.grad;
  if (createGraph) {
    t.grad = keep(sum(prev, g));
    return;
  }
  const prevOwned = prev !== null && !prev.requiresGrad && prev.dtype === g.dtype && prev.isContiguous();
  if (prevOwned && shapesEqual(prev.shape, g.shape)) prev.add_(g);
  // `.grad` outlives any tidy() scope the backward pass runs in, as a parameter does.
  else t.grad = owned(keep(prev ? prev.add(g).detach() : g.clone().detach()));
}

/** Gradient buffers the engine allocated itself (copies, never shared with a graph or the user). */
const ownedGrads = new WeakSet<Tensor>();
const owned = (t: Tensor): Tensor => {
  ownedGrads.add(t);
  return t;
};

/**
 * Whether `grad` is a `.grad` buffer backward allocated (not a tensor the user assigned or one
 * shared with a graph), so that whoever drops it, such as `zeroGrad`, may release its device memory.
 */
export function ownsGrad(grad: Tensor): boolean {
  return ownedGrads.has(grad);
}

/** What to differentiate and how; see {@link runBackward}. */
export interface GradRequest {
  /** Tensors to differentiate. */
  outputs: readonly Tensor[];
  /** Their gradients (the `v` of the vector-Jacobian product), one per output, same shapes. */
  gradOutputs: readonly Tensor[];
  /** When given, return gradients for these tensors (leaves or not) instead of accumulating into `.grad`. */
  inputs?: readonly Tensor[];
  /** Keep the graph's saved tensors so it can be differentiated again. */
  retainGraph: boolean;
  /** Record the backward pass itself, for higher-order derivatives. */
  createGraph: boolean;
  /** With `inputs`: return null for an input the outputs do not depend on instead of throwing. */
  allowUnused?: boolean;
}

/**
 * The backward pass: vector-Jacobian products in reverse topological order. Without `inputs` it
 * accumulates into `.grad` of the leaves (and of tensors that `retainGrad()`); with `inputs` it
 * runs only the part of the graph leading to them and returns their gradients.
 *
 * Each tensor's hooks run once, on the sum of the gradients reaching it.
 */
export function runBackward(req: GradRequest): (Tensor | null)[] {
  const { outputs, gradOutputs, inputs, retainGraph, createGraph } = req;
  if (gradOutputs.length !== outputs.length) {
    throw new TorchletError(
      `backward: got ${gradOutputs.length} gradients for ${outputs.length} outputs; pass one gradient per output`,
    );
  }
  let wanted: Map<Tensor, number[]> | null = null;
  if (inputs) {
    if (inputs.length === 0)
      throw new TorchletError('grad: inputs is empty; pass the tensors to differentiate with respect to');
    wanted = new Map();
    inputs.forEach((t, i) => {
      if (!t.requiresGrad) {
        throw new TorchletError(
          `grad: input ${i} (shape ${fmtShape(t.shape)}) does not require grad; call requiresGrad_() on it before computing the outputs`,
        );
      }
      const slots = wanted!.get(t);
      if (slots) slots.push(i);
      else wanted!.set(t, [i]);
    });
  }
  const results: (Tensor | null)[] = inputs ? inputs.map(() => null) : [];
  const released: Node[] = [];
  // Per node, by output index: the tensors that received gradient and their running sums.
  const nodeGrads = new Map<Node, { tensors: Tensor[]; grads: Tensor[] }>();
  const leafGrads = new Map<Tensor, Tensor>();

  const deliver = (t: Tensor, g: Tensor, from: string): void => {
    if (!shapesEqual(g.shape, t.shape)) {
      throw new TorchletError(
        `backward: ${from} gave a gradient of shape ${fmtShape(g.shape)} for a tensor of shape ${fmtShape(t.shape)}`,
      );
    }
    if (g.dtype !== t.dtype) g = g.to(t.dtype);
    const node = t.gradFn as Node | null;
    if (node === null) {
      if (wanted && !wanted.has(t)) return;
      leafGrads.set(t, sum(leafGrads.get(t), g));
      return;
    }
    let slot = nodeGrads.get(node);
    if (!slot) nodeGrads.set(node, (slot = { tensors: [], grads: [] }));
    slot.tensors[t.outputIndex] = t;
    slot.grads[t.outputIndex] = sum(slot.grads[t.outputIndex], g);
  };

  // The total gradient of `t` is known: keep it where the caller asked.
  const settle = (t: Tensor, g: Tensor): void => {
    if (wanted) {
      for (const i of wanted.get(t) ?? []) results[i] = g;
    } else if (t.isLeaf || t.retainsGrad) {
      accumulateGrad(t, g, createGraph);
    }
  };

  const prevMode = setGradEnabled(createGraph);
  try {
    const roots: Node[] = [];
    outputs.forEach((out, i) => {
      if (!out.requiresGrad) {
        throw new TorchletError(
          `backward: output ${i} (shape ${fmtShape(out.shape)}) does not require grad and has no gradFn; create its inputs with { requiresGrad: true } (or call requiresGrad_()) and compute it outside noGrad()`,
        );
      }
      const node = out.gradFn as Node | null;
      if (node) roots.push(node);
      deliver(out, gradOutputs[i]!, `gradOutputs[${i}]`);
    });
    const order = topoOrder(roots);
    const run = wanted ? nodesToRun(order, wanted, released) : null;
    for (const node of order) {
      const slot = nodeGrads.get(node);
      if (!slot) continue;
      nodeGrads.delete(node);
      if (node.released && !run) throw secondBackward(node.op);
      slot.tensors.forEach((o, i) => {
        slot.grads[i] = runHooks(o, slot.grads[i]!);
        settle(o, slot.grads[i]!);
      });
      if (node.released || (run && !run.has(node))) continue;
      const outs = node.outputs!;
      const grads = outs.map((o, i) => slot.grads[i] ?? zeros(o.shape, { dtype: o.dtype, device: o.device }));
      const rule = getGradient(node.op);
      if (!rule) {
        throw new TorchletError(
          `backward: no gradient rule is registered for op '${node.op}', so it is not differentiable; compute it on detached tensors or inside noGrad()`,
        );
      }
      node.checkVersions();
      const ins = node.inputs!;
      const needs = ins.map((t) => t.requiresGrad && (!run || wanted!.has(t) || run.has(parentOf(t)!)));
      const inputGrads = rule(grads, {
        inputs: ins,
        outputs: outs,
        attrs: node.attrs,
        needsInputGrad: needs,
      });
      if (!retainGraph) node.release();
      ins.forEach((input, i) => {
        const g = inputGrads[i];
        if (needs[i] && g) deliver(input, g, `the gradient rule of '${node.op}' (input ${i})`);
      });
    }
    for (const [leaf, g] of leafGrads) settle(leaf, runHooks(leaf, g));
  } finally {
    setGradEnabled(prevMode);
  }
  if (inputs && !req.allowUnused) {
    results.forEach((r, i) => {
      if (r === null) {
        if (released.length > 0) throw secondBackward(released[0]!.op);
        throw new TorchletError(
          `grad: input ${i} was not used to compute the outputs; pass { allowUnused: true } to get null for it`,
        );
      }
    });
  }
  return results;
}

/** The gradient that seeds `tensor.backward(gradient)`: checked, or ones for a one-element tensor. */
export function seedGradient(
  op: string,
  tensor: Tensor,
  gradient: Tensor | undefined,
  what = 'gradient',
): Tensor {
  if (gradient === undefined) {
    if (tensor.numel() !== 1) {
      throw new TorchletError(
        `${op}: grad can be implicitly created only for scalar outputs, got shape ${fmtShape(tensor.shape)}; pass a ${what} of that shape, or reduce first (e.g. loss.sum().backward())`,
      );
    }
    return onesLike(tensor);
  }
  if (!shapesEqual(gradient.shape, tensor.shape)) {
    throw new TorchletError(
      `${op}: ${what} has shape ${fmtShape(gradient.shape)}, expected ${fmtShape(tensor.shape)} (the shape of the output)`,
    );
  }
  return gradient;
}

/** Options of {@link backwardAll}: PyTorch's `torch.autograd.backward` keywords. */
export interface BackwardAllOptions extends BackwardOptions {
  /** One gradient per tensor; null or omitted for one-element tensors (ones). */
  gradTensors?: readonly (Tensor | null | undefined)[];
}

/**
 * Backward from several tensors at once (`torch.autograd.backward`): the sum of their
 * vector-Jacobian products accumulates into `.grad` of the leaves, or of `options.inputs` only.
 */
export function backwardAll(tensors: readonly Tensor[], options: BackwardAllOptions = {}): void {
  const seeds = tensors.map((t, i) =>
    seedGradient(
      'backward',
      t,
      options.gradTensors?.[i] ?? undefined,
      tensors.length === 1 ? 'gradient' : `gradTensors[${i}]`,
    ),
  );
  const createGraph = options.createGraph ?? false;
  const inputs = options.inputs;
  const grads = runBackward({
    outputs: tensors,
    gradOutputs: seeds,
    retainGraph: options.retainGraph ?? createGraph,
    createGraph,
    ...(inputs ? { inputs, allowUnused: true } : {}),
  });
  grads.forEach((g, i) => {
    if (g) accumulateGrad(inputs![i]!, g, createGraph);
  });
}

function backward(tensor: Tensor, gradient: Tensor | undefined, options: BackwardOptions): void {
  backwardAll([tensor], { ...options, gradTensors: [gradient] });
}

/** The engine `@torchlet/tensor` calls for `record()` and `Tensor.backward()`; installed on import. */
export const engine: AutogradEngine = { record, backward };
installAutograd(engine);
