/**
 * The key/value cache of incremental decoding: the `present_key` and
 * `present_value` an Attention step returned, fed back as `past_key` and
 * `past_value` on the next step, up to a maximum length.
 */
import { ShapeError, type Tensor } from '@ladon/ir';
import { LimitError } from '@ladon/runtime';
import { expectPositiveInteger } from './validate.js';

/** Options of {@link KVCache}. */
export interface KVCacheOptions {
  /** The most positions the cache may hold; a step that would pass it throws a LimitError. */
  readonly maxLength: number;
}

/**
 * Keys and values of the positions seen so far, each
 * `[batch, kvHeads, length, headSize]`. Used by {@link IncrementalAttention}
 * and `MultiHeadAttention.createDecoder()`; reusable by custom decoders.
 */
export class KVCache {
  /** The most positions the cache may hold. */
  readonly maxLength: number;
  private cachedKey: Tensor | undefined;
  private cachedValue: Tensor | undefined;

  constructor(options: KVCacheOptions) {
    expectPositiveInteger('KVCache', 'maxLength', options.maxLength);
    this.maxLength = options.maxLength;
  }

  /** The number of cached positions (0 when empty). */
  get length(): number {
    return this.cachedKey?.shape[2] ?? 0;
  }

  /** The cached keys `[batch, kvHeads, length, headSize]`, or undefined when empty. */
  get key(): Tensor | undefined {
    return this.cachedKey;
  }

  /** The cached values `[batch, kvHeads, length, valueHeadSize]`, or undefined when empty. */
  get value(): Tensor | undefined {
    return this.cachedValue;
  }

  /** Throws a LimitError (and changes nothing) when `count` more positions would pass `maxLength`. */
  reserve(count: number): void {
    if (this.length + count <= this.maxLength) return;
    throw new LimitError(
      `KVCache: ${count} new position${count === 1 ? '' : 's'} after ${this.length} cached would make ${this.length + count}, more than maxLength = ${this.maxLength}; call reset() or create the cache with a larger maxLength`,
    );
  }

  /** Replaces the cache with a step's present key and value (each one position longer than before, or more). */
  update(presentKey: Tensor, presentValue: Tensor): void {
    const [batch, heads, length] = presentKey.shape;
    const fits = presentKey.shape.length === 4 && presentValue.shape.length === 4 && presentValue.shape[0] === batch && presentValue.shape[1] === heads && presentValue.shape[2] === length;
    if (!fits) {
      throw new ShapeError(`KVCache: present key [${presentKey.shape.join(', ')}] and value [${presentValue.shape.join(', ')}] must both be [batch, kvHeads, length, size] with the same batch, kvHeads and length`);
    }
    if (length < this.length) throw new ShapeError(`KVCache: the present key holds ${length} positions, fewer than the ${this.length} already cached`);
    this.reserve(length - this.length);
    this.cachedKey = presentKey;
    this.cachedValue = presentValue;
  }

  /** Forgets every cached position (the next step starts a new sequence). */
  reset(): void {
    this.cachedKey = undefined;
    this.cachedValue = undefined;
  }
}
