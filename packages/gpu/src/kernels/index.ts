// Registers the device kernels; every other op falls back to its CPU kernel.
import './elementwise.js';
import './matmul.js';
import './reduce.js';
import './softmax.js';
import './gather-scatter.js';
import './conv.js';
import './pool.js';
