/** The examples of the tutorial seeds/004 (torch.nn basics), reproduced with torchlet. */
import { manualSeed, ones, randn, type Tensor, tensor } from '@torchlet/tensor';
import { describe, expect, it } from 'vitest';
import {
  BCELoss,
  CrossEntropyLoss,
  Dropout,
  init,
  L1Loss,
  Linear,
  Module,
  MSELoss,
  SmoothL1Loss,
  summary,
} from './index.js';

/** Section 4.3: Linear(3,3) + sigmoid, Linear(3,2) + relu, Linear(2,2) + softmax. */
class ThreeLayer extends Module {
  layer1 = new Linear(3, 3);
  layer2 = new Linear(3, 2);
  out = new Linear(2, 2);
  constructor() {
    super();
    init.kaimingNormal_(this.layer1.weight);
    init.xavierUniform_(this.layer2.weight);
    init.uniform_(this.out.weight);
  }
  override forward(x: Tensor): Tensor {
    const h1 = this.layer1.call(x).sigmoid();
    const h2 = this.layer2.call(h1).relu();
    return this.out.call(h2).softmax(-1);
  }
}

/** Section 8.3: the phone-price classifier, with one Dropout module used twice. */
class PhoneModel extends Module {
  layer1 = new Linear(20, 64);
  layer2 = new Linear(64, 128);
  layer3 = new Linear(128, 4);
  dropout = new Dropout(0.9);
  override forward(x: Tensor): Tensor {
    let h = this.dropout.call(this.layer1.call(x)).relu();
    h = this.dropout.call(this.layer2.call(h)).relu();
    return this.layer3.call(h);
  }
}

describe('seed 004: model building', () => {
  it('prints the 3-3-2-2 model summary with 26 parameters', () => {
    const model = new ThreeLayer();
    expect(model.call(randn([10, 3])).shape).toEqual([10, 2]);
    expect(summary(model, [3], { batchSize: 8 })).toBe(
      [
        '----------------------------------------------------------------',
        '        Layer (type)               Output Shape         Param #',
        '================================================================',
        '            Linear-1                     [8, 3]              12',
        '            Linear-2                     [8, 2]               8',
        '            Linear-3                     [8, 2]               6',
        '================================================================',
        'Total params: 26',
        'Trainable params: 26',
        'Non-trainable params: 0',
        '----------------------------------------------------------------',
        'Input size (MB): 0.00',
        'Forward/backward pass size (MB): 0.00',
        'Params size (MB): 0.00',
        'Estimated Total Size (MB): 0.00',
        '----------------------------------------------------------------',
      ].join('\n'),
    );
    expect(model.namedParameters().map(([n]) => n)).toEqual([
      'layer1.weight',
      'layer1.bias',
      'layer2.weight',
      'layer2.bias',
      'out.weight',
      'out.bias',
    ]);
  });

  it('prints the phone-price MLP summary with 10,180 parameters', () => {
    expect(summary(new PhoneModel(), [20], { batchSize: 10 })).toBe(
      [
        '----------------------------------------------------------------',
        '        Layer (type)               Output Shape         Param #',
        '================================================================',
        '            Linear-1                   [10, 64]           1,344',
        '           Dropout-2                   [10, 64]               0',
        '            Linear-3                  [10, 128]           8,320',
        '           Dropout-4                  [10, 128]               0',
        '            Linear-5                    [10, 4]             516',
        '================================================================',
        'Total params: 10,180',
        'Trainable params: 10,180',
        'Non-trainable params: 0',
        '----------------------------------------------------------------',
        'Input size (MB): 0.00',
        'Forward/backward pass size (MB): 0.03',
        'Params size (MB): 0.04',
        'Estimated Total Size (MB): 0.07',
        '----------------------------------------------------------------',
      ].join('\n'),
    );
  });
});

describe('seed 004: loss functions', () => {
  const yTrue = tensor([2, 3, 1]);
  const yPred = tensor([1, 5, 4]);

  it('cross-entropy with one-hot targets is 0.000379', () => {
    const target = tensor([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    const logits = tensor([
      [18, 9, 10],
      [2, 14, 6],
      [3, 8, 16],
    ]);
    expect(new CrossEntropyLoss().call(logits, target).item()).toBeCloseTo(0.000379, 6);
  });

  it('binary cross-entropy is 0.164252', () => {
    const loss = new BCELoss().call(tensor([0.1, 0.9, 0.2, 0.8]), tensor([0, 1, 0, 1]));
    expect(loss.item()).toBeCloseTo(0.164252, 6);
  });

  it('MSE 4.6667, L1 2.0 and smooth L1 1.5 on pred [1,5,4] vs true [2,3,1]', () => {
    expect(new MSELoss().call(yPred, yTrue).item()).toBeCloseTo(14 / 3, 6);
    expect(new L1Loss().call(yPred, yTrue).item()).toBe(2);
    expect(new SmoothL1Loss().call(yPred, yTrue).item()).toBe(1.5);
  });
});

describe('seed 004: dropout', () => {
  it('with p = 0.75 zeroes entries or scales them by 4, and is the identity in eval mode', () => {
    manualSeed(0);
    const dropout = new Dropout(0.75);
    const out = dropout.call(ones([10000])).dataSync();
    const kept = Array.from(out).filter((v) => v !== 0);
    expect(new Set(kept)).toEqual(new Set([4]));
    expect(kept.length / out.length).toBeGreaterThan(0.23);
    expect(kept.length / out.length).toBeLessThan(0.27);
    dropout.eval();
    expect(Array.from(dropout.call(ones([5])).dataSync())).toEqual([1, 1, 1, 1, 1]);
  });
});
