import { GraphBuilder } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { summarizeAttention } from './attention-summary.js';

describe('summarizeAttention', () => {
  it('names the heads, causality, cache, rotary, bias form and mask of each Attention', () => {
    const g = new GraphBuilder('summary');
    const q = g.input('q', 'f32', ['batch', 'seq', 32]);
    const [k, v] = ['k', 'v'].map((name) => g.input(name, 'f32', ['batch', 'seq', 16]));
    const past = ['past_key', 'past_value'].map((name) => g.input(name, 'f32', ['batch', 2, 'past', 8]));
    const tables = ['cos', 'sin'].map((name) => g.input(name, 'f32', [1, 'seq', 2]));
    const heads = { q_num_heads: 4, kv_num_heads: 4 };
    const rotated = g.op('Attention', [q, q, q], { ...heads, is_causal: 1 }, 'plain');
    const [withCache] = g.opMulti('Attention', [q, k, v, undefined, ...past, undefined, ...tables], { q_num_heads: 4, kv_num_heads: 2, is_causal: 1, rotary_interleaved: 1 }, [true, false, false, false]);
    const pad = g.input('pad', 'bool', ['batch', 1, 1, 'past+seq']);
    const relative = g.input('relative', 'f32', [4, 5]);
    const [biased, , , weights] = g.opMulti('Attention', [q, k, v, pad, ...past, undefined, undefined, undefined, g.input('slopes', 'f32', [4]), undefined, relative], { q_num_heads: 4, kv_num_heads: 2, alibi_form: 'relative', relative_max_distance: 2, qk_matmul_output_mode: 3 }, [true, false, false, true]);
    g.output(rotated, 'a');
    g.output(withCache!, 'b');
    g.output(biased!, 'c');
    g.output(weights!, 'w');
    const [first, second, third] = summarizeAttention(g.build());
    expect(first).toEqual({ output: 'a', heads: 4, kvHeads: 4, headSize: 8, causal: true, kvCache: false, rotary: 'none', rotaryDim: 0, bias: 'none', mask: 'none' });
    expect(second).toMatchObject({ output: 'b', kvHeads: 2, kvCache: true, rotary: 'interleaved', rotaryDim: 4 });
    expect(third).toMatchObject({ bias: 'alibi', alibiForm: 'relative', mask: 'bool', weightsMode: 3 });
  });
});
