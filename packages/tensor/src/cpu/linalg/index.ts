// Registers the CPU linear-algebra kernels (float64 internally, cast back to the input's dtype).
import './cholesky.js';
import './eigh.js';
import './lu.js';
import './qr.js';
import './svd.js';
import './trace.js';
