// Registers the CPU backend and its kernels.
import './backend.js';
import './elementwise-kernels.js';
import './reduce.js';
import './softmax.js';
import './scan.js';
import './matmul.js';
import './conv.js';
import './im2col.js';
import './pool.js';
import './linalg/index.js';
import './interpolate.js';
import './gather-scatter.js';
import './sort.js';
