// Convolution and pooling are tensor ops (kernels live with the backends); F re-exports them
// under the names PyTorch's functional module uses.
export {
  adaptiveAvgPool1d,
  adaptiveAvgPool2d,
  adaptiveAvgPool3d,
  adaptiveMaxPool1d,
  adaptiveMaxPool2d,
  adaptiveMaxPool3d,
  avgPool1d,
  avgPool2d,
  avgPool3d,
  conv1d,
  conv2d,
  conv3d,
  convTranspose1d,
  convTranspose2d,
  convTranspose3d,
  fold,
  maxPool1d,
  maxPool2d,
  maxPool3d,
  unfold,
} from '@torchlet/tensor';
