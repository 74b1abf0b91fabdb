/**
 * The long-context run: the attention core at a length where the S×S
 * scores no longer fit (12·16384²·4 bytes = 12.9 GB at S = 16384). Ladon's
 * streaming kernel runs it on one compiled program with a symbolic `seq`
 * (warmed up at a short length first); its output is checked on sampled
 * query rows against the IR interpreter, and its scratch memory is read
 * from the memory plan. onnxruntime-web is tried in a worker thread with a
 * time limit, so a hang or a huge allocation cannot take the benchmark down
 * (one thread: it is asked only whether it can run at all).
 */
import { interpret, tensor } from '@ladon/ir';
import { Worker } from 'node:worker_threads';
import { attentionFlops, type LongContextCase } from './cases.js';
import { buildAttentionGraph, buildRowSampleGraph } from './graphs.js';
import { attentionFeeds, type FeedData } from './inputs.js';
import { arenaUsage, createLadonSession, runLadon, type ArenaUsage, type LadonSession } from './ladon-runner.js';
import type { Progress } from './measure-case.js';
import { describeFailure } from './runner.js';
import { maxAbsError, timed } from './statistics.js';

/** Ladon's long-context result. */
export interface LadonLongContext {
  /** The threads Ladon ran on. */
  readonly threads: number;
  readonly unavailable?: string;
  readonly ms?: number;
  readonly arena?: ArenaUsage;
  /** How many query rows (per head) were checked, and the largest error on them. */
  readonly sampledRows?: number;
  readonly maxAbsError?: number;
}

/** What the worker running onnxruntime-web reported. */
export interface OrtLongContext {
  readonly ms?: number;
  readonly cannotRun?: string;
}

/** The long-context outcome. */
export interface LongContextOutcome {
  readonly longContext: LongContextCase;
  readonly flops: number;
  /** Bytes the materialised scores H·S² (f32) would take. */
  readonly scoresBytes: number;
  readonly ladon: LadonLongContext;
  readonly ort: OrtLongContext;
}

const SAMPLED_ROWS = 16;
const ORT_TIME_LIMIT_MS = 90_000;

/** Query positions spread over the sequence, first and last included. */
function sampledPositions(seq: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => Math.round((i * (seq - 1)) / (count - 1)));
}

/** Copies rows `positions` of every head out of a [1, H, S, D] array. */
function gatherRows(data: Float32Array, heads: number, seq: number, headSize: number, positions: readonly number[]): Float32Array {
  const out = new Float32Array(heads * positions.length * headSize);
  positions.forEach((position, row) => {
    for (let head = 0; head < heads; head++) {
      const from = (head * seq + position) * headSize;
      out.set(data.subarray(from, from + headSize), (head * positions.length + row) * headSize);
    }
  });
  return out;
}

function checkSampledRows(longContext: LongContextCase, feeds: readonly FeedData[], output: Float32Array): number {
  const { heads, seq, headSize } = longContext.spec;
  const positions = sampledPositions(seq, SAMPLED_ROWS);
  const [q, k, v] = feeds;
  const rowsShape = [1, heads, positions.length, headSize];
  const reference = interpret(buildRowSampleGraph(longContext.spec, positions.length), {
    q: tensor('f32', rowsShape, gatherRows(q.data, heads, seq, headSize, positions)),
    k: tensor('f32', k.shape, k.data),
    v: tensor('f32', v.shape, v.data),
  }).out.data as Float32Array;
  return maxAbsError(gatherRows(output, heads, seq, headSize, positions), reference);
}

async function measureLadon(longContext: LongContextCase, threads: number, progress: Progress): Promise<LadonLongContext> {
  const loaded = await createLadonSession(buildAttentionGraph(longContext.spec, true), { relaxedSimd: 'auto', threads });
  if ('unavailable' in loaded) return { threads, unavailable: loaded.unavailable };
  try {
    return { threads, ...(await timeLadon(loaded, longContext, progress)) };
  } catch (error) {
    return { threads, unavailable: `failed while running: ${describeFailure(error)}` };
  } finally {
    loaded.session.dispose();
  }
}

async function timeLadon(loaded: LadonSession, longContext: LongContextCase, progress: Progress): Promise<Omit<LadonLongContext, 'threads'>> {
  const warmupFeeds = attentionFeeds({ ...longContext.spec, seq: longContext.warmupSeq });
  for (let run = 0; run < 3; run++) await runLadon(loaded.session, warmupFeeds, 'out');
  const feeds = attentionFeeds(longContext.spec);
  progress(`long context S=${longContext.spec.seq}: Ladon running (one timed run)`);
  const { ms, value } = await timed(() => runLadon(loaded.session, feeds, 'out'));
  progress(`long context S=${longContext.spec.seq}: Ladon took ${(ms / 1000).toFixed(1)} s; checking ${SAMPLED_ROWS} rows per head`);
  const arena = await arenaUsage(loaded, feeds);
  return { ms, arena, sampledRows: SAMPLED_ROWS, maxAbsError: checkSampledRows(longContext, feeds, value) };
}

/** Runs onnxruntime-web on the long-context case in a worker thread, stopped after a time limit. */
function tryOrt(longContext: LongContextCase): Promise<OrtLongContext> {
  const worker = new Worker(new URL('./ort-long-context-worker.js', import.meta.url), { workerData: longContext });
  return new Promise<OrtLongContext>((resolve) => {
    const timer = setTimeout(() => resolve({ cannotRun: `no result within ${ORT_TIME_LIMIT_MS / 1000} s (stopped)` }), ORT_TIME_LIMIT_MS);
    worker.once('message', (message: OrtLongContext) => resolve(message));
    worker.once('error', (error) => resolve({ cannotRun: describeFailure(error) }));
    worker.once('exit', (code) => resolve({ cannotRun: `the worker exited (code ${code}) without a result` }));
    worker.once('message', () => clearTimeout(timer));
  }).finally(() => void worker.terminate());
}

/** Runs the long-context case (see the module comment), Ladon on `threads` threads. */
export async function measureLongContext(longContext: LongContextCase, threads: number, progress: Progress): Promise<LongContextOutcome> {
  const { heads, seq } = longContext.spec;
  progress(`long context S=${seq}: Ladon (${threads} threads) warming up at S=${longContext.warmupSeq}`);
  const ladon = await measureLadon(longContext, threads, progress);
  if (ladon.unavailable) progress(`long context S=${seq}: Ladon not available: ${ladon.unavailable}`);
  progress(`long context S=${seq}: trying onnxruntime-web in a worker (limit ${ORT_TIME_LIMIT_MS / 1000} s)`);
  const ort = await tryOrt(longContext);
  progress(`long context S=${seq}: onnxruntime-web ${ort.ms === undefined ? `cannot run: ${ort.cannotRun}` : `took ${(ort.ms / 1000).toFixed(1)} s`}`);
  return { longContext, flops: attentionFlops(longContext.spec), scoresBytes: heads * seq * seq * 4, ladon, ort };
}
