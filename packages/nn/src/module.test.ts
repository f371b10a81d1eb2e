import { ones, randn, type Tensor, tensor, zeros } from '@torchlet/tensor';
import { describe, expect, it } from 'vitest';
import {
  BatchNorm1d,
  Conv2d,
  Dropout,
  Flatten,
  Linear,
  MaxPool2d,
  Module,
  ModuleDict,
  ModuleList,
  Parameter,
  ReLU,
  Sequential,
} from './index.js';

class Block extends Module {
  fc = new Linear(4, 4);
  bn = new BatchNorm1d(4);
  override forward(x: Tensor): Tensor {
    return this.bn.call(this.fc.call(x)).relu();
  }
}

class Net extends Module {
  scale = new Parameter(ones([1]));
  block = new Block();
  head = new Linear(4, 2, { bias: false });
  notAModule = [new Linear(1, 1)];
  constructor() {
    super();
    this.registerBuffer('steps', zeros([1]), { persistent: false });
  }
  override forward(x: Tensor): Tensor {
    return this.head.call(this.block.call(x).mul(this.scale));
  }
}

describe('Module registration', () => {
  it('registers parameters, submodules and buffers by assignment, in order', () => {
    const net = new Net();
    expect(net.namedParameters().map(([n]) => n)).toEqual([
      'scale',
      'block.fc.weight',
      'block.fc.bias',
      'block.bn.weight',
      'block.bn.bias',
      'head.weight',
    ]);
    expect(net.namedChildren().map(([n]) => n)).toEqual(['block', 'head']);
    expect(net.namedModules().map(([n]) => n)).toEqual(['', 'block', 'block.fc', 'block.bn', 'head']);
    expect(net.namedBuffers().map(([n]) => n)).toEqual([
      'steps',
      'block.bn.runningMean',
      'block.bn.runningVar',
      'block.bn.numBatchesTracked',
    ]);
    expect(net.parameters({ recurse: false })).toHaveLength(1);
  });

  it('lists a shared parameter once but keeps it under both names in the state dict', () => {
    const a = new Linear(2, 2);
    const m = new Sequential(a, new ReLU(), a);
    expect(m.parameters()).toHaveLength(2);
    expect(Object.keys(m.stateDict())).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
  });

  it('keeps state dict keys in PyTorch form (running_mean) and skips non-persistent buffers', () => {
    expect(Object.keys(new Net().stateDict())).toEqual([
      'scale',
      'block.fc.weight',
      'block.fc.bias',
      'block.bn.weight',
      'block.bn.bias',
      'block.bn.running_mean',
      'block.bn.running_var',
      'block.bn.num_batches_tracked',
      'head.weight',
    ]);
  });

  it('refuses dotted names', () => {
    expect(() => new Module().registerBuffer('a.b', null)).toThrow(/contain no '\.'/);
  });
});

describe('Module modes, gradients and dtype', () => {
  it('sets training recursively with train() and eval()', () => {
    const net = new Net().eval();
    expect(net.modules().every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.block.bn.training).toBe(true);
  });

  it('zeroGrad clears gradients after backward; requiresGrad_ freezes', () => {
    const net = new Net();
    net
      .call(randn([3, 4]))
      .sum()
      .backward();
    expect(net.head.weight.grad).not.toBeNull();
    net.zeroGrad();
    expect(net.parameters().every((p) => p.grad === null)).toBe(true);
    net.requiresGrad_(false);
    expect(net.parameters().some((p) => p.requiresGrad)).toBe(false);
  });

  it('apply visits children before the parent', () => {
    const seen: string[] = [];
    new Net().apply((m) => seen.push(m.className));
    expect(seen).toEqual(['Linear', 'BatchNorm1d', 'Block', 'Linear', 'Net']);
  });

  it('to(float64) converts parameters and floating buffers but not integer ones', () => {
    const net = new Net().to('float64');
    expect(net.parameters().every((p) => p.dtype === 'float64' && p instanceof Parameter)).toBe(true);
    expect(net.block.bn.runningMean!.dtype).toBe('float64');
    expect(net.block.bn.numBatchesTracked!.dtype).toBe('int32');
    expect(net.call(randn([2, 4], { dtype: 'float64' })).dtype).toBe('float64');
  });
});

describe('call and hooks', () => {
  it('runs pre-hooks, forward and hooks; removed hooks stop running', () => {
    const lin = new Linear(2, 2);
    const calls: string[] = [];
    const pre = lin.registerForwardPreHook((_m, inputs) => {
      calls.push('pre');
      return [(inputs[0] as Tensor).mul(0)];
    });
    const post = lin.registerForwardHook((_m, _inputs, out) => {
      calls.push('post');
      return (out as Tensor).add(1);
    });
    const y = lin.call(ones([1, 2]));
    expect(calls).toEqual(['pre', 'post']);
    expect(Array.from(y.dataSync())).toEqual(Array.from(lin.bias!.add(1).dataSync()));
    pre.remove();
    post.remove();
    lin.call(ones([1, 2]));
    expect(calls).toHaveLength(2);
  });
});

describe('stateDict / loadStateDict', () => {
  it('round-trips into a fresh model', () => {
    const a = new Net();
    const b = new Net();
    b.loadStateDict(a.stateDict());
    const x = randn([2, 4]);
    a.eval();
    b.eval();
    expect(Array.from(b.call(x).dataSync())).toEqual(Array.from(a.call(x).dataSync()));
  });

  it('reports missing and unexpected keys by name in strict mode, returns them otherwise', () => {
    const sd = new Net().stateDict();
    delete sd['head.weight'];
    sd['extra.weight'] = zeros([1]);
    expect(() => new Net().loadStateDict(sd)).toThrow(
      /Missing key\(s\) in state_dict: "head.weight"[\s\S]*Unexpected key\(s\) in state_dict: "extra.weight"/,
    );
    expect(new Net().loadStateDict(sd, { strict: false })).toEqual({
      missingKeys: ['head.weight'],
      unexpectedKeys: ['extra.weight'],
    });
  });

  it('reports shape mismatches by name and copies nothing', () => {
    const net = new Net();
    const before = Array.from(net.scale.dataSync());
    const sd = new Net().stateDict();
    sd.scale = tensor([5]);
    sd['head.weight'] = zeros([3, 4]);
    expect(() => net.loadStateDict(sd, { strict: false })).toThrow(
      /size mismatch for head.weight: copying a param with shape \[3,4\] from checkpoint, the shape in current model is \[2,4\]/,
    );
    expect(Array.from(net.scale.dataSync())).toEqual(before);
  });
});

describe('toString', () => {
  it('prints a PyTorch-style tree', () => {
    const model = new Sequential(
      new Conv2d(1, 8, 3, { padding: 1 }),
      new ReLU(),
      new MaxPool2d(2),
      new Flatten(),
      new Dropout(0.25),
      new Linear(8 * 14 * 14, 10),
    );
    expect(model.toString()).toBe(
      [
        'Sequential(',
        '  (0): Conv2d(1, 8, kernelSize=[3, 3], stride=[1, 1], padding=[1, 1])',
        '  (1): ReLU()',
        '  (2): MaxPool2d(kernelSize=2, stride=2, padding=0, dilation=1, ceilMode=false)',
        '  (3): Flatten(startDim=1, endDim=-1)',
        '  (4): Dropout(p=0.25)',
        '  (5): Linear(inFeatures=1568, outFeatures=10, bias=true)',
        ')',
      ].join('\n'),
    );
    expect(new Net().toString()).toContain(
      '  (block): Block(\n    (fc): Linear(inFeatures=4, outFeatures=4, bias=true)',
    );
  });
});

describe('containers', () => {
  it('Sequential runs modules in order, indexes, slices and appends', () => {
    const seq = new Sequential(new Linear(3, 4), new ReLU());
    seq.append(new Linear(4, 2));
    expect(seq.length).toBe(3);
    expect(seq.at(-1)).toBeInstanceOf(Linear);
    expect(seq.call(randn([5, 3])).shape).toEqual([5, 2]);
    expect(seq.slice(0, 2).call(randn([5, 3])).shape).toEqual([5, 4]);
    expect(seq.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
  });

  it('Sequential from an object uses its keys as names', () => {
    const seq = new Sequential({ hidden: new Linear(2, 3), act: new ReLU() });
    expect(Object.keys(seq.stateDict())).toEqual(['hidden.weight', 'hidden.bias']);
  });

  it('ModuleList registers its modules; insert and pop renumber them', () => {
    const list = new ModuleList([new Linear(1, 1), new Linear(1, 1)]);
    list.insert(0, new ReLU());
    expect(list.namedChildren().map(([n, m]) => `${n}:${m.className}`)).toEqual([
      '0:ReLU',
      '1:Linear',
      '2:Linear',
    ]);
    list.pop(0);
    expect(list.parameters()).toHaveLength(4);
    expect([...list]).toHaveLength(2);
  });

  it('ModuleDict accepts any key, including method names', () => {
    const dict = new ModuleDict({ train: new Linear(1, 2), eval: new Linear(2, 1) });
    expect(dict.keys()).toEqual(['train', 'eval']);
    expect(dict.get('train')).toBeInstanceOf(Linear);
    expect(Object.keys(dict.stateDict())).toEqual(['train.weight', 'train.bias', 'eval.weight', 'eval.bias']);
    expect(() => dict.get('nope')).toThrow(/no module under key 'nope'/);
  });
});
