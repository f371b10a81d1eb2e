/** Finite-difference checks (float64) of every layer, activation and loss, inputs and parameters. */
import { gradcheck } from '@torchlet/autograd';
import { manualSeed, rand, randn, type Tensor, tensor } from '@torchlet/tensor';
import { describe, it } from 'vitest';
import * as nn from './index.js';
import { F, type Module } from './index.js';

const f64 = (shape: number[]) => randn(shape, { dtype: 'float64' }).requiresGrad_(true);
const pos = (shape: number[]) => rand(shape, { dtype: 'float64' }).add(0.2).requiresGrad_(true);

/** gradcheck of `module` with respect to `inputs` and all its parameters. */
function check(module: Module, inputs: Tensor[], options: { train?: boolean; seed?: number } = {}): void {
  module.double().train(options.train ?? false);
  const n = inputs.length;
  gradcheck(
    (...xs) => {
      if (options.seed !== undefined) manualSeed(options.seed);
      return module.call(...xs.slice(0, n)) as Tensor;
    },
    [...inputs, ...module.parameters()],
  );
}

describe('gradcheck: layers', () => {
  manualSeed(3);
  const cases: [string, () => Module, () => Tensor[], { train?: boolean; seed?: number }?][] = [
    ['Linear', () => new nn.Linear(3, 2), () => [f64([2, 3])]],
    ['Bilinear', () => new nn.Bilinear(2, 3, 2), () => [f64([2, 2]), f64([2, 3])]],
    ['Conv1d', () => new nn.Conv1d(2, 2, 3, { stride: 2, padding: 1 }), () => [f64([1, 2, 5])]],
    ['Conv2d', () => new nn.Conv2d(2, 2, 2, { padding: 1, groups: 2 }), () => [f64([1, 2, 3, 3])]],
    [
      'Conv2d reflect',
      () => new nn.Conv2d(1, 1, 3, { padding: 1, paddingMode: 'reflect' }),
      () => [f64([1, 1, 3, 3])],
    ],
    ['ConvTranspose2d', () => new nn.ConvTranspose2d(2, 1, 2, { stride: 2 }), () => [f64([1, 2, 2, 2])]],
    ['MaxPool1d', () => new nn.MaxPool1d(2), () => [f64([1, 2, 6])]],
    ['MaxPool2d', () => new nn.MaxPool2d(2, { stride: 1 }), () => [f64([1, 1, 3, 3])]],
    ['AvgPool2d', () => new nn.AvgPool2d(2, { padding: 1 }), () => [f64([1, 1, 3, 3])]],
    ['AdaptiveAvgPool2d', () => new nn.AdaptiveAvgPool2d([2, 2]), () => [f64([1, 1, 3, 5])]],
    ['Upsample nearest', () => new nn.Upsample({ scaleFactor: 2 }), () => [f64([1, 1, 2, 2])]],
    [
      'Upsample bilinear',
      () => new nn.Upsample({ size: [3, 4], mode: 'bilinear' }),
      () => [f64([1, 1, 2, 3])],
    ],
    ['ZeroPad2d', () => new nn.ZeroPad2d([1, 0, 2, 1]), () => [f64([1, 1, 2, 2])]],
    ['PixelShuffle', () => new nn.PixelShuffle(2), () => [f64([1, 4, 2, 1])]],
    ['Flatten', () => new nn.Flatten(), () => [f64([2, 2, 2])]],
    ['Unflatten', () => new nn.Unflatten(1, [2, 2]), () => [f64([2, 4])]],
    ['Dropout (train, fixed seed)', () => new nn.Dropout(0.4), () => [f64([3, 4])], { train: true, seed: 7 }],
    [
      'Dropout2d (train, fixed seed)',
      () => new nn.Dropout2d(0.5),
      () => [f64([2, 3, 2, 2])],
      { train: true, seed: 7 },
    ],
    ['BatchNorm1d (train)', () => new nn.BatchNorm1d(3), () => [f64([4, 3])], { train: true }],
    ['BatchNorm2d (train)', () => new nn.BatchNorm2d(2), () => [f64([2, 2, 2, 2])], { train: true }],
    ['BatchNorm2d (eval)', () => new nn.BatchNorm2d(2), () => [f64([2, 2, 2, 2])]],
    ['LayerNorm', () => new nn.LayerNorm([2, 3]), () => [f64([2, 2, 3])]],
    ['GroupNorm', () => new nn.GroupNorm(2, 4), () => [f64([2, 4, 2])]],
    [
      'InstanceNorm2d',
      () => new nn.InstanceNorm2d(2, { affine: true }),
      () => [f64([2, 2, 2, 2])],
      { train: true },
    ],
    // Without paddingIdx: the padding row's zero gradient is by design, not a derivative (see the fixtures).
    [
      'Embedding',
      () => new nn.Embedding(5, 3),
      () => [
        tensor(
          [
            [0, 1],
            [4, 1],
          ],
          { dtype: 'int32' },
        ),
      ],
    ],
    ['PReLU', () => new nn.PReLU(3), () => [f64([2, 3, 2])]],
    ['AvgPool1d', () => new nn.AvgPool1d(3, { stride: 2, padding: 1 }), () => [f64([1, 2, 5])]],
    ['AdaptiveAvgPool1d', () => new nn.AdaptiveAvgPool1d(2), () => [f64([1, 2, 5])]],
    ['AdaptiveMaxPool1d', () => new nn.AdaptiveMaxPool1d(2), () => [f64([1, 2, 5])]],
    ['AdaptiveMaxPool2d', () => new nn.AdaptiveMaxPool2d([2, 1]), () => [f64([1, 1, 3, 3])]],
    [
      'Conv3d',
      () => new nn.Conv3d(2, 2, [2, 1, 2], { padding: [1, 0, 0], stride: [1, 1, 2], groups: 2 }),
      () => [f64([1, 2, 2, 3, 3])],
    ],
    ['Conv3d same', () => new nn.Conv3d(1, 2, 2, { padding: 'same' }), () => [f64([1, 2, 3, 2])]],
    [
      'ConvTranspose3d',
      () =>
        new nn.ConvTranspose3d(2, 2, [2, 1, 2], { stride: [2, 1, 1], groups: 2, outputPadding: [1, 0, 0] }),
      () => [f64([1, 2, 2, 2, 2])],
    ],
    ['MaxPool3d', () => new nn.MaxPool3d(2, { stride: 1, ceilMode: true }), () => [f64([1, 1, 3, 2, 3])]],
    ['AvgPool3d', () => new nn.AvgPool3d(2, { padding: 1 }), () => [f64([1, 1, 2, 3, 3])]],
    ['AdaptiveAvgPool3d', () => new nn.AdaptiveAvgPool3d([2, 1, 2]), () => [f64([1, 1, 3, 2, 3])]],
    ['AdaptiveMaxPool3d', () => new nn.AdaptiveMaxPool3d([2, 2, 1]), () => [f64([1, 1, 3, 3, 2])]],
    ['LPPool1d', () => new nn.LPPool1d(2, 2), () => [f64([1, 2, 4])]],
    ['LPPool2d', () => new nn.LPPool2d(1.5, 2, { stride: 1 }), () => [pos([1, 1, 3, 3])]],
    [
      'MaxUnpool2d',
      () => new nn.MaxUnpool2d(2),
      () => [f64([1, 2, 2, 2]), tensor([0, 3, 9, 14, 1, 6, 8, 15], { dtype: 'int32', shape: [1, 2, 2, 2] })],
    ],
    ['ConstantPad2d (crop)', () => new nn.ConstantPad2d([1, -1, 0, 2], 2), () => [f64([1, 2, 3])]],
    ['ReflectionPad2d', () => new nn.ReflectionPad2d([2, 1, 0, 1]), () => [f64([1, 3, 3])]],
    ['ReplicationPad1d', () => new nn.ReplicationPad1d([2, 1]), () => [f64([2, 3])]],
    ['CircularPad1d', () => new nn.CircularPad1d([1, 2]), () => [f64([1, 2, 3])]],
    ['ReflectionPad3d', () => new nn.ReflectionPad3d(1), () => [f64([1, 2, 2, 2])]],
    [
      'InstanceNorm1d',
      () => new nn.InstanceNorm1d(2, { affine: true }),
      () => [f64([2, 2, 3])],
      { train: true },
    ],
    ['LocalResponseNorm', () => new nn.LocalResponseNorm(3, { alpha: 0.5 }), () => [f64([1, 4, 2])]],
    ['RMSNorm', () => new nn.RMSNorm([3]), () => [f64([2, 3])]],
    ['BatchNorm3d (train)', () => new nn.BatchNorm3d(2), () => [f64([2, 2, 1, 2, 2])], { train: true }],
    ['UpsamplingBilinear2d', () => new nn.UpsamplingBilinear2d({ size: [3, 3] }), () => [f64([1, 1, 2, 2])]],
    ['PairwiseDistance', () => new nn.PairwiseDistance({ p: 3 }), () => [f64([2, 3]), f64([2, 3])]],
    ['CosineSimilarity', () => new nn.CosineSimilarity({ dim: -1 }), () => [f64([2, 3]), f64([1, 3])]],
    ['PixelUnshuffle', () => new nn.PixelUnshuffle(2), () => [f64([1, 1, 2, 4])]],
    ['ChannelShuffle', () => new nn.ChannelShuffle(2), () => [f64([1, 4, 2])]],
    [
      'Dropout1d (train, fixed seed)',
      () => new nn.Dropout1d(0.5),
      () => [f64([2, 3, 2])],
      { train: true, seed: 7 },
    ],
    [
      'AlphaDropout (train, fixed seed)',
      () => new nn.AlphaDropout(0.3),
      () => [f64([3, 4])],
      { train: true, seed: 7 },
    ],
    ['Fold', () => new nn.Fold([3, 3], 2), () => [f64([1, 4, 4])]],
    ['Unfold', () => new nn.Unfold(2, { padding: 1, stride: 2 }), () => [f64([1, 1, 3, 3])]],
    [
      'ConvTranspose1d',
      () => new nn.ConvTranspose1d(2, 2, 3, { stride: 2, groups: 2 }),
      () => [f64([1, 2, 3])],
    ],
    [
      'EmbeddingBag mean, offsets',
      () => new nn.EmbeddingBag(5, 2),
      () => [tensor([0, 2, 4, 1, 2], { dtype: 'int32' }), tensor([0, 2, 2], { dtype: 'int32' })],
    ],
    [
      'EmbeddingBag sum, perSampleWeights',
      () => new nn.EmbeddingBag(5, 2, { mode: 'sum', paddingIdx: 1 }),
      () => [tensor([0, 2, 4, 1, 2], { dtype: 'int32' }), tensor([0, 3], { dtype: 'int32' }), f64([5])],
    ],
    [
      'EmbeddingBag max',
      () => new nn.EmbeddingBag(5, 2, { mode: 'max' }),
      () => [
        tensor(
          [
            [0, 3],
            [4, 1],
          ],
          { dtype: 'int32' },
        ),
      ],
    ],
  ];
  for (const [name, make, inputs, options] of cases) it(name, () => check(make(), inputs(), options));
});

describe('gradcheck: activations', () => {
  const acts: [string, () => Module][] = [
    ['ReLU', () => new nn.ReLU()],
    ['ReLU6', () => new nn.ReLU6()],
    ['LeakyReLU', () => new nn.LeakyReLU(0.2)],
    ['RReLU (eval)', () => new nn.RReLU()],
    ['ELU', () => new nn.ELU(0.5)],
    ['SELU', () => new nn.SELU()],
    ['CELU', () => new nn.CELU(2)],
    ['GELU', () => new nn.GELU()],
    ['GELU tanh', () => new nn.GELU('tanh')],
    ['SiLU', () => new nn.SiLU()],
    ['Mish', () => new nn.Mish()],
    ['Sigmoid', () => new nn.Sigmoid()],
    ['LogSigmoid', () => new nn.LogSigmoid()],
    ['Hardsigmoid', () => new nn.Hardsigmoid()],
    ['Hardswish', () => new nn.Hardswish()],
    ['Tanh', () => new nn.Tanh()],
    ['Hardtanh', () => new nn.Hardtanh(-0.5, 0.5)],
    ['Softplus', () => new nn.Softplus(2, 1)],
    ['Softsign', () => new nn.Softsign()],
    ['Softmax', () => new nn.Softmax(1)],
    ['LogSoftmax', () => new nn.LogSoftmax(0)],
    ['Softmin', () => new nn.Softmin(-1)],
    ['Threshold', () => new nn.Threshold(0.1, 2)],
    ['GLU', () => new nn.GLU(1)],
    ['Softshrink', () => new nn.Softshrink(0.3)],
    ['Hardshrink', () => new nn.Hardshrink(0.3)],
    ['Tanhshrink', () => new nn.Tanhshrink()],
  ];
  for (const [name, make] of acts)
    it(name, () => check(make(), [f64([3, 4]).mul(2).detach().requiresGrad_(true)]));
  it('RReLU (train, fixed seed)', () => check(new nn.RReLU(), [f64([3, 4])], { train: true, seed: 5 }));
});

describe('gradcheck: losses', () => {
  const x = () => f64([4, 3]);
  const y = () => randn([4, 3], { dtype: 'float64' });
  const p = () => rand([4, 3], { dtype: 'float64' }).mul(0.9).add(0.05).requiresGrad_(true);
  const labels = tensor([2, 0, -100, 1], { dtype: 'int32' });
  const pm = tensor([1, -1, 1, -1], { dtype: 'float64' });
  const weight = tensor([0.5, 2, 1], { dtype: 'float64' });
  const cases: [string, (a: Tensor) => Tensor, () => Tensor][] = [
    ['mse', (a) => F.mseLoss(a, y()), x],
    ['l1', (a) => F.l1Loss(a, y().add(0.5)), x],
    ['smoothL1', (a) => F.smoothL1Loss(a, y(), { beta: 0.5 }), x],
    ['huber', (a) => F.huberLoss(a, y(), { delta: 0.5 }), x],
    [
      'bce',
      (a) =>
        F.binaryCrossEntropy(a, rand([4, 3], { dtype: 'float64' }), {
          weight: rand([3], { dtype: 'float64' }),
        }),
      p,
    ],
    [
      'bceWithLogits',
      (a) => F.binaryCrossEntropyWithLogits(a, rand([4, 3], { dtype: 'float64' }), { posWeight: weight }),
      x,
    ],
    [
      'crossEntropy (indices, weight, ignore, smoothing)',
      (a) => F.crossEntropy(a, labels, { weight, labelSmoothing: 0.2 }),
      x,
    ],
    ['crossEntropy (probabilities)', (a) => F.crossEntropy(a, F.softmax(y(), 1), { labelSmoothing: 0.1 }), x],
    ['nll', (a) => F.nllLoss(a, labels, { weight }), x],
    ['klDiv', (a) => F.klDiv(a, F.softmax(y(), 1), { reduction: 'batchmean' }), x],
    ['cosineEmbedding', (a) => F.cosineEmbeddingLoss(a, y(), pm, { margin: -0.5 }), x],
    ['marginRanking', (a) => F.marginRankingLoss(a, y(), pm.unsqueeze(1), { margin: 0.5 }), x],
    ['tripletMargin', (a) => F.tripletMarginLoss(a, y(), y(), { margin: 3 }), x],
    ['hingeEmbedding', (a) => F.hingeEmbeddingLoss(a, pm.unsqueeze(1), { margin: 2 }), x],
    ['softMargin', (a) => F.softMarginLoss(a, pm.unsqueeze(1)), x],
    ['poissonNll', (a) => F.poissonNllLoss(a, tensor([0, 1, 4], { dtype: 'float64' }), { full: true }), x],
    ['gaussianNll', (a) => F.gaussianNllLoss(a, y(), rand([4, 3], { dtype: 'float64' }).add(0.1)), x],
    [
      'multiMargin (p 2, weight)',
      (a) => F.multiMarginLoss(a, tensor([2, 0, 1, 1], { dtype: 'int32' }), { p: 2, margin: 1.5, weight }),
      x,
    ],
    [
      'multilabelMargin',
      (a) =>
        F.multilabelMarginLoss(
          a,
          tensor(
            [
              [2, 0, -1],
              [1, -1, 0],
              [0, 1, 2],
              [-1, 0, 0],
            ],
            { dtype: 'int32' },
          ),
        ),
      x,
    ],
    [
      'multilabelSoftMargin',
      (a) => F.multilabelSoftMarginLoss(a, rand([4, 3], { dtype: 'float64' }), { weight }),
      x,
    ],
    [
      'tripletMarginWithDistance (cosine, swap)',
      (a) =>
        F.tripletMarginWithDistanceLoss(a, y(), y(), {
          distanceFunction: (u, v) => F.cosineSimilarity(u, v).neg().add(1),
          margin: 1.5,
          swap: true,
        }),
      x,
    ],
    ['normalize', (a) => F.normalize(a, { p: 3, dim: 0 }), x],
  ];
  for (const [name, loss, input] of cases) {
    it(name, () => {
      manualSeed(11);
      const a = input();
      // Targets are drawn once: the closure re-seeds so every evaluation sees the same ones.
      gradcheck(
        (t) => {
          manualSeed(12);
          return loss(t!);
        },
        [a],
      );
    });
  }
});
