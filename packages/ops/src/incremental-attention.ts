/**
 * Incremental (KV-cached) attention for causal decoders: each step passes
 * the queries, keys and values of the new positions only; the keys and
 * values of earlier steps come from the cache (ONNX Attention's past_key /
 * past_value in, present_key / present_value out).
 */
import type { Tensor } from '@ladon/ir';
import { attentionSignature, buildAttentionGraph, type AttentionDType, type AttentionGraphSpec } from './attention-graph.js';
import { checkAttentionInputs, checkScalarOptions, type AttentionSizes } from './attention-inputs.js';
import { resolveBackend, type OpsBackend } from './backend.js';
import { KVCache } from './kv-cache.js';
import { sharedProgramCache } from './shared-cache.js';
import { expectBackendDType, expectDType, expectShape } from './validate.js';

/** Options of {@link IncrementalAttention}. */
export interface IncrementalAttentionOptions {
  /** The most positions the sequence may reach; a step past it throws a LimitError. */
  readonly maxLength: number;
  /**
   * Causal masking (default true). With a cache it aligns bottom-right, as in
   * ONNX: new query i sits at position past + i and attends keys 0..past + i.
   */
  readonly causal?: boolean;
  /** The factor on q·kᵀ. Default 1/sqrt(headSize). */
  readonly scale?: number;
  /** When > 0, scores become softcap·tanh(scores/softcap). Default 0 (off). */
  readonly softcap?: number;
  /** The key/value head count k and v must have (default: what k has); must divide the query heads. */
  readonly kvHeads?: number;
  /** Where to run (default `auto`). */
  readonly backend?: OpsBackend;
  /** wasm: threads to compute on (the calling thread plus workers); default every core, at most 4. See the runtime's `numThreads`. */
  readonly numThreads?: number;
}

const STEP = 'IncrementalAttention.step';

/**
 * Attention one step at a time over a growing sequence.
 *
 * ```ts
 * const decoder = new IncrementalAttention({ maxLength: 128 });
 * for (const token of tokens) {
 *   const y = await decoder.step(qOf(token), kOf(token), vOf(token)); // each [batch, heads, 1, headSize]
 * }
 * decoder.reset();
 * ```
 *
 * The outputs equal those of `attention(q, k, v, { causal: true })` on the
 * whole sequence. A step may also pass several positions at once (a prompt).
 * Programs come from the shared cache ({@link clearCompiledCache} frees them).
 */
export class IncrementalAttention {
  /** The keys and values of the positions seen so far. */
  readonly cache: KVCache;
  private readonly options: IncrementalAttentionOptions;

  constructor(options: IncrementalAttentionOptions) {
    checkScalarOptions('IncrementalAttention', options);
    this.cache = new KVCache({ maxLength: options.maxLength });
    this.options = { ...options };
  }

  /** The number of positions seen so far. */
  get length(): number {
    return this.cache.length;
  }

  /**
   * Attends the new positions: q `[batch, heads, n, headSize]`, k and v
   * `[batch, kvHeads, n, headSize | valueHeadSize]`; returns
   * `[batch, heads, n, valueHeadSize]` and appends k and v to the cache.
   */
  async step<D extends AttentionDType>(q: Tensor<D>, k: Tensor<D>, v: Tensor<D>): Promise<Tensor<D>> {
    const sizes = checkAttentionInputs(STEP, q, k, v, this.options.kvHeads);
    this.expectLikeCache(sizes, k, v);
    this.cache.reserve(sizes.keys);
    const backend = await resolveBackend(this.options.backend);
    expectBackendDType(STEP, 'q', sizes.dtype, backend);
    const spec = this.spec(sizes);
    const feeds: Record<string, Tensor> = { q, k, v };
    if (this.cache.key && this.cache.value) Object.assign(feeds, { past_key: this.cache.key, past_value: this.cache.value });
    const outputs = await sharedProgramCache.run(attentionSignature(backend, spec), { backend, numThreads: this.options.numThreads }, () => buildAttentionGraph(spec), feeds);
    this.cache.update(outputs.present_key, outputs.present_value);
    return outputs.output as Tensor<D>;
  }

  /** Forgets the sequence: the next step starts at position 0. */
  reset(): void {
    this.cache.reset();
  }

  private spec(sizes: AttentionSizes): AttentionGraphSpec {
    const { scale, softcap } = this.options;
    return {
      dtype: sizes.dtype,
      heads: sizes.heads,
      kvHeads: sizes.kvHeads,
      headSize: sizes.headSize,
      valueHeadSize: sizes.valueHeadSize,
      causal: this.options.causal ?? true,
      ...(scale !== undefined ? { scale } : {}),
      ...(softcap ? { softcap } : {}),
      returnWeights: false,
      withPast: this.cache.length > 0,
      returnPresent: true,
    };
  }

  /** New keys and values must match the cached ones in dtype, batch, heads and head sizes. */
  private expectLikeCache(sizes: AttentionSizes, k: Tensor, v: Tensor): void {
    const { key, value } = this.cache;
    if (!key || !value) return;
    const [batch, kvHeads, , headSize] = key.shape;
    expectDType(STEP, 'k', k, [key.dtype], ' like the cached keys');
    expectShape(STEP, 'k', ['batch', 'kvHeads', 'keys', 'headSize'], [batch, kvHeads, undefined, headSize], k);
    expectShape(STEP, 'v', ['batch', 'kvHeads', 'keys', 'valueHeadSize'], [batch, kvHeads, sizes.keys, value.shape[3]], v);
  }
}
