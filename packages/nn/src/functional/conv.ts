// Convolution and pooling are tensor ops (kernels live with the backends); F re-exports them
// under the names PyTorch's functional module uses.
export {
  adaptiveAvgPool1d,
  adaptiveAvgPool2d,
  adaptiveMaxPool1d,
  adaptiveMaxPool2d,
  avgPool1d,
  avgPool2d,
  conv1d,
  conv2d,
  convTranspose1d,
  convTranspose2d,
  fold,
  maxPool1d,
  maxPool2d,
  unfold,
} from '@torchlet/tensor';
