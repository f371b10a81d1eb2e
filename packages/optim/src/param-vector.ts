import {
  allocArray,
  contiguousStrides,
  fmtShape,
  fromTypedArray,
  makeView,
  noGrad,
  ShapeError,
  type Tensor,
  TorchletError,
} from '@torchlet/tensor';

function checkSameKind(op: string, tensors: readonly Tensor[]): void {
  if (tensors.length === 0) throw new TorchletError(`${op}: expected at least one parameter`);
  const { dtype, device } = tensors[0]!;
  tensors.forEach((t, i) => {
    if (t.dtype !== dtype || t.device !== device) {
      throw new TorchletError(
        `${op}: all parameters must share a dtype and device; parameter 0 is ${dtype} on '${device}', parameter ${i} is ${t.dtype} on '${t.device}'`,
      );
    }
  });
}

/**
 * Flattens `params` into one 1-D tensor, in order, as `torch.nn.utils.parameters_to_vector`.
 * The result is a copy and is not recorded for autograd.
 *
 * @example parametersToVector(model.parameters()).numel() // number of weights
 */
export function parametersToVector(params: Iterable<Tensor>): Tensor {
  const list = [...params];
  checkSameKind('parametersToVector', list);
  return concatFlat(list, list);
}

/** Concatenates `parts` (null: zeros) flattened, each sized like the matching entry of `like`. */
function concatFlat(parts: readonly (Tensor | null)[], like: readonly Tensor[]): Tensor {
  const { dtype, device } = like[0]!;
  const total = like.reduce((n, p) => n + p.numel(), 0);
  const flat = allocArray(dtype, total);
  let offset = 0;
  like.forEach((p, i) => {
    const part = parts[i];
    if (part) flat.set(part.to(dtype).dataSync(), offset);
    offset += p.numel();
  });
  return fromTypedArray(flat, [total], dtype, device);
}

/** Views of consecutive slices of the 1-D `vec`, shaped like each of `shapes`. */
export function splitVector(op: string, vec: Tensor, shapes: readonly (readonly number[])[]): Tensor[] {
  const total = shapes.reduce((n, s) => n + s.reduce((a, b) => a * b, 1), 0);
  if (vec.ndim !== 1 || vec.numel() !== total) {
    throw new ShapeError(
      `${op}: expected a 1-D vector of ${total} elements, got shape ${fmtShape(vec.shape)}`,
    );
  }
  const dense = vec.contiguous();
  let offset = dense.offset;
  return shapes.map((shape) => {
    const view = makeView(dense, shape, contiguousStrides(shape), offset);
    offset += view.numel();
    return view;
  });
}

/**
 * Copies the consecutive slices of the 1-D `vec` into `params` (in place, under noGrad), as
 * `torch.nn.utils.vector_to_parameters`.
 */
export function vectorToParameters(vec: Tensor, params: Iterable<Tensor>): void {
  const list = [...params];
  const parts = splitVector(
    'vectorToParameters',
    vec,
    list.map((p) => p.shape),
  );
  noGrad(() => {
    list.forEach((p, i) => {
      p.copy_(parts[i]!);
    });
  });
}

/** The gradients of `params` as one 1-D vector (zeros where a parameter has no gradient). */
export function gradientsToVector(params: readonly Tensor[]): Tensor {
  checkSameKind('gradientsToVector', params);
  return concatFlat(
    params.map((p) => p.grad),
    params,
  );
}
