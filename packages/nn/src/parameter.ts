import { isFloating, type Tensor, Tensor as TensorClass, TorchletError } from '@torchlet/tensor';

/**
 * A tensor that is a learnable weight of a {@link Module}: assigning one to a module property
 * registers it, so it shows up in `parameters()` and `stateDict()`. It shares storage with the
 * tensor it wraps and requires grad unless told otherwise.
 *
 * @example
 * this.scale = new Parameter(ones([3]));
 */
export class Parameter extends TensorClass {
  constructor(data: Tensor, requiresGrad = true) {
    if (requiresGrad && !isFloating(data.dtype)) {
      throw new TorchletError(`Parameter: only floating tensors can require grad, got ${data.dtype}`);
    }
    super(data.storage, [...data.shape], [...data.strides], data.offset);
    this.requiresGrad = requiresGrad;
  }

  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}
