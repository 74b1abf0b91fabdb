/* global requestAnimationFrame, performance, crossOriginIsolated, window, fetch */
// The bundled page's script (built by Vite from the packed tarballs): attention() and a Session
// on an ONNX model fetched by URL, compiling in the compiler's worker, while requestAnimationFrame
// measures the main thread's gaps; it leaves its findings in window.ladonResult.
import { attention, tensor } from '@ladon/ops';
import { Session } from '@ladon/runtime';

const gaps = [];
let measuring = true;
let last = performance.now();
function tick(now) {
  gaps.push(now - last);
  last = now;
  if (measuring) requestAnimationFrame(tick);
}

const asTensor = (value) => tensor(value.dtype, value.shape, value.dtype === 'i64' ? value.data.map(BigInt) : value.data);
const asJson = (value) => ({ dtype: value.dtype, shape: value.shape, data: Array.from(value.data, Number) });

async function run() {
  const data = await (await fetch('/data.json')).json();
  requestAnimationFrame(tick);
  const attentionPhases = [];
  let started = performance.now();
  const y = await attention(asTensor(data.q), asTensor(data.k), asTensor(data.v), { backend: 'wasm', numThreads: 1, onProgress: (event) => attentionPhases.push(event.phase) });
  const attentionMs = performance.now() - started;
  const sessionPhases = [];
  started = performance.now();
  const session = await Session.create('/model.onnx', {
    backend: 'wasm',
    compiler: () => import('@ladon/compiler'),
    onnx: () => import('@ladon/onnx'),
    onProgress: (event) => sessionPhases.push(event.phase),
  });
  const sessionMs = performance.now() - started;
  const feeds = Object.fromEntries(Object.entries(data.feeds).map(([name, value]) => [name, asTensor(value)]));
  const outputs = await session.run(feeds);
  measuring = false;
  return {
    crossOriginIsolated,
    attention: { output: asJson(y), phases: [...new Set(attentionPhases)], ms: attentionMs },
    session: { outputs: Object.fromEntries(Object.entries(outputs).map(([name, value]) => [name, asJson(value)])), phases: [...new Set(sessionPhases)], origin: session.programOrigin, ms: sessionMs, threads: session.numThreads },
    maxGapMs: Math.max(...gaps.slice(1)),
    frames: gaps.length,
  };
}
window.ladonResult = run().catch((error) => `failed in the page: ${error.name}: ${error.message}`);
