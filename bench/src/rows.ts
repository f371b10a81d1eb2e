import type * as TF from '@tensorflow/tfjs';
import { runBackward } from '@torchlet/autograd';
import { conv2d, maxPool2d, noGrad, rand, randn, type Tensor } from '@torchlet/tensor';

/** One benchmark row: the same work in torchlet and in TensorFlow.js (run under each tfjs backend). */
export interface Row {
  name: string;
  /** Floating-point operations per call (for GFLOP/s), or elements touched (for Melem/s). */
  work: number;
  /** Throughput unit, or null to report milliseconds only. */
  unit: 'GFLOP/s' | 'Melem/s' | null;
  torchlet: () => () => void;
  /** Builds inputs under the active tfjs backend and returns the timed call; null: no tfjs twin. */
  tfjs: ((tf: typeof TF) => () => void) | null;
}

function matmulRow(n: number): Row {
  return {
    name: `matmul ${n}×${n} float32`,
    work: 2 * n ** 3,
    unit: 'GFLOP/s',
    torchlet: () => {
      const a = rand([n, n]);
      const b = rand([n, n]);
      return () => a.matmul(b);
    },
    tfjs: (tf) => {
      const a = tf.randomUniform([n, n]);
      const b = tf.randomUniform([n, n]);
      return () => tf.tidy(() => tf.matMul(a, b)).dispose();
    },
  };
}

const ELEMENTS = 1 << 20;

function elementwiseRow(name: 'add' | 'exp' | 'sum'): Row {
  return {
    name: `${name} 2^20 float32`,
    work: ELEMENTS,
    unit: 'Melem/s',
    torchlet: () => {
      const a = randn([ELEMENTS]);
      const b = randn([ELEMENTS]);
      return name === 'add' ? () => a.add(b) : name === 'exp' ? () => a.exp() : () => a.sum();
    },
    tfjs: (tf) => {
      const a = tf.randomNormal([ELEMENTS]);
      const b = tf.randomNormal([ELEMENTS]);
      const op = name === 'add' ? () => tf.add(a, b) : name === 'exp' ? () => tf.exp(a) : () => tf.sum(a);
      return () => tf.tidy(op).dispose();
    },
  };
}

interface ConvShape {
  n: number;
  c: number;
  hw: number;
  oc: number;
}

function convRow({ n, c, hw, oc }: ConvShape, backward: boolean): Row {
  const flops = 2 * n * oc * c * 9 * hw * hw;
  return {
    name: `conv2d ${n}×${c}×${hw}×${hw}, ${oc} 3×3 'same' ${backward ? 'fwd+bwd' : 'fwd'}`,
    // Backward computes the input and weight gradients: two more products of the forward's size.
    work: backward ? 3 * flops : flops,
    unit: 'GFLOP/s',
    torchlet: () => {
      const x = randn([n, c, hw, hw]);
      const w = randn([oc, c, 3, 3]).mul(0.1);
      const b = randn([oc]);
      if (!backward) return () => noGrad(() => conv2d(x, w, b, { padding: 'same' }));
      const dy = randn([n, oc, hw, hw]);
      const inputs = [x, w, b].map((t) => t.detach().requiresGrad_());
      return () => {
        const y = conv2d(inputs[0]!, inputs[1]!, inputs[2]!, { padding: 'same' });
        runBackward({ outputs: [y], gradOutputs: [dy], inputs, retainGraph: false, createGraph: false });
      };
    },
    tfjs: (tf) => {
      const x = tf.randomNormal([n, hw, hw, c]) as TF.Tensor4D;
      const w = tf.randomNormal([3, 3, c, oc]).mul(0.1) as TF.Tensor4D;
      const b = tf.randomNormal([oc]) as TF.Tensor1D;
      if (!backward)
        return () =>
          tf.tidy(() => tf.fused.conv2d({ x, filter: w, bias: b, strides: 1, pad: 'same' })).dispose();
      const dy = tf.randomNormal([n, hw, hw, oc]);
      const grads = tf.grads((xx, ww, bb) =>
        tf.add(tf.conv2d(xx as TF.Tensor4D, ww as TF.Tensor4D, 1, 'same'), bb!),
      );
      return () => {
        for (const g of grads([x, w, b], dy)) g.dispose();
      };
    },
  };
}

/** The MNIST CNN's training step (batch 64): conv 1→32, pool, conv 32→64, pool, dense 128, dense 10. */
function mnistStepRow(): Row {
  return {
    name: 'MNIST CNN train step, batch 64',
    work: 0,
    unit: null,
    torchlet: () => {
      const param = (shape: number[], scale: number) => randn(shape).mul(scale).detach().requiresGrad_();
      const ps = [param([32, 1, 3, 3], 0.3), param([32], 0.1), param([64, 32, 3, 3], 0.05), param([64], 0.1)];
      ps.push(param([64 * 7 * 7, 128], 0.02), param([128], 0.1), param([128, 10], 0.1), param([10], 0.1));
      const [w1, b1, w2, b2, w3, b3, w4, b4] = ps as [
        Tensor,
        Tensor,
        Tensor,
        Tensor,
        Tensor,
        Tensor,
        Tensor,
        Tensor,
      ];
      const x = rand([64, 1, 28, 28]);
      return () => {
        const h1 = maxPool2d(conv2d(x, w1, b1, { padding: 1 }).relu(), { kernelSize: 2 });
        const h2 = maxPool2d(conv2d(h1, w2, b2, { padding: 1 }).relu(), { kernelSize: 2 });
        const logits = h2.reshape(64, -1).matmul(w3).add(b3).relu().matmul(w4).add(b4);
        // A squared loss stands in for cross-entropy: its cost is negligible next to the convolutions.
        const loss = logits.square().mean();
        const grads = runBackward({
          outputs: [loss],
          gradOutputs: [loss.detach().mul(0).add(1)],
          inputs: ps,
          retainGraph: false,
          createGraph: false,
        });
        noGrad(() => {
          ps.forEach((p, i) => {
            p.sub_(grads[i]!.mul(0.01));
          });
        });
      };
    },
    tfjs: null,
  };
}

const MNIST_CONV1 = { n: 64, c: 1, hw: 28, oc: 32 };
const MNIST_CONV2 = { n: 64, c: 32, hw: 14, oc: 64 };

/** Every row, in table order. */
export const ROWS: Row[] = [
  ...[128, 256, 512, 1024].map(matmulRow),
  elementwiseRow('add'),
  elementwiseRow('exp'),
  elementwiseRow('sum'),
  convRow(MNIST_CONV1, false),
  convRow(MNIST_CONV2, false),
  convRow(MNIST_CONV1, true),
  convRow(MNIST_CONV2, true),
  mnistStepRow(),
];
