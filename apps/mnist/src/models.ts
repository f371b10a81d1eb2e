import { Conv2d, Flatten, init, Linear, MaxPool2d, type Module, ReLU, Sequential } from '@torchlet/nn';
import { noGrad } from '@torchlet/tensor';

export * from './export-format.js';

/** The architectures `--model` accepts. */
export const MODEL_NAMES = ['mlp', 'cnn', 'lenet5', 'scratch'] as const;
/** One of {@link MODEL_NAMES}. */
export type ModelName = (typeof MODEL_NAMES)[number];

/** Builds one of the trainer's architectures; every model maps [N,1,28,28] images to 10 logits. */
export function buildModel(name: ModelName): Sequential {
  switch (name) {
    case 'mlp':
      return new Sequential(new Flatten(), new Linear(784, 128), new ReLU(), new Linear(128, 10));
    case 'cnn':
      // Two 3×3 convolutions (32 and 64 channels) each followed by 2×2 max-pooling, dense 128, dense 10.
      return new Sequential(
        new Conv2d(1, 32, 3),
        new ReLU(),
        new MaxPool2d(2),
        new Conv2d(32, 64, 3),
        new ReLU(),
        new MaxPool2d(2),
        new Flatten(),
        new Linear(64 * 5 * 5, 128),
        new ReLU(),
        new Linear(128, 10),
      );
    case 'lenet5':
      return new Sequential(
        new Conv2d(1, 6, 5, { padding: 2 }),
        new ReLU(),
        new MaxPool2d(2),
        new Conv2d(6, 16, 5),
        new ReLU(),
        new MaxPool2d(2),
        new Flatten(),
        new Linear(16 * 5 * 5, 120),
        new ReLU(),
        new Linear(120, 84),
        new ReLU(),
        new Linear(84, 10),
      );
    case 'scratch':
      return scratchNetwork([784, 64, 64, 10]);
  }
}

/**
 * The tutorial's from-scratch network: ReLU hidden layers with He initialization
 * (N(0, 2/fan_in) weights, zero biases), softmax output.
 */
function scratchNetwork(sizes: readonly number[]): Sequential {
  const layers: Module[] = [new Flatten()];
  sizes.slice(1).forEach((out, i) => {
    const linear = new Linear(sizes[i]!, out);
    noGrad(() => {
      init.kaimingNormal_(linear.weight, { nonlinearity: 'relu' });
      init.zeros_(linear.bias!);
    });
    layers.push(linear);
    if (i < sizes.length - 2) layers.push(new ReLU());
  });
  return new Sequential(...layers);
}
