// Registers the device kernels; every other op falls back to its CPU kernel.
import './elementwise.js';
import './matmul.js';
