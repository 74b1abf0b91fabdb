/**
 * The attention kernel across many key tiles, against the reference
 * interpreter: long sequences (several query tiles and key tiles, so the
 * online-softmax rescaling and causal/window tile skipping run), a KV cache
 * with bottom-right causal offset, GQA, bool and float (-inf) masks with
 * broadcasting and right padding, nonpad lengths, windows, softcap, and
 * every qk_matmul_output mode.
 */
import { GraphBuilder, interpret, tensor, type Attributes, type DType, type Graph, type Tensor, type ValueRef } from '@ladon/ir';
import { randomTensor as randomOf, seededRandom } from '@ladon/ir/testing';
import { it } from 'vitest';
import { Session } from '@ladon/runtime';
import { describeGpu, expectOutputs } from '../../src/gpu.js';

/** Sizes of one case (legend as in @ladon/ir ops/attention.ts). */
interface Case {
  readonly name: string;
  readonly batch: number;
  readonly qHeads: number;
  readonly kvHeads: number;
  readonly qSeq: number;
  readonly kvSeq: number;
  readonly past: number;
  readonly headSize: number;
  readonly vHeadSize: number;
  /** Mask shape and kind, if any. */
  readonly mask?: { readonly dtype: 'bool' | 'f32'; readonly shape: readonly number[] };
  readonly nonpad?: readonly number[];
  readonly attrs: Attributes;
  /** Also output present_key/present_value and qk_matmul_output. */
  readonly allOutputs?: boolean;
}

const CASES: readonly Case[] = [
  { name: 'causal GQA over a cache, bool mask [B,1,Sq,T]', batch: 2, qHeads: 4, kvHeads: 2, qSeq: 40, kvSeq: 40, past: 60, headSize: 16, vHeadSize: 8, mask: { dtype: 'bool', shape: [2, 1, 40, 100] }, attrs: { is_causal: 1 } },
  { name: 'head size 64 (8-key tiles), causal', batch: 1, qHeads: 2, kvHeads: 2, qSeq: 33, kvSeq: 70, past: 0, headSize: 64, vHeadSize: 64, attrs: { is_causal: 1 } },
  { name: 'windows, nonpad, softcap, padded float mask', batch: 2, qHeads: 2, kvHeads: 1, qSeq: 24, kvSeq: 90, past: 0, headSize: 8, vHeadSize: 12, mask: { dtype: 'f32', shape: [24, 80] }, nonpad: [90, 61], attrs: { left_window_size: 20, right_window_size: 5, softcap: 2 } },
  ...[0, 1, 2, 3].map((mode): Case => ({ name: `qk_matmul_output mode ${mode}, causal, cache`, batch: 1, qHeads: 2, kvHeads: 2, qSeq: 20, kvSeq: 20, past: 30, headSize: 8, vHeadSize: 8, mask: { dtype: 'f32', shape: [1, 2, 20, 50] }, attrs: { is_causal: 1, qk_matmul_output_mode: mode, softcap: mode === 1 ? 3 : 0 }, allOutputs: true })),
];

/** A seeded random tensor: floats in [-2, 2), bools true four times in five. */
function randomTensor(dtype: DType, shape: readonly number[], next: () => number): Tensor {
  return randomOf(next, dtype, shape, { low: -2, high: 2, trueChance: 0.8 });
}

function maskTensor(mask: NonNullable<Case['mask']>, next: () => number): Tensor {
  if (mask.dtype === 'bool') return randomTensor('bool', mask.shape, next);
  const count = mask.shape.reduce((product, dim) => product * dim, 1);
  return tensor('f32', mask.shape, Array.from({ length: count }, () => (next() < 0.15 ? -Infinity : next() - 0.5)));
}

function buildCase(test: Case): { graph: Graph; feeds: Record<string, Tensor> } {
  const next = seededRandom(11);
  const b = new GraphBuilder('attention');
  const feeds: Record<string, Tensor> = {};
  const input = (name: string, value: Tensor): ValueRef => {
    feeds[name] = value;
    return b.input(name, value.dtype, value.shape);
  };
  const { batch, qHeads, kvHeads, qSeq, kvSeq, past, headSize, vHeadSize } = test;
  const q = input('q', randomTensor('f32', [batch, qHeads, qSeq, headSize], next));
  const k = input('k', randomTensor('f32', [batch, kvHeads, kvSeq, headSize], next));
  const v = input('v', randomTensor('f32', [batch, kvHeads, kvSeq, vHeadSize], next));
  const mask = test.mask && input('mask', maskTensor(test.mask, next));
  const pastKey = past ? input('past_key', randomTensor('f32', [batch, kvHeads, past, headSize], next)) : undefined;
  const pastValue = past ? input('past_value', randomTensor('f32', [batch, kvHeads, past, vHeadSize], next)) : undefined;
  const nonpad = test.nonpad && input('nonpad', tensor('i64', [batch], test.nonpad));
  const wanted = test.allOutputs ? [true, true, true, true] : [true];
  const outputs = b.opMulti('Attention', [q, k, v, mask, pastKey, pastValue, nonpad], test.attrs, wanted);
  ['y', 'present_key', 'present_value', 'qk'].forEach((name, slot) => outputs[slot] && b.output(outputs[slot], name));
  return { graph: b.build(), feeds };
}

describeGpu('attention over many tiles on webgpu', () => {
  it.each(CASES.map((test) => [test.name, test] as const))('%s', async (_name, test) => {
    const { graph, feeds } = buildCase(test);
    const session = await Session.create(graph, { backend: 'webgpu' });
    try {
      expectOutputs(await session.run(feeds), interpret(graph, feeds), () => ({ rtol: 1e-4, atol: 1e-5 }));
    } finally {
      session.dispose();
    }
  });
});
