import { record } from '../autograd-hooks.js';
import { run1 } from '../backend.js';
import { isFloating } from '../dtype.js';
import { DTypeError, fmtShape, ShapeError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { type ConvGeometry, checkOutSize, expandArg, type SizeArg, windowOutSize } from './window.js';

/** Options of `unfold`, as PyTorch's F.unfold. */
export interface UnfoldOptions {
  kernelSize: SizeArg;
  dilation?: SizeArg;
  padding?: SizeArg;
  stride?: SizeArg;
}

/** Options of `fold`, as PyTorch's F.fold. */
export interface FoldOptions extends UnfoldOptions {
  /** Spatial size [H, W] of the image the blocks are summed into. */
  outputSize: SizeArg;
}

/** Block geometry of an H×W image (`inSize`); `outSize` is the grid of block positions. */
function blockGeometry(
  op: string,
  image: number[],
  options: UnfoldOptions,
  shown: readonly number[],
): ConvGeometry {
  const kernelSize = expandArg(op, 'kernelSize', options.kernelSize, 2, 1);
  const dilation = expandArg(op, 'dilation', options.dilation ?? 1, 2, 1);
  const padding = expandArg(op, 'padding', options.padding ?? 0, 2, 0);
  const stride = expandArg(op, 'stride', options.stride ?? 1, 2, 1);
  const outSize = image.map((s, i) =>
    windowOutSize(s, kernelSize[i]!, stride[i]!, 2 * padding[i]!, dilation[i]!),
  );
  checkOutSize(op, shown, outSize);
  return { kernelSize, dilation, padding, stride, groups: 1, inSize: image, outSize };
}

function checkFloating(op: string, x: Tensor): void {
  if (!isFloating(x.dtype)) throw new DTypeError(`${op}: expected a floating input, got ${x.dtype}`);
}

/** unfold of [N,C,H,W] with a resolved geometry (the op `unfold`). */
export function unfoldBlocks(x: Tensor, geometry: ConvGeometry): Tensor {
  return record('unfold', [x], run1('unfold', [x], { ...geometry }), { ...geometry });
}

/** fold of [N, C·KH·KW, L] with a resolved geometry (the op `fold`). */
export function foldBlocks(cols: Tensor, geometry: ConvGeometry): Tensor {
  return record('fold', [cols], run1('fold', [cols], { ...geometry }), { ...geometry });
}

/**
 * Extracts sliding blocks (im2col): [N, C, H, W] (or [C, H, W]) → [N, C·KH·KW, L], one column per
 * block position, as PyTorch's `F.unfold`.
 *
 * @example
 * unfold(x, { kernelSize: 2, stride: 2 }); // x [1,3,4,4] → [1,12,4]
 */
export function unfold(x: Tensor, options: UnfoldOptions): Tensor {
  checkFloating('unfold', x);
  if (x.ndim !== 3 && x.ndim !== 4) {
    throw new ShapeError(
      `unfold: expected 3-D (unbatched) or 4-D (batched) input, got shape ${fmtShape(x.shape)}`,
    );
  }
  const x4 = x.ndim === 3 ? x.unsqueeze(0) : x;
  const y = unfoldBlocks(x4, blockGeometry('unfold', x4.shape.slice(2), options, x.shape));
  return x.ndim === 3 ? y.squeeze(0) : y;
}

/**
 * Sums sliding blocks back into an image (col2im), the adjoint of `unfold`: [N, C·KH·KW, L] (or
 * [C·KH·KW, L]) → [N, C, outputSize[0], outputSize[1]], as PyTorch's `F.fold`.
 */
export function fold(x: Tensor, options: FoldOptions): Tensor {
  checkFloating('fold', x);
  if (x.ndim !== 2 && x.ndim !== 3) {
    throw new ShapeError(
      `fold: expected 2-D (unbatched) or 3-D (batched) input, got shape ${fmtShape(x.shape)}`,
    );
  }
  const x3 = x.ndim === 2 ? x.unsqueeze(0) : x;
  const image = expandArg('fold', 'outputSize', options.outputSize, 2, 1);
  const g = blockGeometry('fold', image, options, image);
  const taps = g.kernelSize[0]! * g.kernelSize[1]!;
  const [, rows, L] = x3.shape as [number, number, number];
  if (rows % taps !== 0) {
    throw new ShapeError(
      `fold: expected dim ${x.ndim - 2} of the input (${rows}) to be divisible by the kernel size product ${taps}, got shape ${fmtShape(x.shape)}`,
    );
  }
  const blocks = g.outSize[0]! * g.outSize[1]!;
  if (L !== blocks) {
    throw new ShapeError(
      `fold: expected ${blocks} blocks (dim ${x.ndim - 1}) for outputSize [${image.join(',')}] and the given kernel, got ${L} in shape ${fmtShape(x.shape)}`,
    );
  }
  const y = foldBlocks(x3, g);
  return x.ndim === 2 ? y.squeeze(0) : y;
}
