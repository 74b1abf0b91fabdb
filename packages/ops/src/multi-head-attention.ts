/**
 * The `MultiHeadAttention` module: the seed block (Q/K/V Linear, attention
 * over heads, output Linear, optional residual and LayerNorm) with its
 * weights compiled into its programs, one per call signature.
 */
import { AttributeError, FeedError, type Tensor } from '@ladon/ir';
import { resolveBackend, type OpsBackend } from './backend.js';
import { blockWeights, buildBlockGraph, type BlockGraphSpec } from './block-graph.js';
import { blockPositions, type BlockPositions } from './block-positions.js';
import {
  blockFeeds,
  blockSpec,
  checkBlockDims,
  checkBlockInputs,
  expectBooleanOption,
  layerNormEpsilon,
  type BlockArchitecture,
  type BlockCallOptions,
} from './block-options.js';
import { weightsFromInitializers, type InitializerLoadOptions, type InitializerMap } from './initializers.js';
import { MultiHeadAttentionDecoder, type BlockRunner, type DecoderOptions } from './mha-decoder.js';
import { ProgramCache, type CompiledCacheStats } from './program-cache.js';
import { expectFiniteOption } from './validate.js';
import { normalizeWeights, type BlockDims, type MultiHeadAttentionWeights, type MultiHeadAttentionWeightsInit, type WeightLayout } from './weights.js';

/** Configuration of a {@link MultiHeadAttention} module. */
export interface MultiHeadAttentionConfig extends BlockArchitecture {
  /** The model width: x is [batch, seq, dModel]. */
  readonly dModel: number;
  /** Dropout probability, accepted for parity with PyTorch and ignored: the ops run inference only. */
  readonly dropout?: number;
  /** Whether `forward()` masks causally when a call does not say. Default false. */
  readonly causal?: boolean;
  /** Where to run (default `auto`: WebGPU when available, else wasm). */
  readonly backend?: OpsBackend;
  /** wasm: threads to compute on (the calling thread plus workers); default every core, at most 4. See the runtime's `numThreads`. */
  readonly numThreads?: number;
  /** Initial weights (else call `loadWeights()` or `loadInitializers()` before `forward()`). */
  readonly weights?: MultiHeadAttentionWeightsInit;
}

/** Options of {@link MultiHeadAttention.loadWeights}. */
export interface WeightLoadOptions {
  /** How projection weights are stored: `out-in` (PyTorch, default) or `in-out`. */
  readonly layout?: WeightLayout;
}

const OP = 'MultiHeadAttention';

/**
 * Multi-head attention as a module, like PyTorch's (inference only):
 *
 * ```ts
 * const mha = new MultiHeadAttention({ dModel: 64, numHeads: 8, residual: true, layerNorm: true });
 * mha.loadInitializers(stateDict); // q_proj.weight, q_proj.bias, ..., norm.weight, norm.bias
 * const y = await mha.forward(x, { causal: true }); // x, y: [batch, seq, 64]
 * mha.dispose();
 * ```
 *
 * Each new call signature (self- or cross-attention, mask dtype and
 * broadcast axes, causal) compiles once; batch size and sequence lengths
 * are symbolic. Loading new weights drops the compiled programs.
 */
export class MultiHeadAttention {
  /** The model width. */
  readonly dModel: number;
  /** Query heads. */
  readonly numHeads: number;
  /** Key/value heads (numHeads unless grouped-query attention). */
  readonly kvHeads: number;
  /** Features per head: dModel / numHeads. */
  readonly headSize: number;
  /** The configured dropout probability (ignored at inference). */
  readonly dropout: number;
  /** Whether x is added to the output projection. */
  readonly residual: boolean;
  /** The LayerNorm epsilon, or undefined when there is no LayerNorm. */
  readonly layerNormEpsilon: number | undefined;
  /** Whether `forward()` is causal by default. */
  readonly causal: boolean;
  /** The backend the module runs on. */
  readonly backend: OpsBackend;
  /** The wasm thread count it asked for (undefined: the runtime's default). */
  readonly numThreads: number | undefined;
  private readonly dims: BlockDims;
  private readonly positions: BlockPositions;
  private loaded: MultiHeadAttentionWeights | undefined;
  private readonly programs = new ProgramCache();

  constructor(config: MultiHeadAttentionConfig) {
    const dims = checkBlockDims(OP, config.dModel, config);
    this.dims = dims;
    this.positions = blockPositions(OP, dims, config);
    expectFiniteOption(OP, 'dropout', config.dropout, 0);
    expectBooleanOption(OP, 'residual', config.residual);
    expectBooleanOption(OP, 'causal', config.causal);
    ({ dModel: this.dModel, numHeads: this.numHeads, kvHeads: this.kvHeads, headSize: this.headSize } = dims);
    this.dropout = config.dropout ?? 0;
    this.residual = config.residual ?? false;
    this.layerNormEpsilon = layerNormEpsilon(OP, config.layerNorm);
    this.causal = config.causal ?? false;
    this.backend = config.backend ?? 'auto';
    this.numThreads = config.numThreads;
    if (config.weights) this.loadWeights(config.weights);
  }

  /** The loaded weights (f32, projections in [out, in] layout), or undefined before loading. */
  get weights(): MultiHeadAttentionWeights | undefined {
    return this.loaded;
  }

  /** Loads weights from tensors or plain arrays (projection weights [out, in] unless `layout: 'in-out'`). */
  loadWeights(weights: MultiHeadAttentionWeightsInit, options: WeightLoadOptions = {}): this {
    const normalized = normalizeWeights(OP, this.dims, weights, options.layout);
    this.loaded = blockWeights(normalized, this.dModel, this.layerNormEpsilon !== undefined);
    this.programs.clear();
    return this;
  }

  /**
   * Loads weights from named tensors: ONNX initializers or a PyTorch state
   * dict (`q_proj.weight` ... `out_proj.bias`, or `in_proj_weight`/`in_proj_bias`,
   * and `norm.weight`/`norm.bias`), after an optional `prefix`.
   */
  loadInitializers(initializers: InitializerMap, options: InitializerLoadOptions = {}): this {
    const found = weightsFromInitializers(OP, this.dims, initializers, options.prefix);
    return this.loadWeights(found, options.layout ? { layout: options.layout } : {});
  }

  /** Runs the block on x `[batch, seq, dModel]`; returns `[batch, seq, dModel]`. */
  async forward(x: Tensor<'f32'>, options: BlockCallOptions = {}): Promise<Tensor<'f32'>> {
    const call = { ...options, causal: options.causal ?? this.causal };
    checkBlockInputs(OP, this.dims, x, call);
    const spec = blockSpec(this.dims, this.residual, this.layerNormEpsilon, call, this.positions, OP);
    const outputs = await this.runner(spec, blockFeeds(x, call, this.positions));
    return outputs.output as Tensor<'f32'>;
  }

  /**
   * A decoder that feeds tokens one (or a few) at a time, keeping keys and
   * values in a KV cache; always causal. Its outputs equal `forward(x, { causal: true })`
   * on the whole sequence.
   */
  createDecoder(options: DecoderOptions): MultiHeadAttentionDecoder {
    if (this.positions.rotary) throw new AttributeError(`${OP}: createDecoder: rotary embeddings with a KV cache are not supported yet (the kernels rotate keys as they read them, not into the cache)`);
    return new MultiHeadAttentionDecoder({ dims: this.dims, residual: this.residual, layerNormEpsilon: this.layerNormEpsilon, positions: this.positions }, options, this.runner);
  }

  /** How this module's program cache has been used (compiles, hits, sessions held). */
  compiledStats(): CompiledCacheStats {
    return this.programs.stats();
  }

  /** Frees the compiled programs. The module stays usable: the next call compiles again. */
  dispose(): void {
    this.programs.clear();
  }

  /** Runs the block graph of `spec` with this module's weights as constants. */
  private readonly runner: BlockRunner = async (spec: BlockGraphSpec, feeds: Record<string, Tensor>) => {
    const weights = this.loaded;
    if (!weights) throw new FeedError(`${OP}: no weights loaded; call loadWeights() or loadInitializers() first`);
    const backend = await resolveBackend(this.backend);
    const signature = JSON.stringify([backend, spec]);
    return this.programs.run(signature, { backend, numThreads: this.numThreads }, () => buildBlockGraph(spec, weights, 'constant'), feeds);
  };
}
