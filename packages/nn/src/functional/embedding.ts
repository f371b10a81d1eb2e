import {
  DTypeError,
  fmtShape,
  IndexError,
  indexAdd,
  indexSelect,
  ShapeError,
  scatterReduce,
  type Tensor,
  TorchletError,
  tensor,
  where,
  zeros,
} from '@torchlet/tensor';

/**
 * Looks up rows of `weight` by the int32 indices in `input`: the result has shape
 * `[...input.shape, embeddingDim]`. The row at `paddingIdx` receives no gradient.
 */
export function embedding(
  input: Tensor,
  weight: Tensor,
  options: { paddingIdx?: number | null } = {},
): Tensor {
  if (input.dtype !== 'int32') {
    throw new DTypeError(`embedding: indices must be int32, got ${input.dtype}`);
  }
  const rows = indexSelect(weight, 0, input.reshape([-1]));
  const out = rows.reshape([...input.shape, weight.shape[1]!]);
  const pad = options.paddingIdx;
  if (pad === undefined || pad === null || !weight.requiresGrad) return out;
  const idx = pad < 0 ? pad + weight.shape[0]! : pad;
  // Same values, but positions that look up the padding row are cut from the graph.
  return where(input.ne(idx).unsqueeze(-1), out, out.detach());
}

/** How {@link embeddingBag} combines the rows of a bag. */
export type EmbeddingBagMode = 'sum' | 'mean' | 'max';

/** Options of {@link embeddingBag} (`F.embedding_bag`). */
export interface EmbeddingBagOptions {
  /** Start of each bag in a 1-D `input` (int32); not allowed with 2-D input (one bag per row). */
  offsets?: Tensor | null;
  /** 'mean' (default), 'sum' or 'max'. */
  mode?: EmbeddingBagMode;
  /** A weight per index (input's shape), multiplied into the rows; 'sum' mode only. */
  perSampleWeights?: Tensor | null;
  /** Indices equal to this take no part (not counted in means, no gradient). */
  paddingIdx?: number | null;
  /** `offsets` has one more entry: the end of the last bag (CSR layout). */
  includeLastOffset?: boolean;
}

/** The bag of every index position, from 2-D input or 1-D input with offsets. */
function bagIds(op: string, input: Tensor, options: EmbeddingBagOptions): { bag: Int32Array; bags: number } {
  const n = input.numel();
  const { offsets } = options;
  if (input.ndim === 2) {
    if (offsets) throw new ShapeError(`${op}: offsets must be omitted for 2-D input (each row is a bag)`);
    const len = input.shape[1]!;
    return { bag: Int32Array.from({ length: n }, (_, i) => Math.floor(i / len)), bags: input.shape[0]! };
  }
  if (input.ndim !== 1 || !offsets || offsets.ndim !== 1) {
    throw new ShapeError(
      `${op}: expected 2-D input, or 1-D input with 1-D offsets, got input ${fmtShape(input.shape)} and offsets ${offsets ? fmtShape(offsets.shape) : 'none'}`,
    );
  }
  if (offsets.dtype !== 'int32') throw new DTypeError(`${op}: offsets must be int32, got ${offsets.dtype}`);
  const starts = Array.from(offsets.dataSync());
  const ends = options.includeLastOffset ? starts.splice(-1, 1) : [];
  const bags = starts.length;
  const bounds = [...starts, ends[0] ?? n];
  if (bags > 0 && bounds[0] !== 0) throw new IndexError(`${op}: offsets[0] must be 0, got ${bounds[0]}`);
  const bag = new Int32Array(n).fill(-1);
  for (let b = 0; b < bags; b++) {
    const [lo, hi] = [bounds[b]!, Math.min(bounds[b + 1]!, n)];
    if (hi < lo || lo > n) {
      throw new IndexError(
        `${op}: offsets must be non-decreasing and at most ${n}, got [${bounds.join(', ')}]`,
      );
    }
    bag.fill(b, lo, hi);
  }
  return { bag, bags };
}

/**
 * Sums, averages or maxes bags of embedding rows without building the [bag, index, dim]
 * intermediate, as `torch.nn.functional.embedding_bag`; empty bags give zeros.
 *
 * @example
 * // Two bags: indices [1, 2, 4] and [4, 3].
 * embeddingBag(tensor([1, 2, 4, 4, 3], { dtype: 'int32' }), weight, { offsets: tensor([0, 3], { dtype: 'int32' }) });
 */
export function embeddingBag(input: Tensor, weight: Tensor, options: EmbeddingBagOptions = {}): Tensor {
  const op = 'embeddingBag';
  const { mode = 'mean', perSampleWeights: psw, paddingIdx } = options;
  if (input.dtype !== 'int32') throw new DTypeError(`${op}: indices must be int32, got ${input.dtype}`);
  if (mode !== 'sum' && mode !== 'mean' && mode !== 'max') {
    throw new TorchletError(`${op}: mode must be 'sum', 'mean' or 'max', got '${String(mode)}'`);
  }
  if (weight.ndim !== 2)
    throw new ShapeError(`${op}: expected a 2-D weight, got shape ${fmtShape(weight.shape)}`);
  if (psw && (mode !== 'sum' || fmtShape(psw.shape) !== fmtShape(input.shape))) {
    throw new ShapeError(
      `${op}: perSampleWeights need mode 'sum' and the input's shape ${fmtShape(input.shape)}, got mode '${mode}' and shape ${fmtShape(psw.shape)}`,
    );
  }
  const { bag, bags } = bagIds(op, input, options);
  const indices = input.dataSync();
  const pad =
    paddingIdx === undefined || paddingIdx === null ? -1 : (paddingIdx + weight.shape[0]!) % weight.shape[0]!;
  const kept: number[] = [];
  for (let i = 0; i < indices.length; i++) if (bag[i]! >= 0 && indices[i] !== pad) kept.push(i);
  const device = weight.device;
  const positions = tensor(Int32Array.from(kept), { dtype: 'int32', device: input.device });
  const keptBags = tensor(
    Int32Array.from(kept, (i) => bag[i]!),
    { dtype: 'int32', device },
  );
  let rows = indexSelect(weight, 0, indexSelect(input.reshape([-1]), 0, positions));
  if (psw) rows = rows.mul(indexSelect(psw.reshape([-1]), 0, positions).unsqueeze(1));
  const dim = weight.shape[1]!;
  const out = zeros([bags, dim], { dtype: weight.dtype, device });
  if (mode === 'max') {
    const spread = keptBags.unsqueeze(1).expand([kept.length, dim]);
    return scatterReduce(out, 0, spread, rows, 'amax', { includeSelf: false });
  }
  const sums = indexAdd(out, 0, keptBags, rows);
  if (mode === 'sum') return sums;
  const counts = new Float64Array(bags);
  for (const i of kept) counts[bag[i]!]! += 1;
  const divisor = tensor(
    Float64Array.from(counts, (c) => Math.max(c, 1)),
    {
      shape: [bags, 1],
      dtype: weight.dtype,
      device,
    },
  );
  return sums.div(divisor);
}
