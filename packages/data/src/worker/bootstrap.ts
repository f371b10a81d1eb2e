/**
 * The code a DataLoader worker runs, as plain JavaScript source. It is a string (run with
 * `new Worker(src, { eval: true })` in Node, from a Blob URL in browsers) rather than a module file
 * so it works the same from built `.js` and from TypeScript sources under a test runner: a worker
 * thread cannot load `.ts`. It imports nothing from torchlet; the dataset module imports what it needs.
 *
 * Protocol (main → worker): `{ type: 'init', spec, context, baseUrl }`, then `{ type: 'fetch', id, indices, batch }`.
 * Worker → main: `{ type: 'ready', length }`, `{ type: 'result', id, batched, value }`,
 * `{ type: 'error', id, error: { name, message, stack } }`. Tensors travel as
 * `{ $tensor: true, dtype, shape, data }` with their buffers transferred.
 */
const BODY = `
let dataset = null;
const isTensor = (v) =>
  v !== null && typeof v === 'object' && typeof v.dataSync === 'function' &&
  Array.isArray(v.shape) && typeof v.dtype === 'string';
const isPlain = (v) => v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;
function encode(v, transfer) {
  if (isTensor(v)) {
    const data = v.dataSync();
    if (data.byteOffset === 0 && data.byteLength === data.buffer.byteLength) transfer.push(data.buffer);
    return { $tensor: true, dtype: v.dtype, shape: Array.from(v.shape), data };
  }
  if (Array.isArray(v)) return v.map((x) => encode(x, transfer));
  if (isPlain(v)) {
    const o = {};
    for (const k of Object.keys(v)) o[k] = encode(v[k], transfer);
    return o;
  }
  return v;
}
const errorOf = (e) => ({
  name: (e && e.name) || 'Error',
  message: e && e.message !== undefined ? String(e.message) : String(e),
  stack: (e && e.stack) || '',
});
async function init(spec, context) {
  const mod = await import(spec.module);
  const name = spec.export || 'default';
  const factory = mod[name];
  if (typeof factory !== 'function') {
    throw new Error("module " + spec.module + " has no function export '" + name + "' (found: " + Object.keys(mod).join(', ') + ")");
  }
  dataset = await factory(context);
  if (!dataset || typeof dataset.get !== 'function' || typeof dataset.length !== 'number') {
    throw new Error("'" + name + "' from " + spec.module + " must return a map-style dataset (length and get), got " + typeof dataset);
  }
  return dataset.length;
}
listen(async (msg) => {
  try {
    if (msg.type === 'init') {
      // The page's URL, for relative fetches in the dataset (see BASE_URL_KEY in readers/files.ts).
      if (msg.baseUrl) globalThis[Symbol.for('@torchlet/data.baseUrl')] = msg.baseUrl;
      post({ type: 'ready', length: await init(msg.spec, msg.context) });
    } else if (msg.type === 'fetch') {
      const batched = msg.batch && typeof dataset.getBatch === 'function';
      const value = batched ? dataset.getBatch(msg.indices) : msg.indices.map((i) => dataset.get(i));
      const transfer = [];
      const encoded = encode(value, transfer);
      post({ type: 'result', id: msg.id, batched, value: encoded }, transfer);
    }
  } catch (e) {
    post({ type: 'error', id: msg.id === undefined ? null : msg.id, error: errorOf(e) });
  }
});
`;

/** Worker source for Node's worker_threads. */
export const NODE_WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const post = (m, t) => parentPort.postMessage(m, t);
const listen = (f) => parentPort.on('message', f);
${BODY}`;

/** Worker source for browsers' module Web Workers. */
export const WEB_WORKER_SOURCE = `
const post = (m, t) => self.postMessage(m, t || []);
const listen = (f) => { self.onmessage = (e) => f(e.data); };
${BODY}`;
