/* global process, console, performance */
/**
 * Speed of the wasm flash-attention kernel (a script, not a test): the
 * Attention op on Q, K, V of [1, H, S, D], whole runs timed after warm-up
 * (the feed and output copies are small beside the kernel). With --against
 * FILE it loads a program saved earlier (--save FILE) and interleaves the
 * two, printing the time ratio new ÷ old; with --threads 1,2 it interleaves
 * sessions on those thread counts and prints the speed-up. So a change is
 * judged in one process on a noisy machine. Build first (npm run build),
 * then from the repository root:
 *
 *   node --experimental-wasm-relaxed-simd apps/bench/scripts/attention-kernel.mjs [S=512] [H=12] [D=64] [causal]
 *        [--plain] [--threads N[,N...]] [--save FILE] [--against FILE]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { compileProgram } from '@ladon/compiler';
import { deserializeProgram, GraphBuilder, serializeProgram, tensor } from '@ladon/ir';
import { WasmSession } from '@ladon/runtime';

const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args.splice(args.indexOf(name), 2)[1] : undefined);
const save = option('--save');
const against = option('--against');
const threadCounts = (option('--threads') ?? '1').split(',').map(Number);
const plain = args.includes('--plain') ? (args.splice(args.indexOf('--plain'), 1), true) : false;
const causal = args.includes('causal');
const [S = 512, H = 12, D = 64] = args.filter((arg) => arg !== 'causal').map(Number);

let seed = 1;
const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
const shape = [1, H, S, D];
const feeds = Object.fromEntries(['q', 'k', 'v'].map((name) => [name, tensor('f32', shape, Float32Array.from({ length: H * S * D }, random))]));

const g = new GraphBuilder('bench_attention');
const [q, k, v] = ['q', 'k', 'v'].map((name) => g.input(name, 'f32', shape));
g.output(g.op('Attention', [q, k, v], causal ? { is_causal: 1 } : {}), 'y');
const program = await compileProgram(g.build(), { target: 'wasm', passes: [] });
if (save) writeFileSync(save, serializeProgram(program));
const flops = (4 * H * S * S * D) / (causal ? 2 : 1);

const loaded = [{ label: 'new', program, threads: threadCounts[0] }];
for (const threads of threadCounts.slice(1)) loaded.push({ label: `${threads} threads`, program, threads });
if (against) loaded.push({ label: against, program: deserializeProgram(readFileSync(against)), threads: threadCounts[0] });
const runs = [];
for (const entry of loaded) runs.push({ ...entry, session: await WasmSession.create(entry.program, { relaxedSimd: !plain, numThreads: entry.threads }) });
for (const run of runs) for (let i = 0; i < 8; i++) run.output = (await run.session.run(feeds)).y.data;
const samples = runs.map(() => []);
for (let round = 0; round < 15; round++) {
  for (const [index, run] of runs.entries()) {
    const start = performance.now();
    for (let i = 0; i < 3; i++) await run.session.run(feeds);
    samples[index].push((performance.now() - start) / 3);
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const rate = (ms) => (flops / (ms * 1e6)).toFixed(1);
const times = samples.map(median);
const caseLabel = `attention S=${S} H=${H} D=${D}${causal ? ' causal' : ''} ${plain ? 'plain SIMD' : 'relaxed SIMD'}`;
for (const [index, run] of runs.entries()) {
  let diff = 0;
  for (let i = 0; i < run.output.length; i++) diff = Math.max(diff, Math.abs(run.output[i] - runs[0].output[i]));
  const versus = index === 0 ? '' : `; ${runs[0].threads} thread(s) new ÷ this = ${(times[0] / times[index]).toFixed(3)}, max |diff| = ${diff.toExponential(1)}`;
  console.log(`${caseLabel}, ${run.label}, ${run.threads} thread(s): ${times[index].toFixed(2)} ms = ${rate(times[index])} GFLOP/s${versus}`);
}
for (const run of runs) run.session.dispose();
