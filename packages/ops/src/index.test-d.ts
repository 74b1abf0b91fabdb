// Type tests of the public API (checked by tsc through vitest's typecheck mode; never run).
import type { DType, Tensor } from '@ladon/ir';
import { describe, expectTypeOf, it } from 'vitest';
import {
  attention,
  clearCompiledCache,
  compiledCacheStats,
  IncrementalAttention,
  type KVCache,
  MultiHeadAttention,
  multiHeadAttention,
  type AttentionWithWeights,
  type CompiledCacheStats,
  type MultiHeadAttentionDecoder,
  type MultiHeadAttentionWeights,
  type OpsBackend,
} from './index.js';

declare const q: Tensor<'f32'>;
declare const half: Tensor<'f16'>;
declare const ints: Tensor<'i32'>;
declare const anyDType: Tensor<DType>;
declare const boolMask: Tensor<'bool'>;
declare const flag: boolean;

describe('attention()', () => {
  it('returns a tensor of the input dtype, or { output, weights } with returnWeights: true', () => {
    expectTypeOf(attention(q, q, q)).toEqualTypeOf<Promise<Tensor<'f32'>>>();
    expectTypeOf(attention(half, half, half, { causal: true })).toEqualTypeOf<Promise<Tensor<'f16'>>>();
    expectTypeOf(attention(q, q, q, { returnWeights: true })).toEqualTypeOf<Promise<AttentionWithWeights<'f32'>>>();
    expectTypeOf(attention(q, q, q, { returnWeights: false, mask: boolMask })).toEqualTypeOf<Promise<Tensor<'f32'>>>();
    expectTypeOf(attention(q, q, q, { returnWeights: flag })).toEqualTypeOf<Promise<Tensor<'f32'> | AttentionWithWeights<'f32'>>>();
  });

  it('accepts the documented options and rejects others', () => {
    attention(q, q, q, { mask: q, causal: true, scale: 0.125, softcap: 30, kvHeads: 2, backend: 'wasm' });
    // @ts-expect-error integer tensors are not attention inputs
    attention(ints, ints, ints);
    // @ts-expect-error a tensor of unknown dtype must be narrowed first
    attention(anyDType, anyDType, anyDType);
    // @ts-expect-error an i32 mask is neither bool nor float
    attention(q, q, q, { mask: ints });
    // @ts-expect-error not a backend
    attention(q, q, q, { backend: 'cuda' });
  });

  it('cache controls', () => {
    expectTypeOf(clearCompiledCache).toEqualTypeOf<() => void>();
    expectTypeOf(compiledCacheStats()).toEqualTypeOf<CompiledCacheStats>();
    expectTypeOf<CompiledCacheStats['compiles']>().toBeNumber();
    expectTypeOf<OpsBackend>().toEqualTypeOf<'wasm' | 'webgpu' | 'reference' | 'auto'>();
  });
});

describe('MultiHeadAttention', () => {
  it('has typed configuration, weights and forward()', () => {
    const module = new MultiHeadAttention({ dModel: 64, numHeads: 8, kvHeads: 2, dropout: 0.1, residual: true, layerNorm: { epsilon: 1e-6 } });
    expectTypeOf(module.dModel).toBeNumber();
    expectTypeOf(module.weights).toEqualTypeOf<MultiHeadAttentionWeights | undefined>();
    expectTypeOf(module.forward(q, { mask: boolMask, causal: true, kv: q })).toEqualTypeOf<Promise<Tensor<'f32'>>>();
    expectTypeOf(module.loadWeights).returns.toEqualTypeOf<MultiHeadAttention>();
    expectTypeOf(module.loadInitializers(new Map<string, Tensor>(), { prefix: 'attn.', layout: 'in-out' })).toEqualTypeOf<MultiHeadAttention>();
    expectTypeOf(module.createDecoder({ maxLength: 64 })).toEqualTypeOf<MultiHeadAttentionDecoder>();
    expectTypeOf(module.createDecoder({ maxLength: 64 }).step(q)).toEqualTypeOf<Promise<Tensor<'f32'>>>();
    // @ts-expect-error the block computes in f32
    void module.forward(half);
    // @ts-expect-error dModel is required
    new MultiHeadAttention({ numHeads: 8 });
  });

  it('loads weights from plain arrays', () => {
    const layer = { weight: [[1, 2], [3, 4]], bias: [0, 0] };
    new MultiHeadAttention({ dModel: 2, numHeads: 1 }).loadWeights({ q: layer, k: layer, v: layer, out: { weight: new Float32Array(4) } });
    // @ts-expect-error weights need all four projections
    new MultiHeadAttention({ dModel: 2, numHeads: 1 }).loadWeights({ q: layer, k: layer, v: layer });
  });

  it('multiHeadAttention() takes x, weights and options', () => {
    const layer = { weight: q };
    expectTypeOf(multiHeadAttention(q, { q: layer, k: layer, v: layer, out: layer }, { numHeads: 4, causal: true })).toEqualTypeOf<Promise<Tensor<'f32'>>>();
    // @ts-expect-error numHeads is required
    void multiHeadAttention(q, { q: layer, k: layer, v: layer, out: layer }, {});
  });
});

describe('incremental decoding', () => {
  it('IncrementalAttention keeps the dtype; KVCache exposes its tensors', () => {
    const decoder = new IncrementalAttention({ maxLength: 32, causal: true });
    expectTypeOf(decoder.step(q, q, q)).toEqualTypeOf<Promise<Tensor<'f32'>>>();
    expectTypeOf(decoder.cache).toEqualTypeOf<KVCache>();
    expectTypeOf(decoder.cache.key).toEqualTypeOf<Tensor | undefined>();
    expectTypeOf(decoder.length).toBeNumber();
    // @ts-expect-error maxLength is required
    new IncrementalAttention({});
  });
});
