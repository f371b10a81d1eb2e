/**
 * Weight initialization, as `torch.nn.init`: every function fills a tensor in place (without
 * recording for autograd), draws from the default generator unless one is passed, and returns
 * the tensor.
 *
 * @example
 * import { init } from '@torchlet/nn';
 * init.kaimingNormal_(layer.weight, { nonlinearity: 'relu' });
 */
import {
  erf,
  eye,
  fmtShape,
  full,
  type Generator,
  linalg,
  noGrad,
  randn,
  ShapeError,
  scalarTensor,
  type Tensor,
  TorchletError,
  uniform,
} from '@torchlet/tensor';

/** Activation names known to {@link calculateGain} (snake_case PyTorch spellings are accepted too). */
export type Nonlinearity =
  | 'linear'
  | 'identity'
  | 'conv1d'
  | 'conv2d'
  | 'conv3d'
  | 'convTranspose1d'
  | 'convTranspose2d'
  | 'convTranspose3d'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leakyRelu'
  | 'selu';

/** Which fan the variance is scaled by: inputs (preserves forward magnitudes) or outputs (backward). */
export type FanMode = 'fanIn' | 'fanOut';

const UNIT_GAIN = new Set([
  'linear',
  'identity',
  'conv1d',
  'conv2d',
  'conv3d',
  'convtranspose1d',
  'convtranspose2d',
  'convtranspose3d',
  'sigmoid',
]);

/**
 * The recommended gain for an activation: 1 for linear/conv/sigmoid, 5/3 for tanh, √2 for relu,
 * √(2/(1+slope²)) for leaky relu (slope `param`, default 0.01) and 3/4 for selu.
 */
export function calculateGain(nonlinearity: Nonlinearity | string, param?: number): number {
  const key = nonlinearity.replace(/_/g, '').toLowerCase();
  if (UNIT_GAIN.has(key)) return 1;
  switch (key) {
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leakyrelu': {
      const slope = param ?? 0.01;
      if (!Number.isFinite(slope))
        throw new TorchletError(`calculateGain: negative slope ${param} is not a number`);
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new TorchletError(`calculateGain: unsupported nonlinearity '${nonlinearity}'`);
  }
}

/** [fanIn, fanOut] of a weight: dim 1 and dim 0 sizes times the receptive field (dims 2…). */
export function calculateFanInAndFanOut(t: Tensor): [number, number] {
  if (t.ndim < 2) {
    throw new ShapeError(
      `calculateFanInAndFanOut: fan in and fan out cannot be computed for a tensor with fewer than 2 dims, got shape ${fmtShape(t.shape)}`,
    );
  }
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return [t.shape[1]! * receptive, t.shape[0]! * receptive];
}

function fan(t: Tensor, mode: FanMode): number {
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  if (mode !== 'fanIn' && mode !== 'fanOut') {
    throw new TorchletError(`init: mode must be 'fanIn' or 'fanOut', got '${String(mode)}'`);
  }
  return mode === 'fanIn' ? fanIn : fanOut;
}

/** Fills with U(a, b). */
export function uniform_(t: Tensor, a = 0, b = 1, generator?: Generator): Tensor {
  return noGrad(() => t.uniform_(a, b, generator));
}

/** Fills with N(mean, std²). */
export function normal_(t: Tensor, mean = 0, std = 1, generator?: Generator): Tensor {
  return noGrad(() => t.normal_(mean, std, generator));
}

/** Fills with `value`. */
export function constant_(t: Tensor, value: number): Tensor {
  // A full-shaped source rather than `fill_`: broadcasting a 0-d value in place is not dependable
  // in the tensor package at the moment (see the nn report).
  return noGrad(() => t.copy_(full(t.shape, value, { dtype: t.dtype, device: t.device })));
}

/** Fills with ones. */
export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}

/** Fills with zeros. */
export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}

/** Fills a 2-D tensor with the identity (ones on the diagonal of a possibly non-square matrix). */
export function eye_(t: Tensor): Tensor {
  if (t.ndim !== 2)
    throw new ShapeError(`eye_: only 2-D tensors are supported, got shape ${fmtShape(t.shape)}`);
  return noGrad(() => t.copy_(eye(t.shape[0]!, t.shape[1]!, { dtype: t.dtype })));
}

/** Glorot/Xavier uniform: U(−a, a) with a = gain·√(6/(fanIn + fanOut)). */
export function xavierUniform_(t: Tensor, gain = 1, generator?: Generator): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  const a = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, -a, a, generator);
}

/** Glorot/Xavier normal: N(0, std²) with std = gain·√(2/(fanIn + fanOut)). */
export function xavierNormal_(t: Tensor, gain = 1, generator?: Generator): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  return normal_(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)), generator);
}

/** Options of the Kaiming (He) initializers. */
export interface KaimingOptions {
  /** Negative slope of the leaky ReLU that follows (default 0). */
  a?: number;
  /** 'fanIn' (default) or 'fanOut'. */
  mode?: FanMode;
  /** The activation that follows (default 'leakyRelu'). */
  nonlinearity?: Nonlinearity | string;
  generator?: Generator;
}

function kaimingStd(t: Tensor, options: KaimingOptions): number {
  const { a = 0, mode = 'fanIn', nonlinearity = 'leakyRelu' } = options;
  return calculateGain(nonlinearity, a) / Math.sqrt(fan(t, mode));
}

/** He uniform: U(−b, b) with b = gain·√(3/fan). Linear and conv layers use it with a = √5. */
export function kaimingUniform_(t: Tensor, options: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd(t, options);
  return uniform_(t, -bound, bound, options.generator);
}

/** He normal: N(0, std²) with std = gain/√fan. */
export function kaimingNormal_(t: Tensor, options: KaimingOptions = {}): Tensor {
  return normal_(t, 0, kaimingStd(t, options), options.generator);
}

/** Options of {@link truncNormal_}. */
export interface TruncNormalOptions {
  mean?: number;
  std?: number;
  /** Lower cutoff (default −2). */
  a?: number;
  /** Upper cutoff (default 2). */
  b?: number;
  generator?: Generator;
}

const normCdf = (x: number): number => (1 + erf(scalarTensor(x / Math.SQRT2, 'float64')).item()) / 2;

/**
 * Fills with N(mean, std²) truncated to [a, b], by inverse-CDF sampling as PyTorch does: draw
 * uniformly between the CDF values of the cutoffs and map back through erfinv.
 */
export function truncNormal_(t: Tensor, options: TruncNormalOptions = {}): Tensor {
  const { mean = 0, std = 1, a = -2, b = 2, generator } = options;
  if (!(a < b)) throw new TorchletError(`truncNormal_: expected a < b, got a ${a} and b ${b}`);
  const l = normCdf((a - mean) / std);
  const u = normCdf((b - mean) / std);
  return noGrad(() => {
    const dtype = t.dtype === 'float64' ? 'float64' : 'float32';
    const v = uniform(t.shape, 2 * l - 1, 2 * u - 1, { dtype, generator })
      .erfinv()
      .mul(std * Math.SQRT2)
      .add(mean)
      .clamp(a, b);
    return t.copy_(v);
  });
}

/**
 * Fills with a (semi-)orthogonal matrix scaled by `gain`: the Q of a QR decomposition of a
 * normal matrix, sign-corrected so the distribution is uniform (Saxe et al. 2013). Dims after
 * the first are flattened.
 */
export function orthogonal_(t: Tensor, gain = 1, generator?: Generator): Tensor {
  if (t.ndim < 2)
    throw new ShapeError(
      `orthogonal_: only tensors with 2 or more dims are supported, got shape ${fmtShape(t.shape)}`,
    );
  const rows = t.shape[0]!;
  const cols = t.numel() / rows;
  return noGrad(() => {
    let flat = randn([rows, cols], { dtype: 'float64', generator });
    if (rows < cols) flat = flat.T;
    const { Q, R } = linalg.qr(flat);
    // Multiplying column j by sign(R[j, j]) makes the factorization unique, hence Q uniform.
    const signs = R.mul(eye(R.shape[0]!, R.shape[1]!, { dtype: 'float64' }))
      .sum(0)
      .sign();
    let q = Q.mul(signs.unsqueeze(0));
    if (rows < cols) q = q.T;
    return t.copy_(q.reshape(t.shape).mul(gain).to(t.dtype));
  });
}
