import {
  cat,
  fmtShape,
  indexSelect,
  pad,
  ShapeError,
  stack,
  type Tensor,
  TorchletError,
  tensor,
} from '@torchlet/tensor';

/**
 * Variable-length sequences packed time step by time step, as `torch.nn.utils.rnn.PackedSequence`:
 * `data` holds step 0 of every sequence, then step 1 of those still running, …, longest first.
 * Recurrent layers take it directly, so padding never enters their states.
 */
export class PackedSequence {
  constructor(
    /** [Σ lengths, *features]. */
    readonly data: Tensor,
    /** int32 [maxLength]: how many sequences are still running at each step. */
    readonly batchSizes: Tensor,
    /** Batch order by decreasing length (null when the input was already sorted). */
    readonly sortedIndices: Tensor | null = null,
    /** The inverse permutation of `sortedIndices`. */
    readonly unsortedIndices: Tensor | null = null,
  ) {}
}

/** Options of {@link packPaddedSequence}. */
export interface PackOptions {
  /** The input is [B, T, *] instead of [T, B, *]. */
  batchFirst?: boolean;
  /** Require lengths in decreasing order (default true); false sorts them and remembers the order. */
  enforceSorted?: boolean;
}

function lengthList(op: string, lengths: readonly number[] | Tensor): number[] {
  const list = Array.isArray(lengths) ? [...lengths] : Array.from((lengths as Tensor).dataSync(), Number);
  for (const l of list) {
    if (!Number.isInteger(l) || l <= 0) {
      throw new TorchletError(`${op}: every length must be a positive integer, got ${l}`);
    }
  }
  return list;
}

/**
 * Packs a padded batch ([T, B, *], or [B, T, *] with `batchFirst`) of sequences with the given
 * lengths into a {@link PackedSequence}.
 *
 * @example
 * const packed = packPaddedSequence(padded, [3, 2, 1]);
 * const [out, h] = new GRU(4, 8).forward(packed);
 */
export function packPaddedSequence(
  input: Tensor,
  lengths: readonly number[] | Tensor,
  options: PackOptions = {},
): PackedSequence {
  const op = 'packPaddedSequence';
  const x = options.batchFirst ? input.transpose(0, 1) : input;
  const lens = lengthList(op, lengths);
  if (x.ndim < 2 || x.shape[1] !== lens.length) {
    throw new ShapeError(
      `${op}: expected ${options.batchFirst ? '[B, T, *]' : '[T, B, *]'} with B = ${lens.length} sequences, got ${fmtShape(input.shape)}`,
    );
  }
  const longest = Math.max(...lens);
  if (longest > x.shape[0]!) {
    throw new ShapeError(`${op}: a length of ${longest} exceeds the ${x.shape[0]} padded time steps`);
  }
  let order: number[] | null = null;
  if (options.enforceSorted ?? true) {
    if (lens.some((l, i) => i > 0 && l > lens[i - 1]!)) {
      throw new TorchletError(
        `${op}: lengths [${lens.join(', ')}] must be in decreasing order when enforceSorted is true; pass { enforceSorted: false } to sort them`,
      );
    }
  } else {
    order = lens.map((_, i) => i).sort((a, b) => lens[b]! - lens[a]!);
  }
  const sorted = order ? indexSelect(x, 1, order) : x;
  const sortedLens = order ? order.map((i) => lens[i]!) : lens;
  const batchSizes = Array.from({ length: longest }, (_, t) => sortedLens.filter((l) => l > t).length);
  const data = cat(
    batchSizes.map((n, t) => sorted.select(0, t).narrow(0, 0, n)),
    0,
  );
  const inverse = order ? order.map((_, i) => order!.indexOf(i)) : null;
  return new PackedSequence(
    data,
    tensor(batchSizes, { dtype: 'int32' }),
    order ? tensor(order, { dtype: 'int32' }) : null,
    inverse ? tensor(inverse, { dtype: 'int32' }) : null,
  );
}

/** Options of {@link padPackedSequence}. */
export interface UnpackOptions {
  /** Return [B, T, *] instead of [T, B, *]. */
  batchFirst?: boolean;
  /** Value of the padded positions (default 0). */
  paddingValue?: number;
  /** Pad to this many time steps (at least the longest sequence). */
  totalLength?: number;
}

/** The lengths of a packed batch, in its original (unsorted) order. */
function packedLengths(seq: PackedSequence): number[] {
  const sizes = Array.from(seq.batchSizes.dataSync(), Number);
  const sortedLens = Array.from({ length: sizes[0] ?? 0 }, (_, b) => sizes.filter((n) => n > b).length);
  if (!seq.unsortedIndices) return sortedLens;
  return Array.from(seq.unsortedIndices.dataSync(), (i) => sortedLens[i]!);
}

/**
 * Unpacks a {@link PackedSequence} into a padded batch and its lengths (int32, original order), as
 * `torch.nn.utils.rnn.pad_packed_sequence`.
 */
export function padPackedSequence(seq: PackedSequence, options: UnpackOptions = {}): [Tensor, Tensor] {
  const sizes = Array.from(seq.batchSizes.dataSync(), Number);
  const batch = sizes[0] ?? 0;
  const steps = options.totalLength ?? sizes.length;
  if (steps < sizes.length) {
    throw new TorchletError(
      `padPackedSequence: totalLength ${steps} is shorter than the longest sequence (${sizes.length})`,
    );
  }
  const value = options.paddingValue ?? 0;
  const features = seq.data.ndim - 1;
  const rowPad = (rows: number) => [...Array(2 * features).fill(0), 0, rows];
  let offset = 0;
  const rows = sizes.map((n) => {
    const step = seq.data.narrow(0, offset, n);
    offset += n;
    return n < batch ? pad(step, rowPad(batch - n), { value }) : step;
  });
  let padded = stack(rows, 0);
  if (steps > sizes.length)
    padded = pad(padded, [...Array(2 * (features + 1)).fill(0), 0, steps - sizes.length], { value });
  if (seq.unsortedIndices) padded = indexSelect(padded, 1, seq.unsortedIndices);
  return [
    options.batchFirst ? padded.transpose(0, 1) : padded,
    tensor(packedLengths(seq), { dtype: 'int32' }),
  ];
}

/**
 * Pads a list of [Lᵢ, *] sequences to the longest and stacks them: [T, B, *] (or [B, T, *]), as
 * `torch.nn.utils.rnn.pad_sequence`.
 */
export function padSequence(
  sequences: readonly Tensor[],
  options: { batchFirst?: boolean; paddingValue?: number } = {},
): Tensor {
  if (sequences.length === 0) throw new TorchletError('padSequence: expected at least one sequence');
  const longest = Math.max(...sequences.map((s) => s.shape[0] ?? 0));
  const value = options.paddingValue ?? 0;
  const padded = sequences.map((s) => {
    const n = longest - s.shape[0]!;
    return n > 0 ? pad(s, [...Array(2 * (s.ndim - 1)).fill(0), 0, n], { value }) : s;
  });
  return stack(padded, options.batchFirst ? 0 : 1);
}

/** Packs a list of [Lᵢ, *] sequences, as `torch.nn.utils.rnn.pack_sequence`. */
export function packSequence(
  sequences: readonly Tensor[],
  options: { enforceSorted?: boolean } = {},
): PackedSequence {
  return packPaddedSequence(
    padSequence(sequences),
    sequences.map((s) => s.shape[0]!),
    options,
  );
}

/** The padded batch and lengths of a packed one, for layers that run it with masks. */
export function unpackForRecurrence(seq: PackedSequence): { padded: Tensor; lengths: number[] } {
  const [padded, lengths] = padPackedSequence(seq);
  return { padded, lengths: Array.from(lengths.dataSync(), Number) };
}
