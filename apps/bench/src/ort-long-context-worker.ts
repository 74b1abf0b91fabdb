/**
 * Worker thread: tries onnxruntime-web on the long-context attention core
 * (the symbolic-length graph as ONNX), warmed up at a short length, then one
 * timed run at full length. Posts `{ ms }` or `{ cannotRun }`. It runs in
 * its own thread (its own ORT and wasm memory) so that the main thread can
 * stop it after a time limit.
 */
import { exportOnnxModel } from '@ladon/onnx';
import { parentPort, workerData } from 'node:worker_threads';
import type { LongContextCase } from './cases.js';
import { buildAttentionGraph } from './graphs.js';
import { attentionFeeds } from './inputs.js';
import type { OrtLongContext } from './long-context.js';
import { createOrtCase, describeOrtFailure, loadOrtWeb, ORT_WEB_OPTIONS, runOrt } from './ort-runner.js';

async function attempt(longContext: LongContextCase): Promise<OrtLongContext> {
  try {
    const ort = await loadOrtWeb(1);
    const warmupFeeds = attentionFeeds({ ...longContext.spec, seq: longContext.warmupSeq });
    const { session } = await createOrtCase(ort, exportOnnxModel(buildAttentionGraph(longContext.spec, true)), ORT_WEB_OPTIONS, warmupFeeds, 'out');
    for (let run = 0; run < 3; run++) await runOrt(ort, session, warmupFeeds, 'out');
    const feeds = attentionFeeds(longContext.spec);
    const start = performance.now();
    await runOrt(ort, session, feeds, 'out');
    return { ms: performance.now() - start };
  } catch (error) {
    return { cannotRun: describeOrtFailure(error) };
  }
}

parentPort?.postMessage(await attempt(workerData as LongContextCase));
