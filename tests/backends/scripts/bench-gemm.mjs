/* global process, console, performance */
/**
 * GEMM speed of the wasm kernels (a script, not a test). Build first, then
 * from packages/runtime:
 *
 *   node --experimental-wasm-relaxed-simd src/wasm/ops/bench-gemm.mjs [M,K,N] [linear|matmul|transB]
 *
 * linear: Linear with a constant weight (packed at compile time);
 * matmul / transB: MatMul / FusedMatMul(transB) with both operands as inputs
 * (B packed at run time). Times the kernel calls only (not the feed and
 * output copies), after warm-up so V8's optimising tier runs; prints the
 * best and the median of 9 rounds for the plain and the relaxed module.
 */
import { compileProgram } from '@ladon/compiler';
import { GraphBuilder, tensor } from '@ladon/ir';
import { relaxedSimdSupported, WasmSession } from '@ladon/runtime';

const [M, K, N] = (process.argv[2] ?? '512,768,768').split(',').map(Number);
const mode = process.argv[3] ?? 'linear';
let seed = 1;
const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
const randomTensor = (shape) => tensor('f32', shape, Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, random));

const g = new GraphBuilder('bench_gemm');
const x = g.input('x', 'f32', ['m', K]);
const feeds = { x: randomTensor([M, K]) };
let y;
if (mode === 'linear') {
  y = g.op('Linear', [x, g.constant(randomTensor([K, N])), g.constant(randomTensor([N]))]);
} else if (mode === 'transB') {
  feeds.w = randomTensor([N, K]);
  y = g.op('FusedMatMul', [x, g.input('w', 'f32', [N, K])], { transB: 1 });
} else {
  feeds.w = randomTensor([K, N]);
  y = g.op('MatMul', [x, g.input('w', 'f32', [K, N])]);
}
g.output(y, 'y');
const program = await compileProgram(g.build(), { target: 'wasm', passes: [] });
const flops = 2 * M * N * K;

for (const relaxed of relaxedSimdSupported() ? [false, true] : [false]) {
  const session = await WasmSession.create(program, { relaxedSimd: relaxed });
  // time the kernel exports only: wrap them (the session's private kernel table)
  const timing = { ms: 0 };
  session.kernels = Object.fromEntries(
    Object.entries(session.kernels).map(([name, kernel]) => [name, (...args) => {
      const start = performance.now();
      kernel(...args);
      timing.ms += performance.now() - start;
    }]),
  );
  for (let i = 0; i < 10; i++) await session.run(feeds);
  const rounds = [];
  for (let round = 0; round < 9; round++) {
    timing.ms = 0;
    for (let i = 0; i < 5; i++) await session.run(feeds);
    rounds.push(timing.ms / 5);
  }
  rounds.sort((a, b) => a - b);
  const rate = (ms) => (flops / (ms * 1e6)).toFixed(1);
  console.log(`${mode} ${M}x${K}x${N} ${relaxed ? 'relaxed SIMD' : 'plain SIMD  '}: best ${rounds[0].toFixed(2)} ms = ${rate(rounds[0])} GFLOP/s, median ${rounds[4].toFixed(2)} ms = ${rate(rounds[4])} GFLOP/s`);
}
