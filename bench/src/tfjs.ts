import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';

const require = createRequire(import.meta.url);

/** TensorFlow.js with its cpu and wasm backends ready; the wasm binaries come from the npm package. */
export async function loadTfjs(): Promise<typeof TF> {
  const tf = require('@tensorflow/tfjs') as typeof TF;
  const wasm = require('@tensorflow/tfjs-backend-wasm') as { setWasmPaths: (prefix: string) => void };
  wasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/'));
  // Silence the "install tfjs-node" banner: it is not installable here, and that is the point.
  const log = console.log;
  console.log = () => {};
  try {
    await tf.setBackend('wasm');
    await tf.setBackend('cpu');
    tf.tidy(() => tf.add(tf.ones([1]), 1).dataSync());
  } finally {
    console.log = log;
  }
  return tf;
}
