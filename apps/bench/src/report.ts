/**
 * The report: RESULTS.md (machine, versions, how each runtime runs, the
 * tables, the targets, the chart) and the console summary.
 */
import { FLOP_FORMULAS } from './cases.js';
import { positionTable, positionTargets } from './position-report.js';
import { formatBytes } from './report-format.js';
import { baselineTable, bundleTable, firstResultTable, longContextTable, speedTable, targetChecks, targetTable } from './report-tables.js';
import type { BenchResults } from './results.js';

/** The file name of the chart, beside RESULTS.md. */
export const CHART_FILE = 'results.svg';

function machineSection(results: BenchResults): string {
  const { machine } = results;
  const flags = machine.nodeFlags.length > 0 ? machine.nodeFlags.join(' ') : 'none';
  return [
    `- CPU: ${machine.cpuModel}, ${machine.cores} cores visible (${machine.memoryGiB} GiB memory)`,
    `- Node ${machine.node}; V8 wasm flags: ${flags}; relaxed SIMD (FMA) available to Ladon: ${machine.relaxedSimd ? 'yes' : 'no'}`,
    `- Run: ${results.startedAt.toISOString()}, ${results.durationSeconds.toFixed(0)} s${results.plan.quick ? ', --quick (small sizes, few rounds: a smoke run, not a measurement)' : ''}`,
    '',
    ...Object.entries(machine.packages).map(([name, version]) => `- \`${name}\` ${version}`),
  ].join('\n');
}

function methodSection(results: BenchResults): string {
  return [
    ...results.setups.map((entry) => `- **${entry.runtime}**: ${entry.setup}`),
    '',
    'All runtimes run in one Node process on the same seeded inputs (onnxruntime-web in one worker thread per thread',
    'count, since it fixes its thread count per JS realm). Each is warmed up before timing (V8 first runs new wasm in its',
    'baseline tier); then every round runs each runtime once, in an order that rotates each round, so drift in machine',
    'speed falls on all alike. Times are wall clock around one `run` call, including copying the inputs in and the',
    'output out (timed inside the worker for onnxruntime-web). onnxruntime runs every variant of the math it offers',
    '(the unfused graph, ONNX `Attention`-23, its contrib `MultiHeadAttention` and, for the block, contrib `Attention`',
    'with packed QKV); `time ÷ ORT-web` divides a runtime’s median by the fastest onnxruntime-web variant’s at the same',
    'thread count whose output is right (below 1 = faster). `max abs err` compares the first output with the reference',
    'named in the last column.',
    '',
    `FLOPs: attention core ${FLOP_FORMULAS.attention}; MHA block ${FLOP_FORMULAS.mhaBlock}.`,
    'Legend: B batch (1), H heads, S sequence length, D head size, E model width.',
  ].join('\n');
}

/** What is not equal between the runtimes, so the numbers are read right. */
const CAVEATS = [
  'Causal: every runtime is credited the halved FLOP count, but onnxruntime-web and tfjs compute all S² scores and then mask them, so their GFLOP/s there is useful work per second, not what their kernels execute.',
  'Threads: Ladon and onnxruntime-web run at each thread count in the table; onnxruntime-node (native) and tfjs at one thread only (tfjs has no threads in Node).',
  'SIMD: onnxruntime-web ships one plain-SIMD wasm build; Ladon uses relaxed-SIMD FMA only when V8 allows it (on Node 20: `node --experimental-wasm-relaxed-simd apps/bench/dist/main.js`), shown under Machine.',
  'tfjs has no LayerNorm and no fused masking: the MHA block composes LayerNorm from mean/variance ops, and causal masking adds a -∞ upper triangle instead of a Where.',
  'Time to first result is one cold try per runtime in one process, in the order onnxruntime-web, tfjs, Ladon; the harness had already imported @ladon/ir (it builds the graphs), so Ladon\'s time leaves out loading it.',
  'The long-context run is a single timed run after a warm-up at a short length on the same program; onnxruntime-web is tried (one thread) in a worker thread with a time limit.',
  'This machine is shared and noisy (absolute times drift by about ±20% between runs): compare ratios within one run; the IQR column shows the spread.',
];

/** What the position cases are (position-graphs.ts). */
const POSITION_NOTE = [
  'The same unfused graph on both runtimes (symbolic sequence length, as exporters write dynamic axes), at the same thread count,',
  'interleaved rounds: ALiBi slope·(j − i) and a learned relative bias looked up at the clamped distance j − i (T5 style, M = 128)',
  'added to the scaled scores, and LLaMA-style rotary (cos/sin of positions, rotate_half) with K/V repeated for GQA.',
  "Ladon fuses them: rotary is applied as Q and K are read, the biases are computed per score from positions. Ladon's memory",
  'comes from its memory plan (per thread count: each thread has its own kernel scratch); onnxruntime-web\'s is the process RSS growth over its session creation and first run.',
].join(' ');

function targetsSection(results: BenchResults): string {
  const checks = [...targetChecks(results), ...(results.plan.quick ? [] : positionTargets(results.positions))];
  if (checks.length === 0) return 'Targets are checked only by the full run (`npm run bench` without `--quick`).';
  return targetTable(checks);
}

function footprintSection(results: BenchResults): string {
  const { label, onnxBytes, programBytes } = results.firstResultCase;
  const programLine = programBytes === undefined ? 'not available (no compiled program)' : formatBytes(programBytes);
  return [
    'What an application downloads to run a model (raw and gzip -9 per file):',
    '',
    bundleTable(results),
    '',
    `Model files for ${label}: ONNX ${formatBytes(onnxBytes)}; Ladon's compiled program (with its wasm kernels) ${programLine}.`,
    '',
    `Time to first result on ${label} (measured first in the process, one try each, so noisy):`,
    '',
    firstResultTable(results),
  ].join('\n');
}

/** RESULTS.md. */
export function resultsMarkdown(results: BenchResults): string {
  return [
    '# Ladon benchmark results',
    '',
    'Written by `npm run bench -- --update-results` (apps/bench); do not edit by hand.',
    '',
    '## Machine',
    '',
    machineSection(results),
    '',
    '## How each runtime runs',
    '',
    methodSection(results),
    '',
    '## Speed',
    '',
    baselineTable(results),
    '',
    'Every runtime, variant and thread count:',
    '',
    speedTable(results),
    '',
    `![GFLOP/s per case and runtime](${CHART_FILE})`,
    '',
    '## Long context',
    '',
    longContextTable(results),
    '',
    '## Position information inside the attention',
    '',
    POSITION_NOTE,
    '',
    positionTable(results.positions),
    '',
    '## Footprint',
    '',
    footprintSection(results),
    '',
    '## Targets',
    '',
    targetsSection(results),
    '',
    '## Caveats',
    '',
    ...CAVEATS.map((caveat) => `- ${caveat}`),
    '',
  ].join('\n');
}

/** The console summary: the same tables without the prose. */
export function consoleSummary(results: BenchResults): string {
  return [
    speedTable(results),
    '',
    baselineTable(results),
    '',
    longContextTable(results),
    '',
    positionTable(results.positions),
    '',
    bundleTable(results),
    '',
    firstResultTable(results),
    '',
    targetsSection(results),
    '',
  ].join('\n');
}
