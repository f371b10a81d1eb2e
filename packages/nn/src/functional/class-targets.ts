import { DTypeError, fmtShape, IndexError, ShapeError, type Tensor } from '@torchlet/tensor';

/** The class dim of an input: 0 for [C], else 1. */
export function classDimOf(op: string, input: Tensor): number {
  if (input.ndim === 0) throw new ShapeError(`${op}: expected an input with a class dim, got a 0-d tensor`);
  return input.ndim === 1 ? 0 : 1;
}

/** Checks class-index targets against the input and says whether any equals `ignoreIndex`. */
export function checkTargets(
  op: string,
  input: Tensor,
  target: Tensor,
  classDim: number,
  ignoreIndex?: number,
): boolean {
  if (target.dtype !== 'int32') {
    throw new DTypeError(`${op}: class-index targets must be int32, got ${target.dtype}`);
  }
  const expected = input.shape.filter((_, i) => i !== classDim);
  if (fmtShape(expected) !== fmtShape(target.shape)) {
    throw new ShapeError(
      `${op}: expected target of shape ${fmtShape(expected)} for input of shape ${fmtShape(input.shape)}, got ${fmtShape(target.shape)}`,
    );
  }
  const c = input.shape[classDim]!;
  let ignored = false;
  for (const t of target.dataSync()) {
    if (t === ignoreIndex) ignored = true;
    else if (t < 0 || t >= c) throw new IndexError(`${op}: target ${t} is out of bounds for ${c} classes`);
  }
  return ignored;
}
