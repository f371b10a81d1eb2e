/**
 * Device versions of the helpers the expression table (`@torchlet/tensor`'s `ops/expressions.ts`)
 * calls by name, written in the subset of JavaScript gpu.js translates to GLSL and WebAssembly.
 * IEEE corner cases (NaN propagation, −0) follow the GPU's float model, not PyTorch's bit for bit.
 */
export const GPU_FUNCTIONS: readonly string[] = [
  `function maximum(a, b) { return a > b ? a : b; }`,
  `function minimum(a, b) { return a < b ? a : b; }`,
  `function clampScalar(a, lo, hi) { return Math.min(Math.max(a, lo), hi); }`,
  // GLSL's pow is undefined for a negative base: integral exponents take the sign by hand.
  `function powf(a, b) {
    if (b === 0.0) return 1.0;
    if (a >= 0.0) return Math.pow(a, b);
    if (Math.floor(b) !== b) return Math.sqrt(-1.0);
    const r = Math.pow(-a, b);
    if (Math.floor(b * 0.5) * 2.0 === b) return r;
    return -r;
  }`,
  `function powScalar(a, p) { if (p === 2.0) return a * a; return powf(a, p); }`,
  `function remainder(a, b) { return a - b * Math.floor(a / b); }`,
  `function floorDivide(a, b) { return Math.floor(a / b); }`,
  `function copysign(a, b) { const m = Math.abs(a); if (b < 0.0) return -m; return m; }`,
  `function logaddexp(a, b) { const m = Math.max(a, b); return m + Math.log(Math.exp(a - m) + Math.exp(b - m)); }`,
  `function logaddexp2(a, b) { const m = Math.max(a, b); return m + Math.log2(Math.pow(2.0, a - m) + Math.pow(2.0, b - m)); }`,
  // Abramowitz & Stegun 7.1.26: |error| < 1.5e-7, below float32 resolution near 1.
  `function erf(x) {
    const s = x < 0.0 ? -1.0 : 1.0;
    const z = Math.abs(x);
    const t = 1.0 / (1.0 + 0.3275911 * z);
    const y = 1.0 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
    return s * y;
  }`,
  `function erfc(x) { return 1.0 - erf(x); }`,
  `function roundHalfEven(a) {
    const r = Math.round(a);
    if (Math.abs(a - Math.trunc(a)) === 0.5) return 2.0 * Math.round(a * 0.5);
    return r;
  }`,
];
