import {
  type Attrs,
  type AutogradEngine,
  type BackwardOptions,
  fmtShape,
  type GradNode,
  installAutograd,
  isFloating,
  onesLike,
  setGradEnabled,
  shapesEqual,
  Tensor,
  TorchletError,
  zeros,
} from '@torchlet/tensor';
import { getGradient } from './registry.js';

/**
 * One recorded op: its inputs, its outputs and the storage versions they had, so backward can
 * refuse to read a tensor modified in place since. Released after backward unless retained.
 */
export class Node implements GradNode {
  inputs: readonly Tensor[] | null;
  outputs: readonly Tensor[] | null;
  private readonly versions: number[];

  constructor(
    readonly op: string,
    inputs: readonly Tensor[],
    outputs: readonly Tensor[],
    readonly attrs: Attrs,
  ) {
    this.inputs = inputs;
    this.outputs = outputs;
    this.versions = [...inputs, ...outputs].map((t) => t.version);
  }

  get released(): boolean {
    return this.inputs === null;
  }

  release(): void {
    this.inputs = null;
    this.outputs = null;
  }

  /** Throws if a saved tensor was modified in place after this op recorded it. */
  checkVersions(): void {
    const saved = [...this.inputs!, ...this.outputs!];
    saved.forEach((t, i) => {
      if (t.version !== this.versions[i]) {
        throw new TorchletError(
          `backward: a tensor of shape ${fmtShape(t.shape)} needed by the gradient of '${this.op}' was modified in place after it was used (version ${this.versions[i]}, now ${t.version}); use an out-of-place op (e.g. x.add(y) instead of x.add_(y)) or clone() it first`,
        );
      }
    });
  }
}

function record(op: string, inputs: readonly Tensor[], outputs: readonly Tensor[], attrs: Attrs): void {
  const node = new Node(op, inputs, outputs, attrs);
  outputs.forEach((out, i) => {
    if (!isFloating(out.dtype)) return;
    out.requiresGrad = true;
    out.gradFn = node;
    out.outputIndex = i;
  });
}

/** Nodes reachable from `roots`, ordered so every node comes before the nodes it feeds from. */
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
    if (node.released) {
      throw new TorchletError(
        `backward: trying to backward through the graph a second time (through '${node.op}'); its saved tensors were freed after the first backward. Pass { retainGraph: true } to the first backward() if you need to call it again`,
      );
    }
    stack.push([node, true]);
    for (const input of node.inputs!) {
      const parent = input.gradFn as Node | null;
      if (input.requiresGrad && parent && !seen.has(parent)) stack.push([parent, false]);
    }
  }
  return order.reverse();
}

function runHooks(t: Tensor, grad: Tensor): Tensor {
  if (!t.gradHooks) return grad;
  for (const hook of t.gradHooks) {
    const replaced = hook(grad);
    if (replaced instanceof Tensor) {
      if (!shapesEqual(replaced.shape, grad.shape)) {
        throw new TorchletError(
          `backward: a hook returned a gradient of shape ${fmtShape(replaced.shape)}, expected ${fmtShape(grad.shape)}`,
        );
      }
      grad = replaced;
    }
  }
  return grad;
}

function accumulate(prev: Tensor | null | undefined, g: Tensor): Tensor {
  return prev ? prev.add(g) : g;
}

export interface GradRequest {
  /** Tensors to differentiate. */
  outputs: readonly Tensor[];
  /** Their gradients (the `v` of the vector-Jacobian product). */
  gradOutputs: readonly Tensor[];
  /** When given, return gradients for these tensors instead of accumulating into leaves' `.grad`. */
  inputs?: readonly Tensor[];
  retainGraph: boolean;
  createGraph: boolean;
  /** With `inputs`: whether an input the outputs do not depend on is an error. */
  allowUnused?: boolean;
}

/**
 * The backward pass: vector-Jacobian products in reverse topological order. Accumulates into
 * `.grad` of leaves (and of tensors that retain grad), or returns the gradients of `inputs`.
 */
export function runBackward(req: GradRequest): (Tensor | null)[] {
  const { outputs, gradOutputs, inputs, retainGraph, createGraph } = req;
  const wanted = inputs ? new Map(inputs.map((t, i) => [t, i])) : null;
  const results: (Tensor | null)[] = inputs ? inputs.map(() => null) : [];
  const pending = new Map<Node, (Tensor | null)[]>();
  const roots: Node[] = [];

  const deliver = (t: Tensor, g: Tensor): void => {
    if (!shapesEqual(g.shape, t.shape)) {
      const op = (t.gradFn as Node | null)?.op ?? 'leaf';
      throw new TorchletError(
        `backward: gradient of shape ${fmtShape(g.shape)} does not match tensor of shape ${fmtShape(t.shape)} (from '${op}')`,
      );
    }
    const idx = wanted?.get(t);
    if (idx !== undefined) {
      const hooked = runHooks(t, g);
      results[idx] = accumulate(results[idx], hooked);
      if (t.gradFn === null) return;
    }
    const node = t.gradFn as Node | null;
    if (node === null) {
      if (wanted) return;
      const hooked = runHooks(t, g);
      t.grad = accumulate(t.grad, createGraph ? hooked : hooked.detach());
      return;
    }
    let slot = pending.get(node);
    if (!slot) pending.set(node, (slot = node.outputs ? node.outputs.map(() => null) : [null]));
    slot[t.outputIndex] = accumulate(slot[t.outputIndex], g);
  };

  const prevMode = setGradEnabled(createGraph);
  try {
    outputs.forEach((out, i) => {
      if (!out.requiresGrad) {
        throw new TorchletError(
          'backward: element 0 of tensors does not require grad and does not have a gradFn; make an input requiresGrad (e.g. tensor(..., { requiresGrad: true })) before computing it',
        );
      }
      if (out.gradFn) roots.push(out.gradFn as Node);
      deliver(out, gradOutputs[i]!);
    });
    for (const node of topoOrder(roots)) {
      const slot = pending.get(node);
      if (!slot) continue;
      pending.delete(node);
      const outs = node.outputs!;
      const grads = outs.map((o, i) => {
        let g = slot[i] ?? zeros(o.shape, { dtype: o.dtype, device: o.device });
        if (slot[i]) g = runHooks(o, g);
        if (o.retainsGrad && slot[i]) o.grad = accumulate(o.grad, createGraph ? g : g.detach());
        return g;
      });
      const rule = getGradient(node.op);
      if (!rule) throw new TorchletError(`backward: no gradient rule is registered for op '${node.op}'`);
      node.checkVersions();
      const ins = node.inputs!;
      const needs = ins.map((t) => t.requiresGrad);
      const inputGrads = rule(grads, {
        inputs: ins,
        outputs: outs,
        attrs: node.attrs,
        needsInputGrad: needs,
      });
      if (!retainGraph) node.release();
      ins.forEach((input, i) => {
        const g = inputGrads[i];
        if (needs[i] && g) deliver(input, g.dtype === input.dtype ? g : g.to(input.dtype));
      });
    }
  } finally {
    setGradEnabled(prevMode);
  }
  if (inputs && !req.allowUnused) {
    results.forEach((r, i) => {
      if (r === null) {
        throw new TorchletError(
          `grad: input ${i} was not used to compute the outputs; pass { allowUnused: true } to get null for it`,
        );
      }
    });
  }
  return results;
}

function backward(tensor: Tensor, gradient: Tensor | undefined, options: BackwardOptions): void {
  if (gradient === undefined) {
    if (tensor.numel() !== 1) {
      throw new TorchletError(
        `backward: grad can be implicitly created only for scalar outputs, got shape ${fmtShape(tensor.shape)}; pass a gradient of that shape, or reduce first (e.g. loss.sum().backward())`,
      );
    }
    gradient = onesLike(tensor);
  } else if (!shapesEqual(gradient.shape, tensor.shape)) {
    throw new TorchletError(
      `backward: gradient has shape ${fmtShape(gradient.shape)}, expected ${fmtShape(tensor.shape)}`,
    );
  }
  const createGraph = options.createGraph ?? false;
  runBackward({
    outputs: [tensor],
    gradOutputs: [gradient],
    retainGraph: options.retainGraph ?? createGraph,
    createGraph,
    ...(options.inputs ? { inputs: options.inputs, allowUnused: true } : {}),
  }).forEach((g, i) => {
    const t = options.inputs?.[i];
    if (t && g) t.grad = accumulate(t.grad, createGraph ? g : g.detach());
  });
}

export const engine: AutogradEngine = { record, backward };
installAutograd(engine);
