// Registers the CPU backend and its kernels.
import './backend.js';
import './elementwise-kernels.js';
import './reduce.js';
import './matmul.js';
