import type * as TF from '@tensorflow/tfjs';
import type { ModelName } from '@torchlet/mnist/models';

/**
 * The trainer's MLP (784-128-10) or CNN as a TensorFlow.js model, compiled with Adam 1e-3 and
 * softmax cross-entropy on logits: the peer every training benchmark runs.
 */
export function tfjsMnistModel(tf: typeof TF, name: ModelName): TF.Sequential {
  const layers: TF.layers.Layer[] =
    name === 'mlp'
      ? [
          tf.layers.flatten({ inputShape: [28, 28, 1] }),
          tf.layers.dense({ units: 128, activation: 'relu' }),
          tf.layers.dense({ units: 10 }),
        ]
      : [
          tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 128, activation: 'relu' }),
          tf.layers.dense({ units: 10 }),
        ];
  const model = tf.sequential({ layers });
  model.compile({
    optimizer: tf.train.adam(1e-3),
    loss: (y: TF.Tensor, logits: TF.Tensor) => tf.losses.softmaxCrossEntropy(y, logits),
  });
  return model;
}
