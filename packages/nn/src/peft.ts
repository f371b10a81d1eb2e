/**
 * Parameter-efficient fine-tuning: LoRA (low-rank weight updates that merge into the base
 * weight), bottleneck adapters, and helpers to freeze, unfreeze and count parameters.
 */
import { empty, noGrad, type Tensor, TorchletError } from '@torchlet/tensor';
import { dropout as dropoutFn } from './functional/dropout.js';
import { linear } from './functional/linear.js';
import { normal_, zeros_ } from './init.js';
import { Linear } from './layers/linear.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

/** Options of {@link LoRALinear}. */
export interface LoRAOptions {
  /** Rank of the update B·A (default 8). */
  r?: number;
  /** The update is scaled by alpha / r (default alpha = r, a scale of 1). */
  alpha?: number;
  /** Dropout on the input of the low-rank path, in training (default 0). */
  dropout?: number;
  /** Learn a bias in the base layer (default true; ignored by `fromLinear`). */
  bias?: boolean;
}

/**
 * A Linear layer plus a trainable low-rank update: y = x·Wᵀ + b + (α/r)·x·Aᵀ·Bᵀ, with A [r, in]
 * drawn from N(0, 1/r²) and B [out, r] zero, so training starts from the base layer exactly. The
 * base `weight` is frozen. `merge()` folds (α/r)·B·A into `weight` for inference and
 * `unmerge()` takes it out again; both give the same outputs. Parameter names (`weight`, `bias`,
 * `lora_A`, `lora_B`) follow loralib, so a LoRALinear loads the base layer's state dict with
 * `strict: false`.
 *
 * @example
 * const layer = LoRALinear.fromLinear(pretrained, { r: 4, alpha: 8 });
 * layer.parameters().filter((p) => p.requiresGrad); // [lora_A, lora_B] (and bias if it was trainable)
 */
export class LoRALinear extends Linear {
  declare lora_A: Parameter;
  declare lora_B: Parameter;
  readonly r: number;
  readonly alpha: number;
  readonly loraDropout: number;
  /** Whether (α/r)·B·A is currently folded into `weight`. */
  merged = false;

  constructor(inFeatures: number, outFeatures: number, options: LoRAOptions = {}) {
    super(inFeatures, outFeatures, { bias: options.bias });
    this.r = options.r ?? 8;
    this.alpha = options.alpha ?? this.r;
    this.loraDropout = options.dropout ?? 0;
    if (!Number.isInteger(this.r) || this.r < 1) {
      throw new TorchletError(`LoRALinear: rank r must be a positive integer, got ${this.r}`);
    }
    this.registerParameter('lora_A', new Parameter(empty([this.r, inFeatures])));
    this.registerParameter('lora_B', new Parameter(empty([outFeatures, this.r])));
    this.resetLoRAParameters();
    this.weight.requiresGrad_(false);
  }

  /** Wraps a trained Linear: shares its weight (frozen) and bias, and adds fresh A and B. */
  static fromLinear(base: Linear, options: LoRAOptions = {}): LoRALinear {
    const lora = new LoRALinear(base.inFeatures, base.outFeatures, { ...options, bias: base.bias !== null });
    const dtype = base.weight.dtype;
    if (dtype !== 'float32') lora.to(dtype);
    lora.weight = base.weight;
    lora.bias = base.bias;
    base.weight.requiresGrad_(false);
    return lora;
  }

  /** The factor α/r on the low-rank update. */
  get scaling(): number {
    return this.alpha / this.r;
  }

  /** A ~ N(0, 1/r²), B = 0: the update starts at zero. */
  resetLoRAParameters(): void {
    normal_(this.lora_A, 0, 1 / this.r);
    zeros_(this.lora_B);
  }

  /** The update (α/r)·B·A, [out, in]. */
  deltaWeight(): Tensor {
    return this.lora_B.matmul(this.lora_A).mul(this.scaling);
  }

  /** Folds the update into `weight` (idempotent). */
  merge(): this {
    if (!this.merged) noGrad(() => this.weight.add_(this.deltaWeight()));
    this.merged = true;
    return this;
  }

  /** Takes the update back out of `weight` (idempotent). */
  unmerge(): this {
    if (this.merged) noGrad(() => this.weight.sub_(this.deltaWeight()));
    this.merged = false;
    return this;
  }

  override forward(x: Tensor): Tensor {
    const base = linear(x, this.weight, this.bias);
    if (this.merged) return base;
    const h = dropoutFn(x, this.loraDropout, this.training);
    return base.add(h.matmul(this.lora_A.T).matmul(this.lora_B.T).mul(this.scaling));
  }

  override extraRepr(): string {
    return `${super.extraRepr()}, r=${this.r}, alpha=${this.alpha}, merged=${this.merged}`;
  }
}

/** Options of {@link Adapter}. */
export interface AdapterOptions {
  activation?: 'relu' | 'gelu' | ((x: Tensor) => Tensor);
}

/**
 * A bottleneck adapter (Houlsby et al. 2019): x + up(act(down(x))), with `down` [dModel → bottleneck]
 * and a zero-initialized `up`, so an inserted adapter starts as the identity.
 *
 * @example
 * const adapter = new Adapter(64, 8);
 * adapter.call(h); // h itself until trained
 */
export class Adapter extends Module {
  down: Linear;
  up: Linear;
  private readonly act: (x: Tensor) => Tensor;

  constructor(
    readonly dModel: number,
    readonly bottleneck: number,
    options: AdapterOptions = {},
  ) {
    super();
    this.down = new Linear(dModel, bottleneck);
    this.up = new Linear(bottleneck, dModel);
    zeros_(this.up.weight);
    zeros_(this.up.bias!);
    const act = options.activation ?? 'relu';
    this.act = typeof act === 'function' ? act : act === 'gelu' ? (x) => x.gelu() : (x) => x.relu();
  }

  override forward(x: Tensor): Tensor {
    return x.add(this.up.call(this.act(this.down.call(x))));
  }

  override extraRepr(): string {
    return `${this.dModel}, bottleneck=${this.bottleneck}`;
  }
}

/** Stops gradients for every parameter of `module` (all of them, or those whose name passes `filter`). */
export function freeze<M extends Module>(module: M, filter?: (name: string) => boolean): M {
  for (const [name, p] of module.namedParameters()) if (!filter || filter(name)) p.requiresGrad_(false);
  return module;
}

/** Lets gradients reach every parameter of `module` (or those whose name passes `filter`) again. */
export function unfreeze<M extends Module>(module: M, filter?: (name: string) => boolean): M {
  for (const [name, p] of module.namedParameters()) if (!filter || filter(name)) p.requiresGrad_(true);
  return module;
}

/** Number of parameter elements, all or only those that require grad. */
export function countParameters(module: Module, options: { trainableOnly?: boolean } = {}): number {
  return module
    .parameters()
    .filter((p) => !options.trainableOnly || p.requiresGrad)
    .reduce((n, p) => n + p.numel(), 0);
}

/**
 * Freezes everything but the LoRA matrices, as loralib's `mark_only_lora_as_trainable`. `bias`:
 * 'none' (default) freezes all biases, 'all' trains every bias, 'loraOnly' trains the biases of
 * LoRA layers.
 */
export function markOnlyLoRAAsTrainable<M extends Module>(
  model: M,
  options: { bias?: 'none' | 'all' | 'loraOnly' } = {},
): M {
  const bias = options.bias ?? 'none';
  for (const [name, p] of model.namedParameters()) p.requiresGrad_(name.includes('lora_'));
  for (const [, m] of model.namedModules()) {
    const b = (m as { bias?: unknown }).bias;
    if (!(b instanceof Parameter)) continue;
    if (bias === 'all' || (bias === 'loraOnly' && m instanceof LoRALinear)) b.requiresGrad_(true);
  }
  return model;
}

/**
 * Replaces every Linear submodule whose dotted name passes `target` by a {@link LoRALinear}
 * sharing its weights; returns the replaced names. Typical targets are the query and value
 * projections of attention blocks.
 *
 * @example
 * applyLoRA(model, (name) => /\.(q|v)$/.test(name), { r: 4 });
 * markOnlyLoRAAsTrainable(model);
 */
export function applyLoRA(
  model: Module,
  target: (name: string) => boolean,
  options: LoRAOptions = {},
): string[] {
  const replaced: string[] = [];
  for (const [parentName, parent] of model.namedModules()) {
    for (const [childName, child] of parent.namedChildren()) {
      const name = parentName ? `${parentName}.${childName}` : childName;
      if (!(child instanceof Linear) || child instanceof LoRALinear || !target(name)) continue;
      parent.registerModule(childName, LoRALinear.fromLinear(child, options));
      replaced.push(name);
    }
  }
  return replaced;
}

/** Merges (or with `false`, unmerges) every LoRA layer of `model`; returns the model. */
export function mergeLoRA<M extends Module>(model: M, merge = true): M {
  for (const m of model.modules()) if (m instanceof LoRALinear) merge ? m.merge() : m.unmerge();
  return model;
}
