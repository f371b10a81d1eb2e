/**
 * The functional forms of the layers and losses, as `torch.nn.functional` (imported as `F`).
 *
 * @example
 * import { F } from '@torchlet/nn';
 * const loss = F.crossEntropy(logits, labels);
 */
export * from './activation.js';
export { causalMask, type ScaledDotProductAttentionOptions, scaledDotProductAttention } from './attention.js';
export * from './conv.js';
export * from './distance.js';
export * from './dropout.js';
export * from './embedding.js';
export * from './linear.js';
export * from './loss-classification.js';
export * from './loss-embedding.js';
export * from './loss-margin.js';
export * from './loss-regression.js';
export * from './normalization.js';
export * from './pooling.js';
export * from './reduction.js';
export * from './vision.js';
