import { ShapeError, TorchletError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { matmul } from './matmul.js';
import { diagonal } from './subview.js';

/** A label: a letter's char code, or ELLIPSIS + i for the i-th broadcast dim of `...`. */
type Label = number;
const ELLIPSIS = 1000;

/** An operand during contraction: a tensor and the label of each of its dims. */
interface Term {
  t: Tensor;
  labels: Label[];
}

function labelName(l: Label): string {
  return l >= ELLIPSIS ? `...[${l - ELLIPSIS}]` : String.fromCharCode(l);
}

/** Splits one side of the equation into letters and the position of `...` (null when absent). */
function parseTerm(term: string): { letters: Label[]; ellipsisAt: number | null } {
  const letters: Label[] = [];
  let ellipsisAt: number | null = null;
  for (let i = 0; i < term.length; i++) {
    const ch = term[i]!;
    if (ch === '.') {
      if (term.slice(i, i + 3) !== '...' || ellipsisAt !== null) {
        throw new TorchletError(`einsum: invalid ellipsis in '${term}' (only one '...' per operand)`);
      }
      ellipsisAt = letters.length;
      i += 2;
    } else if (/[a-zA-Z]/.test(ch)) letters.push(ch.charCodeAt(0));
    else throw new TorchletError(`einsum: invalid subscript '${ch}' in '${term}' (use letters a-z, A-Z)`);
  }
  return { letters, ellipsisAt };
}

/** Expands `...` into ellipsis labels right-aligned within `count` broadcast dims. */
function expandTerm(parsed: ReturnType<typeof parseTerm>, ellDims: number, count: number): Label[] {
  if (parsed.ellipsisAt === null) return parsed.letters;
  const ell = Array.from({ length: ellDims }, (_, i) => ELLIPSIS + count - ellDims + i);
  return [...parsed.letters.slice(0, parsed.ellipsisAt), ...ell, ...parsed.letters.slice(parsed.ellipsisAt)];
}

/** Takes diagonals for labels repeated within one operand ('ii->i', 'bii->b'). */
function dedupe(term: Term, op: number): Term {
  let { t, labels } = term;
  for (;;) {
    const p = labels.findIndex((l, i) => labels.indexOf(l, i + 1) > i);
    if (p < 0) return { t, labels };
    const q = labels.indexOf(labels[p]!, p + 1);
    if (t.shape[p] !== t.shape[q]) {
      throw new ShapeError(
        `einsum: subscript '${labelName(labels[p]!)}' is repeated for operand ${op} but the sizes don't match, ${t.shape[p]} != ${t.shape[q]}`,
      );
    }
    // The diagonal view puts the merged dim last, so its label moves last too.
    t = diagonal(t, 0, p, q);
    labels = [...labels.filter((_, i) => i !== p && i !== q), labels[p]!];
  }
}

/** Sums `term` over the labels for which `drop` is true. */
function sumOut(term: Term, drop: (l: Label) => boolean): Term {
  const dims = term.labels.flatMap((l, i) => (drop(l) ? [i] : []));
  if (dims.length === 0) return term;
  return { t: term.t.sum(dims), labels: term.labels.filter((l) => !drop(l)) };
}

/** Views `term` with dims in `order` (labels missing from it become size-1 dims). */
function align(term: Term, order: Label[]): Tensor {
  const present = order.filter((l) => term.labels.includes(l));
  let t = term.t.permute(present.map((l) => term.labels.indexOf(l)));
  order.forEach((l, i) => {
    if (!term.labels.includes(l)) t = t.unsqueeze(i);
  });
  return t;
}

const prod = (xs: number[]): number => xs.reduce((a, b) => a * b, 1);

/**
 * Contracts two terms, keeping the labels in `kept`. Labels shared and not kept are summed: the
 * pair becomes one batched matrix product [batch, left, shared] @ [batch, shared, right], or a
 * broadcast product when nothing is shared.
 */
function contract(a: Term, b: Term, kept: Set<Label>): Term {
  const inB = new Set(b.labels);
  const inA = new Set(a.labels);
  a = sumOut(a, (l) => !inB.has(l) && !kept.has(l));
  b = sumOut(b, (l) => !inA.has(l) && !kept.has(l));
  const batch = a.labels.filter((l) => inB.has(l) && kept.has(l));
  const shared = a.labels.filter((l) => inB.has(l) && !kept.has(l));
  const left = a.labels.filter((l) => !inB.has(l));
  const right = b.labels.filter((l) => !inA.has(l));
  const labels = [...batch, ...left, ...right];
  if (shared.length === 0) return { t: align(a, labels).mul(align(b, labels)), labels };
  // A shared label of size 1 on one side broadcasts: sum the other side over it first.
  for (const l of shared) {
    const sa = a.t.shape[a.labels.indexOf(l)]!;
    const sb = b.t.shape[b.labels.indexOf(l)]!;
    if (sa === sb) continue;
    if (sa === 1) b = { t: b.t.sum(b.labels.indexOf(l), true), labels: b.labels };
    else a = { t: a.t.sum(a.labels.indexOf(l), true), labels: a.labels };
  }
  const size = (term: Term, l: Label) => term.t.shape[term.labels.indexOf(l)]!;
  const leftSizes = left.map((l) => size(a, l));
  const rightSizes = right.map((l) => size(b, l));
  const k = prod(shared.map((l) => size(a, l)));
  if (leftSizes.length === 0 && rightSizes.length === 0) {
    // Batched dot products: a product and a sum beat many 1×1 matrix products.
    const order = [...batch, ...shared];
    const dims = shared.map((_, i) => batch.length + i);
    return { t: align(a, order).mul(align(b, order)).sum(dims), labels: batch };
  }
  const x = align(a, [...batch, ...left, ...shared]);
  const y = align(b, [...batch, ...shared, ...right]);
  const xb = x.shape.slice(0, batch.length);
  const yb = y.shape.slice(0, batch.length);
  const out = matmul(x.reshape([...xb, prod(leftSizes), k]), y.reshape([...yb, k, prod(rightSizes)]));
  return { t: out.reshape([...out.shape.slice(0, batch.length), ...leftSizes, ...rightSizes]), labels };
}

/** Records each label's size, checking that sizes agree or broadcast (size 1). */
function checkSizes(terms: Term[]): void {
  const sizes = new Map<Label, number>();
  terms.forEach(({ t, labels }, op) => {
    labels.forEach((l, i) => {
      const s = t.shape[i]!;
      const prev = sizes.get(l);
      if (prev === undefined || prev === 1) sizes.set(l, s);
      else if (s !== 1 && s !== prev) {
        throw new ShapeError(
          `einsum: subscript '${labelName(l)}' has size ${s} for operand ${op} which does not broadcast with previously seen size ${prev}`,
        );
      }
    });
  });
}

/**
 * Einstein summation, as `torch.einsum`: any number of operands, repeated subscripts within an
 * operand for diagonals and traces, `...` for broadcast dims, and an implicit output (`...` then
 * the subscripts that appear once, in alphabetical order) when the equation has no `->`.
 * Contractions become permutes, reshapes and `matmul`, so gradients come from those ops.
 * @example
 * einsum('bij,bjk->bik', a, b); // batched matrix product
 * einsum('ii', m);              // trace
 */
export function einsum(equation: string, ...operands: (Tensor | readonly Tensor[])[]): Tensor {
  const tensors = (operands.length === 1 && Array.isArray(operands[0]) ? operands[0] : operands) as Tensor[];
  const eq = equation.replace(/\s+/g, '');
  const arrow = eq.indexOf('->');
  const lhs = arrow >= 0 ? eq.slice(0, arrow) : eq;
  const inputs = lhs.split(',');
  if (inputs.length !== tensors.length) {
    throw new TorchletError(
      `einsum: the equation names ${inputs.length} operand(s) but ${tensors.length} tensor(s) were given`,
    );
  }
  const parsed = inputs.map(parseTerm);
  const ellDims = parsed.map((p, i) => {
    const t = tensors[i]!;
    const extra = t.ndim - p.letters.length;
    if (p.ellipsisAt === null ? extra !== 0 : extra < 0) {
      throw new ShapeError(
        `einsum: the equation has ${p.letters.length} subscript(s) for operand ${i} but it has ${t.ndim} dim(s)`,
      );
    }
    return p.ellipsisAt === null ? 0 : extra;
  });
  const ellCount = Math.max(0, ...ellDims);
  let terms: Term[] = parsed.map((p, i) => ({
    t: tensors[i]!,
    labels: expandTerm(p, ellDims[i]!, ellCount),
  }));
  const counts = new Map<Label, number>();
  for (const { labels } of terms) for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  let output: Label[];
  if (arrow >= 0) {
    const out = parseTerm(eq.slice(arrow + 2));
    const seen = new Set<Label>();
    for (const l of out.letters) {
      if (!counts.has(l)) {
        throw new TorchletError(
          `einsum: output subscript '${labelName(l)}' does not appear in any input operand`,
        );
      }
      if (seen.has(l))
        throw new TorchletError(`einsum: output subscript '${labelName(l)}' appears more than once`);
      seen.add(l);
    }
    output = expandTerm(out, ellCount, ellCount);
  } else {
    const once = [...counts.keys()].filter((l) => l < ELLIPSIS && counts.get(l) === 1).sort((a, b) => a - b);
    output = [...Array.from({ length: ellCount }, (_, i) => ELLIPSIS + i), ...once];
  }
  const inOutput = new Set(output);
  terms = terms.map((term, i) => dedupe(term, i));
  checkSizes(terms);
  // Labels needed after operand i: the output's and those of later operands.
  const later = terms.map((_, i) => {
    const set = new Set(inOutput);
    for (const term of terms.slice(i + 1)) for (const l of term.labels) set.add(l);
    return set;
  });
  let acc = sumOut(terms[0]!, (l) => !later[0]!.has(l));
  for (let i = 1; i < terms.length; i++) acc = contract(acc, terms[i]!, later[i]!);
  acc = sumOut(acc, (l) => !inOutput.has(l));
  return align(acc, output);
}
