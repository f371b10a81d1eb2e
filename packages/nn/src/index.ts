/**
 * @torchlet/nn — neural-network building blocks for torchlet, in the shape of `torch.nn`:
 * `Module` and `Parameter`, containers, layers, activations, losses, `init`, the functional
 * forms as `F`, and safetensors serialization.
 *
 * @example
 * import { CrossEntropyLoss, Linear, ReLU, Sequential } from '@torchlet/nn';
 * import { randn, tensor } from '@torchlet/tensor';
 * const model = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 3));
 * const loss = new CrossEntropyLoss().call(model.call(randn([2, 4])), tensor([0, 2], { dtype: 'int32' }));
 * loss.backward();
 */
export * from './activations.js';
export * from './containers.js';
export * as F from './functional/index.js';
export type { Reduction } from './functional/reduction.js';
export * as init from './init.js';
export * from './layers/adaptive-pooling.js';
export * from './layers/attention.js';
export * from './layers/conv.js';
export * from './layers/distance.js';
export * from './layers/dropout.js';
export * from './layers/embedding.js';
export * from './layers/flatten.js';
export * from './layers/linear.js';
export * from './layers/normalization.js';
export * from './layers/padding.js';
export * from './layers/pooling.js';
export * from './layers/positional.js';
export * from './layers/recurrent.js';
export { GRUCell, LSTMCell, RNNCell, type RNNCellOptions } from './layers/rnn-cells.js';
export * from './layers/transformer.js';
export * from './layers/unpooling.js';
export * from './layers/vision.js';
export * from './losses/classification.js';
export * from './losses/embedding.js';
export * from './losses/loss.js';
export * from './losses/margin.js';
export * from './losses/regression.js';
export {
  type ForwardHook,
  type ForwardPreHook,
  type LoadResult,
  Module,
  type RemovableHandle,
  type StateDict,
} from './module.js';
export {
  PackedSequence,
  type PackOptions,
  packPaddedSequence,
  packSequence,
  padPackedSequence,
  padSequence,
  type UnpackOptions,
} from './packed-sequence.js';
export { Parameter } from './parameter.js';
export * from './peft.js';
export {
  parseHeader,
  parseSafetensors,
  type SafetensorsContent,
  SafetensorsError,
  serializeSafetensors,
} from './safetensors.js';
export { load, loadFile, type SaveOptions, save } from './serialization.js';
export { type ModelSummary, type SummaryOptions, type SummaryRow, summarize, summary } from './summary.js';
