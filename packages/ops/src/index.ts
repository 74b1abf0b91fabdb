// The public surface of @ladon/ops. Everything a consumer may import is
// re-exported here and documented at its definition.
export { attention, type AttentionMask, type AttentionOptions, type AttentionWithWeights } from './attention.js';
export type { AttentionDType } from './attention-graph.js';
export { multiHeadAttention, type MultiHeadAttentionOptions } from './multi-head-attention-fn.js';
export { MultiHeadAttention, type MultiHeadAttentionConfig, type WeightLoadOptions } from './multi-head-attention.js';
export type { BlockArchitecture, BlockCallOptions, LayerNormOption } from './block-options.js';
export type { BlockAlibiOption, BlockPositionOptions, BlockRotaryOption } from './block-positions.js';
export {
  alibiSlopes,
  rotaryTables,
  t5RelativeBias,
  t5Bucket,
  type AlibiOption,
  type RelativeBiasOption,
  type RotaryOption,
  type RotaryTableOptions,
  type T5BucketOptions,
} from './positions.js';
export type { MultiHeadAttentionDecoder, DecoderOptions } from './mha-decoder.js';
export { IncrementalAttention, type IncrementalAttentionOptions } from './incremental-attention.js';
export { KVCache, type KVCacheOptions } from './kv-cache.js';
export { clearCompiledCache, compiledCacheStats } from './shared-cache.js';
export type { CompiledCacheStats } from './program-cache.js';
export type { OpsBackend } from './backend.js';
export type { InitializerLoadOptions, InitializerMap } from './initializers.js';
export type {
  LayerNormWeights,
  LayerNormWeightsInit,
  LinearWeights,
  LinearWeightsInit,
  MultiHeadAttentionWeights,
  MultiHeadAttentionWeightsInit,
  WeightLayout,
  WeightValues,
} from './weights.js';
export { tensor, type Tensor } from '@ladon/ir';
