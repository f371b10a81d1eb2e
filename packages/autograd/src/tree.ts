import { Tensor } from '@torchlet/tensor';

/**
 * Tensors nested in arrays and plain objects, as function transforms accept them: an argument
 * may be one tensor, a list of parameters, or a `{ name: tensor }` record.
 */
export type TensorTree = Tensor | readonly TensorTree[] | { readonly [key: string]: TensorTree };

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** Whether `x` is a {@link TensorTree}. */
export function isTensorTree(x: unknown): x is TensorTree {
  if (x instanceof Tensor) return true;
  if (Array.isArray(x)) return x.every(isTensorTree);
  return isPlainObject(x) && Object.values(x).every(isTensorTree);
}

/** The tensors of `tree` in a fixed order (arrays by index, objects by key order). */
export function treeLeaves(tree: TensorTree): Tensor[] {
  const out: Tensor[] = [];
  const walk = (t: TensorTree): void => {
    if (t instanceof Tensor) out.push(t);
    else if (Array.isArray(t)) t.forEach(walk);
    else Object.values(t as Record<string, TensorTree>).forEach(walk);
  };
  walk(tree);
  return out;
}

/** A tree of the same structure with every tensor replaced by `f(tensor)`. */
export function treeMap<T extends TensorTree>(tree: T, f: (t: Tensor) => Tensor): T {
  const map = (t: TensorTree): TensorTree => {
    if (t instanceof Tensor) return f(t);
    if (Array.isArray(t)) return t.map(map);
    return Object.fromEntries(Object.entries(t as Record<string, TensorTree>).map(([k, v]) => [k, map(v)]));
  };
  return map(tree) as T;
}

/** A tree of the same structure as `tree` holding `leaves` (as returned by {@link treeLeaves}). */
export function treeUnflatten<T extends TensorTree>(tree: T, leaves: readonly Tensor[]): T {
  let i = 0;
  return treeMap(tree, () => leaves[i++]!);
}

/** Detaches the tensors found in arrays and plain objects of `x`; other values pass unchanged. */
export function detachAll<T>(x: T): T {
  if (x instanceof Tensor) return x.detach() as T;
  if (Array.isArray(x)) return x.map(detachAll) as T;
  if (isPlainObject(x)) return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, detachAll(v)])) as T;
  return x;
}
