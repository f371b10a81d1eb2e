import { manualSeed, ones, randn, type Tensor, tensor } from '@torchlet/tensor';
import { describe, expect, it, vi } from 'vitest';
import {
  AdaptiveMaxPool2d,
  AlphaDropout,
  ChannelShuffle,
  ConstantPad2d,
  CosineSimilarity,
  Dropout1d,
  Dropout2d,
  Embedding,
  EmbeddingBag,
  F,
  GLU,
  Heaviside,
  InstanceNorm1d,
  Linear,
  LocalResponseNorm,
  LPPool2d,
  MaxPool2d,
  MaxUnpool2d,
  MultiLabelMarginLoss,
  MultiMarginLoss,
  PairwiseDistance,
  ReflectionPad1d,
  ReplicationPad2d,
  RMSNorm,
  Softmax2d,
  TripletMarginWithDistanceLoss,
  Unfold,
  Upsample,
  ZeroPad2d,
} from '../index.js';

describe('layer behaviour beyond the PyTorch fixtures', () => {
  it('Embedding.fromPretrained copies the weights and freezes them unless told otherwise', () => {
    const w = tensor([
      [1, 2],
      [3, 4],
    ]);
    const emb = Embedding.fromPretrained(w);
    expect(emb.weight.requiresGrad).toBe(false);
    expect(emb.call(tensor([1, 0], { dtype: 'int32' })).toArray()).toEqual([
      [3, 4],
      [1, 2],
    ]);
    expect(Embedding.fromPretrained(w, { freeze: false }).weight.requiresGrad).toBe(true);
    expect(() => emb.call(tensor([0.5]))).toThrow(/indices must be int32/);
  });

  it('MaxPool2d with returnIndices returns [values, indices], typed as a pair', () => {
    const [values, indices]: [Tensor, Tensor] = new MaxPool2d(2, { returnIndices: true }).call(
      tensor([
        [
          [
            [1, 5],
            [3, 2],
          ],
        ],
      ]),
    );
    expect(values.toArray()).toEqual([[[[5]]]]);
    expect(indices.toArray()).toEqual([[[[1]]]]);
  });

  it('Dropout2d drops whole channels', () => {
    manualSeed(1);
    const out = new Dropout2d(0.5).call(ones([4, 8, 3, 3]));
    for (const plane of out.reshape([32, 9]).toArray() as number[][]) expect(new Set(plane).size).toBe(1);
  });

  it('Dropout2d takes a 3-D input as [N, C, L], as PyTorch does (one draw per row)', () => {
    manualSeed(2);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const out = new Dropout2d(0.5).call(ones([6, 5, 4]));
    const rows = out.reshape([30, 4]).toArray() as number[][];
    for (const row of rows) expect(new Set(row).size).toBe(1);
    // Draws differ along dim 1 too, which the [C, H, W] reading would not allow.
    expect(new Set(rows.map((r) => r[0])).size).toBe(2);
    expect(new Set(out.index(0).index(':, 0').toArray() as number[]).size).toBe(2);
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
  });

  it('Heaviside is the perceptron step: 1 where x > 0', () => {
    expect(new Heaviside().call(tensor([-1, 0, 2])).toArray()).toEqual([0, 0, 1]);
    expect(new Heaviside(0.5).call(tensor([0])).toArray()).toEqual([0.5]);
  });

  it('Linear names its input mismatch', () => {
    expect(() => new Linear(3, 2).call(randn([4, 5]))).toThrow(
      /linear: input of shape \[4,5\] does not match weight of shape \[2,3\]/,
    );
  });

  it('Upsample needs exactly one of size and scaleFactor', () => {
    expect(() => new Upsample({})).toThrow(/exactly one of size and scaleFactor/);
  });
});

describe('pooling, padding, normalization, distance, dropout and loss modules added for torch.nn coverage', () => {
  it('AdaptiveMaxPool2d with returnIndices returns [values, indices] that MaxUnpool2d inverts', () => {
    const x = tensor([
      [
        [
          [1, 5, 2, 0],
          [3, 2, 7, 1],
        ],
      ],
    ]);
    const [values, indices]: [Tensor, Tensor] = new AdaptiveMaxPool2d([1, 2], { returnIndices: true }).call(
      x,
    );
    expect(values.toArray()).toEqual([[[[5, 7]]]]);
    expect(indices.toArray()).toEqual([[[[1, 6]]]]);
    const back = new MaxUnpool2d(2).call(values, indices);
    expect(back.toArray()).toEqual([
      [
        [
          [0, 5, 0, 0],
          [0, 0, 7, 0],
        ],
      ],
    ]);
    // An odd input size is recovered only with an explicit output size, as in PyTorch.
    const [v, i] = new MaxPool2d(2, { returnIndices: true }).call(randn([1, 1, 5, 5]));
    expect(new MaxUnpool2d(2).call(v, i, [1, 1, 5, 5]).shape).toEqual([1, 1, 5, 5]);
    expect(() => new MaxUnpool2d(2).call(v, i.mul(0).add(16))).toThrow(
      /maxUnpool2d: found an invalid max index 16 \(output planes are of size 4x4\)/,
    );
  });

  it('padding layers name themselves and the sizes they need', () => {
    expect(() => new ReflectionPad1d(3).call(randn([1, 2, 3]))).toThrow(
      /ReflectionPad1d: padding \(3, 3\) must be non-negative and smaller than the size 3 of dim 2 \(input shape \[1,2,3\]\)/,
    );
    expect(() => new ReplicationPad2d(1).call(randn([4, 4]))).toThrow(
      /ReplicationPad2d: expected a 3 or 4-D input, got shape \[4,4\]/,
    );
    expect(() => new ConstantPad2d([1, 2, 3] as never, 0)).toThrow(
      /ConstantPad2d: padding must be an integer or 4 integers/,
    );
    expect(new ConstantPad2d(1, 3.5).toString()).toBe('ConstantPad2d(padding=[1, 1, 1, 1], value=3.5)');
    expect(new ReflectionPad1d([2, 1]).toString()).toBe('ReflectionPad1d([2, 1])');
    expect(new ZeroPad2d(1).toString()).toBe('ZeroPad2d([1, 1, 1, 1])');
  });

  it('shape errors name the module and show the shapes', () => {
    expect(() => new Softmax2d().call(randn([2, 3]))).toThrow(
      /Softmax2d: expected a 3-D or 4-D input, got shape \[2,3\]/,
    );
    expect(() => new InstanceNorm1d(3).call(randn([2, 4, 5]))).toThrow(
      /InstanceNorm1d: expected 3 channels, got shape \[2,4,5\]/,
    );
    expect(() => new InstanceNorm1d(3).call(randn([2, 3, 4, 5]))).toThrow(
      /InstanceNorm1d: expected 2-D or 3-D input/,
    );
    expect(() => new RMSNorm([4]).call(randn([2, 3]))).toThrow(
      /rmsNorm: input of shape \[2,3\] does not end with normalizedShape \[4\]/,
    );
    expect(() => new LocalResponseNorm(2).call(randn([2, 3]))).toThrow(
      /localResponseNorm: expected 3-D or higher/,
    );
    expect(() => new GLU().call(randn([2, 3]))).toThrow(
      /glu: dim -1 must exist and have an even size, got shape \[2,3\]/,
    );
    expect(() => new ChannelShuffle(4).call(randn([1, 6, 2]))).toThrow(
      /channelShuffle: .*divisible by 4 groups, got shape \[1,6,2\]/,
    );
    expect(() => new PairwiseDistance().call(randn([2, 3]), randn([2, 4]))).toThrow(
      /PairwiseDistance: inputs of shapes \[2,3\] and \[2,4\] do not match in dim -1/,
    );
    expect(() => new CosineSimilarity().call(randn([2, 3]), randn([2, 4]))).toThrow(
      /CosineSimilarity: inputs of shapes \[2,3\] and \[2,4\] do not match in dim 1/,
    );
    expect(() => new Dropout1d().call(randn([2, 3, 4, 5]))).toThrow(/dropout1d: expected a 2-D or 3-D input/);
    expect(() => new Unfold(2).call(randn([2, 3]))).toThrow(/unfold: expected 3-D/);
  });

  it("RMSNorm defaults eps to the dtype's machine epsilon, as PyTorch 2.4", () => {
    const x = tensor([[0, 0, 0]]);
    expect(new RMSNorm(3).toString()).toBe('RMSNorm([3], eps=null, elementwiseAffine=true)');
    // With x = 0 only eps is left: 0 / sqrt(eps) = 0, not NaN.
    expect(new RMSNorm(3).call(x).toArray()).toEqual([[0, 0, 0]]);
    const y = new RMSNorm(2, { elementwiseAffine: false }).call(tensor([[3, 4]], { dtype: 'float64' }));
    const rms = Math.sqrt(12.5 + Number.EPSILON);
    expect(y.toArray()).toEqual([[3 / rms, 4 / rms]]);
  });

  it('LPPool2d with p = 1 sums each window', () => {
    const out = new LPPool2d(1, 2).call(
      tensor([
        [
          [
            [1, 2],
            [3, 4],
          ],
        ],
      ]),
    );
    expect(out.toArray()).toEqual([[[[10]]]]);
  });

  it('AlphaDropout keeps zero mean and unit variance (seeded) and is the identity in eval mode', () => {
    manualSeed(0);
    const x = randn([40000], { dtype: 'float64' });
    const layer = new AlphaDropout(0.2);
    const y = layer.call(x);
    const [v, m] = [y.var().item(), y.mean().item()];
    expect(Math.abs(m)).toBeLessThan(0.03);
    expect(Math.abs(v - 1)).toBeLessThan(0.03);
    // Dropped entries all take one value: a·α′·(p − 1) with PyTorch's constants.
    const a = 1 / Math.sqrt((1.7580993408473766 ** 2 * 0.2 + 1) * 0.8);
    const dropped =
      y
        .sub(a * 1.7580993408473766 * -0.8)
        .abs()
        .lt(1e-12)
        .sum()
        .item() / 40000;
    expect(Math.abs(dropped - 0.2)).toBeLessThan(0.01);
    layer.eval();
    expect(layer.call(x)).toBe(x);
  });

  it('Dropout1d drops whole channels', () => {
    manualSeed(2);
    const out = new Dropout1d(0.5).call(ones([4, 8, 5]));
    for (const row of out.reshape([32, 5]).toArray() as number[][]) expect(new Set(row).size).toBe(1);
  });

  it('EmbeddingBag checks its inputs and gives zeros for empty bags', () => {
    const bag = new EmbeddingBag(5, 2, { mode: 'max' });
    const out = bag.call(tensor([1, 2], { dtype: 'int32' }), tensor([0, 2], { dtype: 'int32' }));
    expect(out.shape).toEqual([2, 2]);
    expect(out.select(0, 1).toArray()).toEqual([0, 0]);
    expect(() => bag.call(tensor([[1, 2]], { dtype: 'int32' }), tensor([0], { dtype: 'int32' }))).toThrow(
      /embeddingBag: offsets must be omitted for 2-D input/,
    );
    expect(() =>
      bag.call(tensor([1, 2], { dtype: 'int32' }), tensor([0], { dtype: 'int32' }), tensor([1, 1])),
    ).toThrow(/perSampleWeights need mode 'sum'/);
    expect(() => bag.call(tensor([1, 2], { dtype: 'int32' }), tensor([1], { dtype: 'int32' }))).toThrow(
      /offsets\[0\] must be 0/,
    );
    expect(bag.toString()).toBe("EmbeddingBag(5, 2, mode='max')");
  });

  it('losses check targets and margins', () => {
    expect(() => new MultiMarginLoss().call(randn([2, 3]), tensor([0, 3], { dtype: 'int32' }))).toThrow(
      /multiMarginLoss: target 3 is out of bounds for 3 classes/,
    );
    expect(() => new MultiMarginLoss({ p: 3 as 1 })).toThrow(/MultiMarginLoss: p must be 1 or 2, got 3/);
    expect(() => new MultiLabelMarginLoss().call(randn([2, 3]), tensor([0, 1], { dtype: 'int32' }))).toThrow(
      /multilabelMarginLoss: expected \[N, C\] or \[C\] input and a target of the same shape, got \[2,3\] and \[2\]/,
    );
    expect(() =>
      new TripletMarginWithDistanceLoss({ margin: 0 }).call(randn([2]), randn([2]), randn([2])),
    ).toThrow(/margin must be positive/);
    // Targets after the first −1 are ignored.
    const x = tensor([[0.1, 0.2, 0.4, 0.8]]);
    const a = F.multilabelMarginLoss(x, tensor([[3, 0, -1, 1]], { dtype: 'int32' })).item();
    const b = F.multilabelMarginLoss(x, tensor([[3, 0, -1, 2]], { dtype: 'int32' })).item();
    expect(a).toBeCloseTo(0.85, 6);
    expect(b).toBeCloseTo(a, 6);
  });
});
