/**
 * Position information inside the attention: ALiBi and a relative position
 * bias at S = 4096, H = 12 (causal and not), and LLaMA-style rotary with GQA
 * at S = 1024 (position-graphs.ts). Ladon (wasm) and onnxruntime-web (its
 * worker thread, ort-web-runner.ts) run the same unfused graph at each
 * thread count of the plan, interleaved in this process; the ratio is
 * onnxruntime-web's median over Ladon's at the same thread count. Memory:
 * Ladon's scratch from its memory plan and its largest buffer against S²
 * elements; onnxruntime-web's process RSS growth over preparing and running
 * it once, beside the count of [H, S, S] tensors the unfused graph writes.
 */
import { exportOnnxModel } from '@ladon/onnx';
import { attentionFlops, type AttentionSpec } from './cases.js';
import { feedTensors, type CaseData, type FeedData } from './inputs.js';
import { arenaUsage, createLadonSession, preparedLadonCase, type ArenaUsage } from './ladon-runner.js';
import type { Progress } from './measure-case.js';
import { ortWebRunner } from './ort-web-runner.js';
import type { PositionCase } from './position-cases.js';
import { buildPositionGraph, type PositionSpec } from './position-graphs.js';
import { normals } from './random.js';
import { describeFailure, isUnavailable, type PreparedCase } from './runner.js';
import { maxAbsError, summarize, type TimingSummary } from './statistics.js';

/** What one runtime measured on a position case at one thread count. */
export interface PositionSide {
  readonly timing?: TimingSummary;
  readonly unavailable?: string;
}

/** What a position case measured at one thread count. */
export interface PositionOutcome {
  readonly positionCase: PositionCase;
  readonly threads: number;
  readonly flops: number;
  /** Ladon's timing, memory plan and largest buffer besides the inputs and output (f32 elements). */
  readonly ladon: PositionSide & { readonly arena?: ArenaUsage; readonly largestBufferElements?: number };
  readonly ort: PositionSide & { readonly rssGrowthBytes?: number };
  /** S² and how many [.., S, S] values the unfused graph has (what a runtime without fusion writes). */
  readonly squareElements: number;
  readonly unfusedSquareValues: number;
  /** Max |Ladon - onnxruntime-web| on the first outputs. */
  readonly maxAbsError?: number;
}

function feedsOf(spec: PositionSpec): FeedData[] {
  const shape = (heads: number): number[] => [1, heads, spec.seq, spec.headSize];
  return [
    { name: 'q', shape: shape(spec.heads), data: normals(31, spec.heads * spec.seq * spec.headSize) },
    { name: 'k', shape: shape(spec.kvHeads), data: normals(32, spec.kvHeads * spec.seq * spec.headSize) },
    { name: 'v', shape: shape(spec.kvHeads), data: normals(33, spec.kvHeads * spec.seq * spec.headSize) },
  ];
}

/** The attention core the case computes (for its FLOPs and the runners' case data). */
function coreSpec(spec: PositionSpec): AttentionSpec {
  return { kind: 'attention', heads: spec.heads, seq: spec.seq, headSize: spec.headSize, causal: spec.causal };
}

/** The case as the runners take it (onnxruntime-web's 'unfused' variant runs `onnx` as is). */
function caseData(positionCase: PositionCase): CaseData {
  const { spec } = positionCase;
  const graph = buildPositionGraph(spec);
  const benchCase = { id: positionCase.id, label: positionCase.label, spec: coreSpec(spec), rounds: positionCase.rounds, warmups: positionCase.warmups, reference: 'onnxruntime-web' as const };
  return { benchCase, graph, onnx: exportOnnxModel(graph), feeds: feedsOf(spec), outputName: 'out', outputShape: [1, spec.heads, spec.seq, spec.headSize] };
}

interface Contender {
  prepared?: PreparedCase;
  unavailable?: string;
  first?: Float32Array;
  readonly samples: number[];
}

/** Ladon's session, its arena use and its largest intermediate buffer (f32 elements). */
async function prepareLadon(data: CaseData, threads: number): Promise<Contender & { arena?: ArenaUsage; largest?: number }> {
  const loaded = await createLadonSession(data.graph, { relaxedSimd: 'auto', threads });
  if ('unavailable' in loaded) return { unavailable: loaded.unavailable, samples: [] };
  const { bindFeeds, planMemory } = await import('@ladon/runtime/testing');
  const plan = planMemory(loaded.program, bindFeeds(loaded.program, feedTensors(data.feeds)));
  const io = new Set([...loaded.program.inputs, ...loaded.program.outputs].map((value) => value.buffer));
  const largest = Math.max(0, ...[...plan.sizes].filter(([id]) => !io.has(id)).map(([, bytes]) => bytes / 4));
  return { prepared: preparedLadonCase(loaded, data), arena: await arenaUsage(loaded, data.feeds), largest, samples: [] };
}

/** onnxruntime-web's session (in its worker thread; RSS is the process's) and its first run. */
async function prepareOrt(data: CaseData, threads: number): Promise<Contender & { rssGrowthBytes?: number }> {
  const before = process.memoryUsage().rss;
  const prepared = await ortWebRunner('unfused', threads).prepare(data);
  if (isUnavailable(prepared)) return { unavailable: prepared.unavailable, samples: [] };
  const contender: Contender = { prepared, samples: [] };
  await runOnce(contender, false);
  return { ...contender, rssGrowthBytes: process.memoryUsage().rss - before };
}

async function runOnce(contender: Contender, record: boolean): Promise<void> {
  if (!contender.prepared) return;
  try {
    const { output, ms } = await contender.prepared.run();
    contender.first ??= output;
    if (record) contender.samples.push(ms);
  } catch (error) {
    contender.unavailable = `failed while running: ${describeFailure(error)}`;
    contender.prepared.dispose();
    contender.prepared = undefined;
  }
}

function sideOf(contender: Contender): PositionSide {
  return contender.samples.length ? { timing: summarize(contender.samples) } : { unavailable: contender.unavailable ?? 'no timed run' };
}

/** Measures one position case at `threads` threads (see the module comment). */
async function measureAt(positionCase: PositionCase, data: CaseData, threads: number, progress: Progress): Promise<PositionOutcome> {
  const label = `${positionCase.label} (${threads} thread${threads === 1 ? '' : 's'})`;
  progress(`${label}: preparing Ladon`);
  const ladon = await prepareLadon(data, threads);
  if (ladon.arena) progress(`${label}: Ladon's scratch ${(ladon.arena.scratchBytes / 2 ** 20).toFixed(1)} MiB, largest intermediate ${ladon.largest} elements (S² = ${positionCase.spec.seq ** 2})`);
  progress(`${label}: preparing onnxruntime-web (its first run allocates the [H, S, S] intermediates)`);
  const ort = await prepareOrt(data, threads);
  // onnxruntime-web's first run (in prepareOrt) is its first warm-up.
  for (let warmup = 0; warmup < positionCase.warmups; warmup++) for (const contender of warmup === 0 ? [ladon] : [ladon, ort]) await runOnce(contender, false);
  for (let round = 0; round < positionCase.rounds; round++) {
    for (const contender of round % 2 === 0 ? [ladon, ort] : [ort, ladon]) await runOnce(contender, true);
  }
  const median = (contender: Contender): string => (contender.samples.length ? `${summarize(contender.samples).medianMs.toFixed(0)} ms` : 'none');
  progress(`${label}: ${positionCase.rounds} rounds done (median Ladon ${median(ladon)}, onnxruntime-web ${median(ort)})`);
  for (const contender of [ladon, ort]) contender.prepared?.dispose();
  const { spec } = positionCase;
  return {
    positionCase,
    threads,
    flops: attentionFlops(coreSpec(spec)),
    ladon: { ...sideOf(ladon), ...(ladon.arena ? { arena: ladon.arena, largestBufferElements: ladon.largest } : {}) },
    ort: { ...sideOf(ort), ...(ort.rssGrowthBytes === undefined ? {} : { rssGrowthBytes: ort.rssGrowthBytes }) },
    squareElements: spec.seq * spec.seq,
    unfusedSquareValues: [...data.graph.values.values()].filter((value) => value.type.shape.slice(-2).every((dim) => dim === 'seq')).length,
    ...(ladon.first && ort.first ? { maxAbsError: maxAbsError(ladon.first, ort.first) } : {}),
  };
}

/** Measures one position case at every thread count. */
export async function measurePositionCase(positionCase: PositionCase, threadCounts: readonly number[], progress: Progress): Promise<PositionOutcome[]> {
  const data = caseData(positionCase);
  const outcomes: PositionOutcome[] = [];
  for (const threads of threadCounts) outcomes.push(await measureAt(positionCase, data, threads, progress));
  return outcomes;
}
