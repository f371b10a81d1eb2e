import { fmtShape, ShapeError, type Tensor } from '@torchlet/tensor';

/** y = x·Wᵀ + b over the last dim of `x` (any number of leading dims). */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  if (x.shape[x.ndim - 1] !== weight.shape[1]) {
    throw new ShapeError(
      `linear: input of shape ${fmtShape(x.shape)} does not match weight of shape ${fmtShape(weight.shape)} (${x.shape[x.ndim - 1]} != ${weight.shape[1]})`,
    );
  }
  const y = x.matmul(weight.T);
  return bias ? y.add(bias) : y;
}

/**
 * y[…, o] = Σᵢⱼ x1[…, i] · W[o, i, j] · x2[…, j] + b[o], as `torch.nn.functional.bilinear`.
 */
export function bilinear(x1: Tensor, x2: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  const [out, in1, in2] = weight.shape as [number, number, number];
  if (x1.shape[x1.ndim - 1] !== in1 || x2.shape[x2.ndim - 1] !== in2) {
    throw new ShapeError(
      `bilinear: inputs of shapes ${fmtShape(x1.shape)} and ${fmtShape(x2.shape)} do not match weight of shape ${fmtShape(weight.shape)}`,
    );
  }
  const lead = x1.shape.slice(0, -1);
  const a = x1.reshape([-1, in1]);
  const b = x2.reshape([-1, in2]);
  // (x1 · W) contracted over i first, then with x2 over j.
  const t = a.matmul(weight.permute(1, 0, 2).reshape([in1, out * in2])).reshape([-1, out, in2]);
  let y = t.mul(b.unsqueeze(1)).sum(-1);
  if (bias) y = y.add(bias);
  return y.reshape([...lead, out]);
}
