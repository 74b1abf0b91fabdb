/**
 * Token-by-token decoding through a `MultiHeadAttention` module: each step
 * runs the block on the new positions only, with the keys and values of
 * earlier positions from a KV cache (Attention's past/present in 3-D form).
 */
import type { Tensor } from '@ladon/ir';
import type { BlockGraphSpec } from './block-graph.js';
import { blockFeeds, blockSpec, checkBlockInputs } from './block-options.js';
import type { BlockPositions } from './block-positions.js';
import { KVCache } from './kv-cache.js';
import { expectShape } from './validate.js';
import type { BlockDims } from './weights.js';

/** Runs a block graph spec on feeds (the module supplies its weights and program cache). */
export type BlockRunner = (spec: BlockGraphSpec, feeds: Record<string, Tensor>) => Promise<Record<string, Tensor>>;

/** Options of `MultiHeadAttention.createDecoder()`. */
export interface DecoderOptions {
  /** The most positions the sequence may reach; a step past it throws a LimitError. */
  readonly maxLength: number;
}

/** What a decoder needs to know of its module. */
export interface DecoderBlock {
  readonly dims: BlockDims;
  readonly residual: boolean;
  readonly layerNormEpsilon: number | undefined;
  /** ALiBi slopes (query positions continue after the cached ones: the Attention offsets them by the past length). */
  readonly positions: BlockPositions;
}

const STEP = 'MultiHeadAttentionDecoder.step';

/**
 * A causal decoder over a `MultiHeadAttention` module (made by
 * `createDecoder()`): `step(x)` takes the new positions `[batch, n, dModel]`
 * and returns their outputs; the concatenated outputs equal
 * `forward(x, { causal: true })` on the whole sequence.
 */
export class MultiHeadAttentionDecoder {
  /** The projected keys and values of the positions seen so far, `[batch, kvHeads, length, headSize]`. */
  readonly cache: KVCache;

  constructor(
    private readonly block: DecoderBlock,
    options: DecoderOptions,
    private readonly run: BlockRunner,
  ) {
    this.cache = new KVCache({ maxLength: options.maxLength });
  }

  /** The number of positions seen so far. */
  get length(): number {
    return this.cache.length;
  }

  /** Runs the block on the new positions x `[batch, n, dModel]` (causally, after the cached ones). */
  async step(x: Tensor<'f32'>): Promise<Tensor<'f32'>> {
    const { dims, residual, layerNormEpsilon, positions } = this.block;
    const { queries } = checkBlockInputs(STEP, dims, x, { causal: true });
    const { key, value } = this.cache;
    if (key) expectShape(STEP, 'x', ['batch', 'seq', 'dModel'], [key.shape[0], undefined, dims.dModel], x);
    this.cache.reserve(queries);
    const spec: BlockGraphSpec = { ...blockSpec(dims, residual, layerNormEpsilon, { causal: true }, positions), withPast: key !== undefined, returnPresent: true };
    const feeds: Record<string, Tensor> = blockFeeds(x, {}, positions, this.cache.length);
    if (key && value) Object.assign(feeds, { past_key: key, past_value: value });
    const outputs = await this.run(spec, feeds);
    this.cache.update(outputs.present_key, outputs.present_value);
    return outputs.output as Tensor<'f32'>;
  }

  /** Forgets the sequence: the next step starts at position 0. */
  reset(): void {
    this.cache.reset();
  }
}
