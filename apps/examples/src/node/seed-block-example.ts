/**
 * The seed multi-head attention block (d_model 64, 8 heads, built op by op
 * with the IR builder): compiled for wasm and, when an adapter exists,
 * WebGPU; checked against the reference interpreter; timed; and a
 * per-head summary of its attention weights.
 */
import { compileGraph } from '@ladon/compiler';
import { compareTensors, interpret, tensor, type Graph, type Tensor } from '@ladon/ir';
import { webGpuAvailable } from '@ladon/runtime';
import { mulberry32, normals } from '../random.js';
import { buildSeedBlock } from '../seed-block-graph.js';
import { compileAndRun, type BackendRun, type CompiledBackend } from './backend-run.js';
import { formatMs, timed } from './timing.js';

/** The largest |backend - reference| the example accepts. */
export const SEED_BLOCK_TOLERANCE = 1e-4;

const BATCH = 2;
const SEQ = 128;
const D_MODEL = 64;
const HEADS = 8;
const PADDED_KEYS = 16;
const WARM_RUNS = { wasm: 20, webgpu: 5 } as const;

/** The seed block's result on one backend. */
export interface SeedBlockResult {
  readonly backend: CompiledBackend;
  readonly maxAbsError: number;
  readonly withinTolerance: boolean;
}

function seedBlockFeeds(): Record<string, Tensor> {
  const x = tensor('f32', [BATCH, SEQ, D_MODEL], normals(mulberry32(7), BATCH * SEQ * D_MODEL));
  const keep = Array.from({ length: BATCH * SEQ }, (_, index) => (index >= BATCH * SEQ - PADDED_KEYS ? 0 : 1));
  return { x, mask: tensor('i64', [BATCH, 1, 1, SEQ], keep) };
}

function fusedOpCounts(graph: Graph): string {
  const counts = new Map<string, number>();
  for (const node of compileGraph(graph).graph.nodes) counts.set(node.op, (counts.get(node.op) ?? 0) + 1);
  return [...counts].map(([op, count]) => `${op} x${count}`).join(', ');
}

function maxAbsError(outputs: Record<string, Tensor>, reference: Record<string, Tensor>): number {
  const tolerance = { rtol: 0, atol: SEED_BLOCK_TOLERANCE };
  return Math.max(...Object.keys(reference).map((name) => compareTensors(outputs[name], reference[name], tolerance).maxAbsErr));
}

function describeRun(run: BackendRun, error: number): string {
  const verdict = error <= SEED_BLOCK_TOLERANCE ? 'within' : 'NOT within';
  return (
    `${run.backend.padEnd(6)} compile ${formatMs(run.compileMs)} · load ${formatMs(run.loadMs)} · first run ${formatMs(run.firstRunMs)} · ` +
    `warm median ${formatMs(run.warmMedianMs)} (${run.warmRuns} runs) · max |error| ${error.toExponential(2)} (${verdict} ${SEED_BLOCK_TOLERANCE})`
  );
}

/** Runs the seed block example, logging through `log`; returns each backend's check. */
export async function runSeedBlockExample(log: (line: string) => void): Promise<SeedBlockResult[]> {
  const graph = buildSeedBlock({ dModel: D_MODEL, heads: HEADS }, 1, { attentionWeights: true });
  log(`seed MHA block: d_model ${D_MODEL}, ${HEADS} heads, ${graph.nodes.length} ops as built; compiled graph: ${fusedOpCounts(graph)}`);
  const feeds = seedBlockFeeds();
  const reference = await timed(() => interpret(graph, feeds));
  log(`input x ${BATCH}x${SEQ}x${D_MODEL}, mask pads the last ${PADDED_KEYS} keys of batch 1; reference interpreter ${formatMs(reference.ms)}`);
  const backends: CompiledBackend[] = (await webGpuAvailable()) ? ['wasm', 'webgpu'] : ['wasm'];
  if (backends.length === 1) log('WebGPU: no adapter here, running wasm only');
  const results: SeedBlockResult[] = [];
  for (const backend of backends) {
    const run = await compileAndRun(graph, backend, feeds, WARM_RUNS[backend]);
    const error = maxAbsError(run.outputs, reference.value);
    log(describeRun(run, error));
    if (backend === 'wasm') for (const line of summarizeHeads(run.outputs.attention_weights)) log(line);
    run.session.dispose();
    results.push({ backend, maxAbsError: error, withinTolerance: error <= SEED_BLOCK_TOLERANCE });
  }
  return results;
}

interface HeadStatistics {
  maxWeight: number;
  entropyBits: number;
  paddedMass: number;
}

function headStatistics(weights: Tensor, head: number): HeadStatistics {
  const data = weights.data as Float32Array;
  const total = { maxWeight: 0, entropyBits: 0, paddedMass: 0 };
  for (let b = 0; b < BATCH; b++) {
    for (let query = 0; query < SEQ; query++) {
      const row = data.subarray(((b * HEADS + head) * SEQ + query) * SEQ, ((b * HEADS + head) * SEQ + query + 1) * SEQ);
      total.maxWeight += Math.max(...row);
      total.entropyBits -= row.reduce((sum, p) => (p > 0 ? sum + p * Math.log2(p) : sum), 0);
      if (b === BATCH - 1) total.paddedMass += row.subarray(SEQ - PADDED_KEYS).reduce((sum, p) => sum + p, 0);
    }
  }
  const rows = BATCH * SEQ;
  return { maxWeight: total.maxWeight / rows, entropyBits: total.entropyBits / rows, paddedMass: total.paddedMass / SEQ };
}

/** One line per head: mean largest weight, mean entropy, and the weight the padded keys got (should be 0). */
function summarizeHeads(weights: Tensor): string[] {
  const uniformBits = Math.log2(SEQ).toFixed(2);
  const lines = [`  per head (wasm attention weights; random weights, so no head has a job yet; uniform over ${SEQ} keys = ${uniformBits} bits):`];
  for (let head = 0; head < HEADS; head++) {
    const stats = headStatistics(weights, head);
    lines.push(
      `    head ${head}: mean max weight ${stats.maxWeight.toFixed(3)} · entropy ${stats.entropyBits.toFixed(2)} bits · ` +
        `weight on padded keys ${stats.paddedMass.toExponential(1)}`,
    );
  }
  return lines;
}
