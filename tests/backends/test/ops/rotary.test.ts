/**
 * RotaryEmbedding on wasm and WebGPU against the reference interpreter, on
 * random inputs beyond the conformance cases: [B, H, S, D] and [B, S, H·D]
 * inputs with symbolic batch and sequence, halves and interleaved pairs,
 * full and partial rotary dims, caches indexed by random position ids or by
 * (batch, sequence).
 */
import { GraphBuilder, type Dim, type Graph } from '@ladon/ir';
import { describe, it } from 'vitest';
import { describeGpu } from '../../src/gpu.js';
import { checkOnWasm } from '../../src/wasm-check.js';
import { checkOnWebGpu } from '../../src/webgpu-check.js';

const SIZES = [{ batch: 2, seq: 5 }, { batch: 1, seq: 8 }];
const POSITIONS = 16;

interface RotaryCase {
  readonly name: string;
  readonly input: Dim[];
  readonly half: number;
  readonly attrs: Readonly<Record<string, number>>;
  readonly positions: boolean;
}

function rotaryGraph({ input, half, attrs, positions }: RotaryCase): Graph {
  const g = new GraphBuilder('rotary');
  const x = g.input('x', 'f32', input);
  const cacheShape: Dim[] = positions ? [POSITIONS, half] : ['batch', 'seq', half];
  const inputs = [x, g.input('cos', 'f32', cacheShape), g.input('sin', 'f32', cacheShape)];
  if (positions) inputs.push(g.input('positions', 'i64', ['batch', 'seq']));
  g.output(g.op('RotaryEmbedding', inputs, attrs), 'y');
  return g.build();
}

const CASES: readonly RotaryCase[] = [
  { name: '[B, H, S, D], halves, position ids', input: ['batch', 3, 'seq', 8], half: 4, attrs: {}, positions: true },
  { name: '[B, H, S, D], interleaved, partial, position ids', input: ['batch', 2, 'seq', 10], half: 3, attrs: { interleaved: 1, rotary_embedding_dim: 6 }, positions: true },
  { name: '[B, S, H·D], halves, partial, caches per (b, s)', input: ['batch', 'seq', 24], half: 2, attrs: { num_heads: 3, rotary_embedding_dim: 4 }, positions: false },
  { name: '[B, S, H·D], interleaved, caches per (b, s)', input: ['batch', 'seq', 12], half: 3, attrs: { num_heads: 2, interleaved: 1 }, positions: false },
];

const FILLS = { positions: { low: 0, high: POSITIONS - 1 } };

describe('RotaryEmbedding on wasm', () => {
  it.each(CASES)('$name', async (spec) => {
    await checkOnWasm(rotaryGraph(spec), { sizes: SIZES, fills: FILLS, tolerance: { rtol: 1e-5, atol: 1e-5 } });
  });
});

describeGpu('RotaryEmbedding on webgpu', () => {
  it.each(CASES)('$name', async (spec) => {
    await checkOnWebGpu(rotaryGraph(spec), { sizes: SIZES, fills: FILLS });
  });
});
