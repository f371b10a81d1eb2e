import { record } from '../autograd-hooks.js';
import { run1 } from '../backend.js';
import { DTypeError, fmtShape, ShapeError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { installMethods } from './methods.js';
import { resultType } from './promotion.js';

/**
 * Matrix product with PyTorch's rules: 1-D·1-D is a dot product, a 1-D operand is treated as a
 * row (left) or column (right) vector and that dim removed afterwards, and leading batch dims
 * broadcast (`[B,M,K] @ [K,N]`, `[B,1,M,K] @ [H,K,N]`).
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ShapeError(
      `matmul: both arguments need at least 1 dim, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`,
    );
  }
  const x = a.ndim === 1 ? a.unsqueeze(0) : a;
  const y = b.ndim === 1 ? b.unsqueeze(-1) : b;
  const k1 = x.shape[x.ndim - 1]!;
  const k2 = y.shape[y.ndim - 2]!;
  if (k1 !== k2) {
    throw new ShapeError(
      `matmul: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} cannot be multiplied (${k1} != ${k2})`,
    );
  }
  const dtype = resultType([x, y]);
  if (dtype === 'bool') throw new DTypeError('matmul: bool tensors cannot be multiplied; convert them first');
  const xc = x.dtype === dtype ? x : x.to(dtype);
  const yc = y.dtype === dtype ? y : y.to(dtype);
  let out = record('matmul', [xc, yc], run1('matmul', [xc, yc], { dtype }));
  if (a.ndim === 1) out = out.squeeze(-2);
  if (b.ndim === 1) out = out.squeeze(-1);
  return out;
}

/** 2-D matrix product. */
export function mm(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 2 || b.ndim !== 2) {
    throw new ShapeError(
      `mm: expected 2-D tensors, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`,
    );
  }
  return matmul(a, b);
}

/** Batched matrix product of two 3-D tensors with equal batch size. */
export function bmm(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 3 || b.ndim !== 3 || a.shape[0] !== b.shape[0]) {
    throw new ShapeError(
      `bmm: expected 3-D tensors with the same batch size, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`,
    );
  }
  return matmul(a, b);
}

/** Dot product of two 1-D tensors of equal length. */
export function dot(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 1 || b.ndim !== 1 || a.shape[0] !== b.shape[0]) {
    throw new ShapeError(
      `dot: expected two 1-D tensors of equal length, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`,
    );
  }
  return matmul(a, b);
}

/** Matrix-vector product. */
export function mv(a: Tensor, v: Tensor): Tensor {
  if (a.ndim !== 2 || v.ndim !== 1) {
    throw new ShapeError(
      `mv: expected a 2-D matrix and a 1-D vector, got shapes ${fmtShape(a.shape)} and ${fmtShape(v.shape)}`,
    );
  }
  return matmul(a, v);
}

/** Outer product of two 1-D tensors. */
export function outer(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 1 || b.ndim !== 1) {
    throw new ShapeError(
      `outer: expected two 1-D tensors, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`,
    );
  }
  return a.unsqueeze(1).mul(b.unsqueeze(0));
}

installMethods({ matmul, mm, bmm, dot, mv, outer });

declare module '../tensor.js' {
  interface Tensor {
    /** Matrix product with PyTorch's rules (1-D operands as vectors, batch dims broadcast). */
    matmul(other: Tensor): Tensor;
    /** 2-D matrix product. */
    mm(other: Tensor): Tensor;
    /** Batched product of two 3-D tensors with equal batch size. */
    bmm(other: Tensor): Tensor;
    /** Dot product of two equal-length 1-D tensors (0-d result). */
    dot(other: Tensor): Tensor;
    /** Matrix-vector product. */
    mv(vec: Tensor): Tensor;
    /** Outer product of two 1-D tensors. */
    outer(other: Tensor): Tensor;
  }
}
