/**
 * One fresh process of the start-up measurement (start-up.ts runs it):
 *
 *   node dist/start-up-child.js ladon CACHE_DIR      first attention() of q, k, v [1, 8, 128, 64] through @ladon/ops (defaults: backend auto, persistent cache in CACHE_DIR)
 *   node dist/start-up-child.js ort MODEL.onnx       onnxruntime-web: import, InferenceSession.create, first run (1 thread)
 *
 * The inputs are made before the clock starts; the child prints one JSON
 * line: ms since the process started (performance.now()) and since the
 * library import began, and for Ladon how the result was made.
 */
import { readFileSync } from 'node:fs';

const [mode, argument] = process.argv.slice(2);
const SHAPE = [1, 8, 128, 64];
const SIZE = SHAPE.reduce((a, b) => a * b, 1);

function normals(seed: number): Float32Array {
  let state = seed >>> 0;
  return Float32Array.from({ length: SIZE }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 31 - 1;
  });
}

const [q, k, v] = [normals(1), normals(2), normals(3)];

async function ladon(cacheDirectory: string): Promise<object> {
  process.env.LADON_CACHE_DIR = cacheDirectory;
  const start = performance.now();
  const ops = await import('@ladon/ops');
  await ops.attention(ops.tensor('f32', SHAPE, q), ops.tensor('f32', SHAPE, k), ops.tensor('f32', SHAPE, v));
  const ms = performance.now();
  return { sinceStart: ms, sinceImport: ms - start, interim: ops.compiledCacheStats().interim > 0 };
}

async function ort(modelPath: string): Promise<object> {
  const model = new Uint8Array(readFileSync(modelPath));
  const start = performance.now();
  const ortWeb = await import('onnxruntime-web');
  ortWeb.env.wasm.numThreads = 1;
  ortWeb.env.logLevel = 'error';
  const session = await ortWeb.InferenceSession.create(model, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  const feeds = Object.fromEntries(
    [
      ['q', q],
      ['k', k],
      ['v', v],
    ].map(([name, data]) => [name as string, new ortWeb.Tensor('float32', data as Float32Array, SHAPE)]),
  );
  await session.run(feeds);
  const ms = performance.now();
  await session.release();
  return { sinceStart: ms, sinceImport: ms - start };
}

const result = mode === 'ladon' ? await ladon(argument) : await ort(argument);
process.stdout.write(`${JSON.stringify(result)}\n`);
