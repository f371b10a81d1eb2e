/** Base class of every error torchlet throws for bad input. Messages start with the op's name. */
export class TorchletError extends Error {
  override name = 'TorchletError';
}

/** Shapes that do not fit the op (`matmul: shapes [2,3] and [4,5] cannot be multiplied (3 != 4)`). */
export class ShapeError extends TorchletError {
  override name = 'ShapeError';
}

/** A dtype the op does not accept. */
export class DTypeError extends TorchletError {
  override name = 'DTypeError';
}

/** An index or dim out of range. */
export class IndexError extends TorchletError {
  override name = 'IndexError';
}

/** Formats a shape as PyTorch prints it in messages: `[2,3]`. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}
