import type { TypedArray } from './dtype.js';
import { Tensor } from './tensor.js';

const EDGE = 3;
const THRESHOLD = 1000;

/** How every element is printed: chosen once per tensor so the columns line up, as PyTorch does. */
function elementFormatter(t: Tensor, values: TypedArray): (v: number) => string {
  if (t.dtype === 'bool') return (v) => (v ? 'True' : 'False');
  if (t.dtype === 'int32') return (v) => String(v);
  const finite = Array.from(values).filter(Number.isFinite);
  const special = (v: number) => (Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf');
  if (finite.length === 0) return special;
  const absMax = Math.max(...finite.map(Math.abs));
  const nonzero = finite.filter((v) => v !== 0).map(Math.abs);
  const absMin = nonzero.length ? Math.min(...nonzero) : 0;
  if (finite.every(Number.isInteger) && absMax < 1e8)
    return (v) => (Number.isFinite(v) ? `${v}.` : special(v));
  if (absMax >= 1e8 || (absMin > 0 && (absMax / absMin > 1000 || absMin < 1e-4))) {
    return (v) => (Number.isFinite(v) ? v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2') : special(v));
  }
  return (v) => (Number.isFinite(v) ? v.toFixed(4) : special(v));
}

/** PyTorch-style text: `tensor([[1., 2.], [3., 4.]], dtype=float64)`, summarized when large. */
export function formatTensor(t: Tensor): string {
  const values = t.dataSync();
  const fmt = elementFormatter(t, values);
  const summarize = values.length > THRESHOLD;
  const strs = Array.from(values, fmt);
  const width = Math.max(1, ...strs.map((s) => s.length));
  const pad = (s: string) => s.padStart(width);
  const strides = t.shape.map((_, i) => t.shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const indent = ' '.repeat('tensor('.length);
  const render = (dim: number, base: number): string => {
    if (t.ndim === 0) return strs[0]!;
    const n = t.shape[dim]!;
    const idx = summarize && n > 2 * EDGE ? [...range(0, EDGE), -1, ...range(n - EDGE, n)] : range(0, n);
    if (dim === t.ndim - 1) {
      return `[${idx.map((i) => (i < 0 ? '...' : pad(strs[base + i]!))).join(', ')}]`;
    }
    const sep = `,${'\n'.repeat(t.ndim - 1 - dim)}${indent}${' '.repeat(dim + 1)}`;
    return `[${idx.map((i) => (i < 0 ? '...' : render(dim + 1, base + i * strides[dim]!))).join(sep)}]`;
  };
  const extras: string[] = [];
  if (t.dtype === 'float64' || t.dtype === 'int32') extras.push(`dtype=${t.dtype}`);
  if (t.device !== 'cpu') extras.push(`device='${t.device}'`);
  if (t.gradFn) extras.push(`gradFn=<${t.gradFn.op}>`);
  else if (t.requiresGrad) extras.push('requiresGrad=true');
  const body = t.numel() === 0 ? `[]` : render(0, 0);
  return `tensor(${[body, ...extras].join(', ')}${t.numel() === 0 && t.ndim > 1 ? `, size=[${t.shape.join(', ')}]` : ''})`;
}

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a }, (_, i) => a + i);
}

Tensor.prototype.toString = function (this: Tensor) {
  return formatTensor(this);
};
Object.defineProperty(Tensor.prototype, Symbol.for('nodejs.util.inspect.custom'), {
  value(this: Tensor) {
    return formatTensor(this);
  },
  configurable: true,
});
