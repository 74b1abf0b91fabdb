/**
 * `multiHeadAttention(x, weights, options)`: the block as a function. The
 * weights are graph inputs here (not constants), so one compiled program
 * serves any weights of the same shapes; the program cache is the shared one.
 */
import type { Tensor } from '@ladon/ir';
import { resolveBackend, type OpsBackend } from './backend.js';
import { blockWeights, buildBlockGraph, weightFeeds, weightPresence } from './block-graph.js';
import { blockPositions } from './block-positions.js';
import { blockFeeds, blockSpec, checkBlockDims, checkBlockInputs, layerNormEpsilon, type BlockArchitecture, type BlockCallOptions } from './block-options.js';
import { sharedProgramCache } from './shared-cache.js';
import { expectShape, expectTensor } from './validate.js';
import { normalizeWeights, type MultiHeadAttentionWeightsInit, type WeightLayout } from './weights.js';

/** Options of {@link multiHeadAttention}: the architecture, the call, and where to run. */
export interface MultiHeadAttentionOptions extends BlockArchitecture, BlockCallOptions {
  /** How projection weights are stored: `out-in` (PyTorch, default) or `in-out`. */
  readonly layout?: WeightLayout;
  /** Where to run (default `auto`: WebGPU when available, else wasm). */
  readonly backend?: OpsBackend;
  /** wasm: threads to compute on (the calling thread plus workers); default every core, at most 4. See the runtime's `numThreads`. */
  readonly numThreads?: number;
}

const OP = 'multiHeadAttention';

/**
 * Multi-head attention over x `[batch, seq, dModel]` (f32) with the given
 * weights: Q/K/V projections, attention over `numHeads` heads (`kvHeads`
 * for grouped-query attention), output projection, then optionally the
 * residual and LayerNorm. Keys and values come from `kv` when given
 * (cross-attention), else from x. Returns `[batch, seq, dModel]`.
 *
 * Compiled on first call and cached by signature (backend, dModel, heads,
 * which biases exist, residual/LayerNorm, self/cross, mask layout, causal);
 * batch size and sequence lengths are symbolic. For repeated use of one set
 * of weights, a {@link MultiHeadAttention} module is faster: it compiles its
 * weights in.
 */
export async function multiHeadAttention(x: Tensor<'f32'>, weights: MultiHeadAttentionWeightsInit, options: MultiHeadAttentionOptions): Promise<Tensor<'f32'>> {
  expectTensor(OP, 'x', x);
  expectShape(OP, 'x', ['batch', 'seq', 'dModel'], [undefined, undefined, undefined], x);
  const dims = checkBlockDims(OP, x.shape[2], options);
  checkBlockInputs(OP, dims, x, options);
  const epsilon = layerNormEpsilon(OP, options.layerNorm);
  const bound = blockWeights(normalizeWeights(OP, dims, weights, options.layout), dims.dModel, epsilon !== undefined);
  const positions = blockPositions(OP, dims, options);
  const spec = blockSpec(dims, options.residual ?? false, epsilon, options, positions, OP);
  const backend = await resolveBackend(options.backend);
  const signature = JSON.stringify([OP, backend, spec, weightPresence(bound)]);
  const feeds = { ...blockFeeds(x, options, positions), ...weightFeeds(bound) };
  const outputs = await sharedProgramCache.run(signature, { backend, numThreads: options.numThreads }, () => buildBlockGraph(spec, bound, 'input'), feeds);
  return outputs.output as Tensor<'f32'>;
}
