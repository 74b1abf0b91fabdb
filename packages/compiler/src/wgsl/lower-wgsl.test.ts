/**
 * The structure of WGSL programs: which steps a graph becomes (views cost
 * nothing, shape chains known from the symbols need no kernel, a KV cache
 * is concatenated by copies before the attention kernel), how sizes reach
 * the kernels (uniform dims, dispatches with divisors), that each distinct
 * kernel appears once, and that an op without a kernel is a typed error.
 */
import { GraphBuilder, tensor, UnsupportedError, type Program } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { compileProgram } from '../compile.js';
import { lowerToWgsl } from './lower-wgsl.js';

function kernelsOf(program: Program): string[] {
  return program.steps.map((step) => step.kernel);
}

describe('lowerToWgsl', () => {
  it('makes reshapes views and reads shape chains on the host', async () => {
    const b = new GraphBuilder('views');
    const x = b.input('x', 'f32', ['batch', 'seq', 8]);
    const shape = b.op('Shape', [x]);
    const rows = b.op('Gather', [shape, b.constant(tensor('i64', [], [1]))]);
    const target = b.op('Concat', [b.op('Unsqueeze', [rows, b.ints([0])]), b.ints([-1])], { axis: 0 });
    const flat = b.op('Reshape', [b.op('Relu', [x]), target]);
    b.output(flat, 'y');
    const program = lowerToWgsl(b.build(), []);
    expect(kernelsOf(program)).toEqual(['map_relu_f32_to_f32']);
    const output = program.buffers[program.outputs[0].buffer];
    expect(output.aliasOf).toBeDefined();
    expect(program.steps[0].dispatch).toEqual(['8*batch*seq', 1, 1]);
    expect(program.steps[0].dispatchDivisor).toEqual([256, 1, 1]);
  });

  it('builds present_key/value by copies before the attention kernel', () => {
    const b = new GraphBuilder('cache');
    const q = b.input('q', 'f32', [1, 'seq', 32]);
    const k = b.input('k', 'f32', [1, 'seq', 32]);
    const v = b.input('v', 'f32', [1, 'seq', 32]);
    const pastKey = b.input('past_key', 'f32', [1, 4, 'past', 8]);
    const pastValue = b.input('past_value', 'f32', [1, 4, 'past', 8]);
    const [y, presentKey] = b.opMulti('Attention', [q, k, v, undefined, pastKey, pastValue], { q_num_heads: 4, kv_num_heads: 4, is_causal: 1 }, [true, true, false]);
    b.output(y!, 'y');
    b.output(presentKey!, 'present_key');
    const program = lowerToWgsl(b.build(), []);
    expect(kernelsOf(program)).toEqual(['copy_u32', 'copy_u32', 'copy_u32', 'copy_u32', 'attention_d8_v8_f32']);
    const scratch = program.buffers.filter((buffer) => buffer.kind === 'scratch');
    expect(scratch.map((buffer) => buffer.shape)).toEqual([[1, 4, 'past+seq', 8]]);
    const attention = program.steps[4];
    expect(attention.dispatch).toEqual(['seq', 4, 1]);
    expect(attention.dispatchDivisor).toEqual([16, 1, 1]);
    expect(attention.args).toContainEqual({ dim: 'past+seq' });
    expect(program.wgsl!.kernels.map((kernel) => kernel.name)).toEqual(['copy_u32', 'attention_d8_v8_f32']);
  });

  it('lowers the PyTorch-style block without a kernel per reshape', async () => {
    const b = new GraphBuilder('block');
    const x = b.input('x', 'f32', ['batch', 'seq', 16]);
    const weight = b.constant(tensor('f32', [16, 48], new Float32Array(16 * 48).fill(0.01)));
    const qkv = b.op('MatMul', [x, weight]);
    const [q, k, v] = b.opMulti('Split', [qkv, b.ints([16, 16, 16])], { axis: 2 }, 3);
    const attention = b.op('Attention', [q!, k!, v!], { q_num_heads: 2, kv_num_heads: 2 });
    b.output(b.op('LayerNormalization', [attention, b.constant(tensor('f32', [16], new Float32Array(16).fill(1)))]), 'y');
    const program = await compileProgram(b.build(), { target: 'wgsl' });
    expect(kernelsOf(program)).toEqual(['matmul_f32', 'copy_u32', 'copy_u32', 'copy_u32', 'attention_d8_v8_f32', 'layer_norm_f32']);
  });

  it('names the node and op it has no kernel for', () => {
    const b = new GraphBuilder('einsum');
    b.output(b.op('Einsum', [b.input('a', 'f32', [3, 4]), b.input('b', 'f32', [4, 5])], { equation: 'ij,jk->ik' }), 'y');
    const graph = b.build();
    expect(() => lowerToWgsl(graph, [])).toThrow(UnsupportedError);
    expect(() => lowerToWgsl(graph, [])).toThrow(/Einsum.*no kernel for Einsum/);
  });
});
