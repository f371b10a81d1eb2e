import { describe, it } from 'vitest';
import layers from '../fixtures/layers.json' with { type: 'json' };
import * as nn from '../index.js';
import type { Module } from '../module.js';
import { type Case, checkCase } from '../test-utils/fixtures.js';

/** The module of each fixture case, built as the script builds it in PyTorch. */
const factories: Record<string, () => Module> = {
  identity: () => new nn.Identity(),
  linear: () => new nn.Linear(4, 3),
  linear_nobias: () => new nn.Linear(4, 3, { bias: false }),
  linear_3d: () => new nn.Linear(4, 3),
  bilinear: () => new nn.Bilinear(3, 4, 2),
  flatten: () => new nn.Flatten(),
  unflatten: () => new nn.Unflatten(1, [2, 3]),
  embedding: () => new nn.Embedding(10, 3, { paddingIdx: 0 }),
  conv1d: () => new nn.Conv1d(2, 4, 3, { stride: 2, padding: 1 }),
  conv2d: () => new nn.Conv2d(3, 4, 3, { padding: 1 }),
  conv2d_groups: () => new nn.Conv2d(4, 6, [3, 2], { stride: [2, 1], groups: 2, dilation: [1, 2] }),
  conv2d_reflect: () => new nn.Conv2d(2, 3, 3, { padding: 1, paddingMode: 'reflect' }),
  conv_transpose2d: () => new nn.ConvTranspose2d(3, 2, 3, { stride: 2, padding: 1, outputPadding: 1 }),
  maxpool1d: () => new nn.MaxPool1d(3, { stride: 2, padding: 1 }),
  maxpool2d: () => new nn.MaxPool2d(2),
  maxpool2d_ceil: () => new nn.MaxPool2d(3, { stride: 2, ceilMode: true }),
  avgpool2d: () => new nn.AvgPool2d(3, { stride: 2, padding: 1 }),
  adaptive_avgpool2d: () => new nn.AdaptiveAvgPool2d([2, 3]),
  upsample_nearest: () => new nn.Upsample({ scaleFactor: 2, mode: 'nearest' }),
  upsample_bilinear: () => new nn.Upsample({ size: [5, 7], mode: 'bilinear', alignCorners: false }),
  upsample_bilinear_corners: () => new nn.Upsample({ scaleFactor: 2, mode: 'bilinear', alignCorners: true }),
  zeropad2d: () => new nn.ZeroPad2d([1, 2, 0, 1]),
  pixelshuffle: () => new nn.PixelShuffle(2),
  batchnorm1d_train: () => new nn.BatchNorm1d(3),
  batchnorm1d_3d_train: () => new nn.BatchNorm1d(3, { momentum: null }),
  batchnorm2d_train: () => new nn.BatchNorm2d(3, { momentum: 0.3 }),
  batchnorm2d_eval: () => new nn.BatchNorm2d(3),
  layernorm: () => new nn.LayerNorm([3, 4]),
  groupnorm: () => new nn.GroupNorm(2, 4),
  instancenorm2d: () => new nn.InstanceNorm2d(3),
  instancenorm2d_affine: () => new nn.InstanceNorm2d(3, { affine: true, trackRunningStats: true }),
  dropout_eval: () => new nn.Dropout(0.5),
  relu: () => new nn.ReLU(),
  relu6: () => new nn.ReLU6(),
  leaky_relu: () => new nn.LeakyReLU(0.1),
  prelu: () => new nn.PReLU(),
  prelu_channels: () => new nn.PReLU(4, 0.1),
  rrelu_eval: () => new nn.RReLU(0.1, 0.3),
  elu: () => new nn.ELU(0.7),
  selu: () => new nn.SELU(),
  celu: () => new nn.CELU(1.3),
  gelu: () => new nn.GELU(),
  gelu_tanh: () => new nn.GELU('tanh'),
  silu: () => new nn.SiLU(),
  mish: () => new nn.Mish(),
  sigmoid: () => new nn.Sigmoid(),
  logsigmoid: () => new nn.LogSigmoid(),
  hardsigmoid: () => new nn.Hardsigmoid(),
  hardswish: () => new nn.Hardswish(),
  tanh: () => new nn.Tanh(),
  hardtanh: () => new nn.Hardtanh(-0.5, 2),
  softplus: () => new nn.Softplus(2, 5),
  softsign: () => new nn.Softsign(),
  softmax: () => new nn.Softmax(1),
  logsoftmax: () => new nn.LogSoftmax(1),
  softmin: () => new nn.Softmin(0),
  threshold: () => new nn.Threshold(0.1, 20),
  heaviside: () => new nn.Heaviside(0),
};

const TRAINING = new Set([
  'batchnorm1d_train',
  'batchnorm1d_3d_train',
  'batchnorm2d_train',
  'instancenorm2d_affine',
]);

describe('layers match PyTorch (values, gradients, running statistics)', () => {
  it('has a factory for every fixture case', () => {
    const missing = Object.keys(layers).filter((k) => !(k in factories));
    if (missing.length > 0) throw new Error(`no factory for ${missing.join(', ')}`);
  });
  for (const [name, c] of Object.entries(layers as unknown as Record<string, Case>)) {
    it(name, () => {
      const make = factories[name];
      if (!make) return;
      checkCase(make(), c, TRAINING.has(name));
    });
  }
});
