/* global requestAnimationFrame, performance, crossOriginIsolated, window, fetch */
// The bundled page's script (built by Vite from the packed tarballs): attention() and a Session
// on an ONNX model fetched by URL, compiling in the compiler's worker, while requestAnimationFrame
// measures the main thread's gaps; it leaves its findings in window.ladonResult.
import { attention, tensor } from '@ladon/ops';
import { Session } from '@ladon/runtime';

// Frame gaps while the compiler works (phases compile and optimise, which run in the worker), and the longest gap at all.
const COMPILING = new Set(['compile', 'optimise']);
let phase = 'start';
const compilingGaps = [];
let longest = { ms: 0, phase: 'none' };
let frames = 0;
let measuring = true;
let last = performance.now();
let phaseAtLast = phase;
function tick(now) {
  const gap = now - last;
  frames++;
  if (COMPILING.has(phaseAtLast) && COMPILING.has(phase)) compilingGaps.push(gap);
  if (gap > longest.ms) longest = { ms: gap, phase: `${phaseAtLast} -> ${phase}` };
  last = now;
  phaseAtLast = phase;
  if (measuring) requestAnimationFrame(tick);
}
const track = (into) => (event) => {
  phase = event.phase;
  into.push(event.phase);
};

const asTensor = (value) => tensor(value.dtype, value.shape, value.dtype === 'i64' ? value.data.map(BigInt) : value.data);
const asJson = (value) => ({ dtype: value.dtype, shape: value.shape, data: Array.from(value.data, Number) });

async function run() {
  const data = await (await fetch('/data.json')).json();
  requestAnimationFrame(tick);
  const attentionPhases = [];
  let started = performance.now();
  const y = await attention(asTensor(data.q), asTensor(data.k), asTensor(data.v), { backend: 'wasm', numThreads: 1, onProgress: track(attentionPhases) });
  const attentionMs = performance.now() - started;
  phase = 'between';
  const sessionPhases = [];
  started = performance.now();
  const session = await Session.create('/model.onnx', {
    backend: 'wasm',
    compiler: () => import('@ladon/compiler'),
    onnx: () => import('@ladon/onnx'),
    onProgress: track(sessionPhases),
  });
  const sessionMs = performance.now() - started;
  phase = 'running';
  const feeds = Object.fromEntries(Object.entries(data.feeds).map(([name, value]) => [name, asTensor(value)]));
  const outputs = await session.run(feeds);
  measuring = false;
  return {
    crossOriginIsolated,
    attention: { output: asJson(y), phases: [...new Set(attentionPhases)], ms: attentionMs },
    session: { outputs: Object.fromEntries(Object.entries(outputs).map(([name, value]) => [name, asJson(value)])), phases: [...new Set(sessionPhases)], origin: session.programOrigin, ms: sessionMs, threads: session.numThreads },
    compilingFrames: compilingGaps.length,
    maxCompilingGapMs: Math.max(0, ...compilingGaps),
    compilingMs: compilingGaps.reduce((sum, gap) => sum + gap, 0),
    longestGap: longest,
    frames,
  };
}
window.ladonResult = run().catch((error) => `failed in the page: ${error.name}: ${error.message}`);
