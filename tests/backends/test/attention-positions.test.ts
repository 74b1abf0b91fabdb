/**
 * Attention with positions inside (Ladon's extension: rotary tables, ALiBi,
 * key positions, relative position bias) on wasm and WebGPU against the
 * reference interpreter: rotate-half, interleaved and partial rotary (with
 * tables broadcast over the batch, 3-D layouts, GQA), every ALiBi form, key
 * positions, relative biases near and far from the diagonal (the saturated
 * tiles), a KV cache offsetting the query positions, long sequences over
 * many key blocks, and the row kernel (attention weights returned).
 */
import { compileProgram } from '@ladon/compiler';
import { compareTensors, GraphBuilder, interpret, tensor, type Attributes, type Graph, type Tensor } from '@ladon/ir';
import { randomTensor, seededRandom } from '@ladon/ir/testing';
import { Session, WasmSession } from '@ladon/runtime';
import { describe, expect, it } from 'vitest';
import { describeGpu, expectOutputs } from '../src/gpu.js';

interface Case {
  readonly name: string;
  /** [B, Hq, Hkv, Sq, P (past), D] */
  readonly sizes: readonly [number, number, number, number, number, number];
  readonly attrs?: Attributes;
  /** Rotary: R/2, and whether the tables broadcast over the batch. */
  readonly rotary?: { readonly half: number; readonly batchOne?: boolean };
  readonly alibi?: boolean;
  readonly keyPositions?: boolean;
  readonly relative?: number;
  readonly mask?: 'bool' | 'f32';
  readonly layout3d?: boolean;
  readonly weights?: number;
}

const CASES: readonly Case[] = [
  { name: 'rotate-half, causal GQA over several key blocks', sizes: [2, 4, 2, 75, 0, 16], attrs: { is_causal: 1 }, rotary: { half: 8 } },
  { name: 'interleaved, tables broadcast over the batch, 3-D layout', sizes: [2, 2, 2, 9, 0, 8], attrs: { rotary_interleaved: 1 }, rotary: { half: 4, batchOne: true }, layout3d: true },
  { name: 'partial rotary dim 8 of 16, attention weights (row kernel)', sizes: [1, 2, 2, 7, 0, 16], attrs: { qk_matmul_output_mode: 3 }, rotary: { half: 4 }, weights: 3 },
  { name: 'ALiBi over key positions with a bool mask', sizes: [2, 3, 3, 11, 0, 8], alibi: true, keyPositions: true, mask: 'bool' },
  { name: 'ALiBi relative, causal, 150 keys', sizes: [1, 2, 2, 150, 0, 8], attrs: { is_causal: 1, alibi_form: 'relative' }, alibi: true },
  { name: 'ALiBi symmetric, bidirectional', sizes: [2, 4, 2, 21, 0, 8], attrs: { alibi_form: 'symmetric' }, alibi: true },
  { name: 'relative bias M=5 over 70 keys (saturated tiles), float mask', sizes: [2, 2, 2, 70, 0, 8], relative: 5, mask: 'f32' },
  { name: 'relative bias and ALiBi over a KV cache (query positions offset by the past), causal', sizes: [1, 2, 2, 13, 20, 8], attrs: { is_causal: 1, alibi_form: 'relative' }, relative: 3, alibi: true },
  { name: 'relative bias, scores with the bias (mode 2)', sizes: [1, 2, 2, 9, 0, 8], attrs: { qk_matmul_output_mode: 2, is_causal: 1 }, relative: 2, weights: 2 },
];

function build(c: Case): { graph: Graph; feeds: Record<string, Tensor> } {
  const next = seededRandom(2024);
  const [batch, qHeads, kvHeads, seq, past, size] = c.sizes;
  const g = new GraphBuilder('positions');
  const feeds: Record<string, Tensor> = {};
  const input = (name: string, value: Tensor) => {
    feeds[name] = value;
    return g.input(name, value.dtype, value.shape);
  };
  const operand = (name: string, heads: number) => input(name, randomTensor(next, 'f32', c.layout3d ? [batch, seq, heads * size] : [batch, heads, seq, size]));
  const inputs = [operand('q', qHeads), operand('k', kvHeads), operand('v', kvHeads), undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined];
  if (c.mask) inputs[3] = input('mask', c.mask === 'bool' ? randomTensor(next, 'bool', [batch, 1, seq, seq + past], { trueChance: 0.8 }) : randomTensor(next, 'f32', [1, qHeads, seq, seq + past], { low: -2, high: 1 }));
  if (past) [inputs[4], inputs[5]] = [input('past_key', randomTensor(next, 'f32', [batch, kvHeads, past, size])), input('past_value', randomTensor(next, 'f32', [batch, kvHeads, past, size]))];
  if (c.rotary) {
    const tableBatch = c.rotary.batchOne ? 1 : batch;
    const angles = Array.from({ length: tableBatch * seq * c.rotary.half }, () => (next() - 0.5) * 12);
    inputs[7] = input('cos', tensor('f32', [tableBatch, seq, c.rotary.half], angles.map(Math.cos)));
    inputs[8] = input('sin', tensor('f32', [tableBatch, seq, c.rotary.half], angles.map(Math.sin)));
  }
  if (c.alibi) inputs[9] = g.constant(tensor('f32', [qHeads], Array.from({ length: qHeads }, (_, h) => 2 ** -(h + 1))), 'slopes');
  if (c.keyPositions) inputs[10] = input('key_positions', tensor('f32', [batch, seq + past], Array.from({ length: batch * (seq + past) }, (_, n) => Math.max(0, (n % (seq + past)) - (n < seq + past ? 0 : 2)))));
  if (c.relative !== undefined) inputs[11] = g.constant(randomTensor(next, 'f32', [qHeads, 2 * c.relative + 1], { low: -2, high: 2 }), 'relative');
  const attrs: Attributes = { ...(c.attrs ?? {}), ...(c.layout3d ? { q_num_heads: qHeads, kv_num_heads: kvHeads } : {}), ...(c.relative !== undefined ? { relative_max_distance: c.relative } : {}) };
  while (inputs[inputs.length - 1] === undefined) inputs.pop();
  const [y, , , weights] = g.opMulti('Attention', inputs, attrs, [true, false, false, c.weights !== undefined]);
  g.output(y!, 'y');
  if (weights) g.output(weights, 'weights');
  return { graph: g.build(), feeds };
}

const TOLERANCE = { rtol: 1e-4, atol: 2e-5 };

describe('attention positions on wasm', () => {
  it.each(CASES)('$name', async (c) => {
    const { graph, feeds } = build(c);
    const expected = interpret(graph, feeds);
    const program = await compileProgram(graph, { target: 'wasm', passes: [] });
    // One thread, and three (the flash kernel's query tiles split unevenly over the parts).
    for (const numThreads of [1, 3]) {
      const session = await WasmSession.create(program, { relaxedSimd: false, numThreads });
      const actual = await session.run(feeds);
      for (const name of graph.outputs) expect(compareTensors(actual[name], expected[name], TOLERANCE).problem ?? '', `${name} on ${numThreads} threads`).toBe('');
      session.dispose();
    }
  });
});

describeGpu('attention positions on WebGPU', () => {
  it.each(CASES)('$name', async (c) => {
    const { graph, feeds } = build(c);
    const session = await Session.create(graph, { backend: 'webgpu' });
    expectOutputs(await session.run(feeds), interpret(graph, feeds), () => TOLERANCE);
    session.dispose();
  }, 120_000);
});
