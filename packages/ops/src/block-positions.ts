/**
 * Rotary embeddings and ALiBi in the multi-head attention block (module and
 * function). The block owns its positions: query i of a call sits at
 * position i (after the cached ones when decoding), so the rotary tables
 * (LLaMA's inv_freq · position) and the ALiBi slopes are computed here and
 * fed with each call.
 */
import { AttributeError, ShapeError, tensor, type AlibiForm, type Tensor } from '@ladon/ir';
import type { PositionSpec } from './attention-graph.js';
import { alibiSlopes, rotaryTables } from './positions.js';
import type { BlockDims } from './weights.js';

/** Rotary embeddings of the block's queries and keys (self-attention only; not with a KV cache yet). */
export interface BlockRotaryOption {
  /** The rotary dim R: the first R features of each head rotate (default: the whole head). */
  readonly dim?: number;
  /** Default 10000. */
  readonly base?: number;
  /** Pairs (2d, 2d + 1) (GPT-J) instead of (d, d + R/2) (LLaMA, GPT-NeoX). */
  readonly interleaved?: boolean;
}

/** ALiBi in the block: the paper's slopes and form unless given. */
export interface BlockAlibiOption {
  readonly slopes?: readonly number[];
  readonly form?: AlibiForm;
}

/** The position options of the block's architecture. */
export interface BlockPositionOptions {
  readonly rotary?: boolean | BlockRotaryOption;
  readonly alibi?: boolean | BlockAlibiOption;
}

/** The checked positions of a block. */
export interface BlockPositions {
  readonly rotary?: { readonly dim: number; readonly base: number; readonly interleaved: boolean };
  readonly alibi?: { readonly slopes: readonly number[]; readonly form: AlibiForm };
}

/** Checks the position options against the block's sizes. */
export function blockPositions(op: string, dims: BlockDims, options: BlockPositionOptions): BlockPositions {
  const rotary = options.rotary === true ? {} : options.rotary || undefined;
  const alibi = options.alibi === true ? {} : options.alibi || undefined;
  const positions: { -readonly [K in keyof BlockPositions]: BlockPositions[K] } = {};
  if (rotary) {
    const dim = rotary.dim ?? dims.headSize;
    if (!Number.isInteger(dim) || dim < 2 || dim % 2 !== 0 || dim > dims.headSize) {
      throw new AttributeError(`${op}: rotary.dim must be an even integer from 2 to the head size ${dims.headSize}, got ${dim}`);
    }
    const base = rotary.base ?? 10000;
    if (!(base > 1) || !Number.isFinite(base)) throw new AttributeError(`${op}: rotary.base must be a finite number > 1, got ${base}`);
    positions.rotary = { dim, base, interleaved: rotary.interleaved === true };
  }
  if (alibi) {
    const slopes = alibi.slopes ?? alibiSlopes(dims.numHeads);
    if (slopes.length !== dims.numHeads || !slopes.every(Number.isFinite)) {
      throw new ShapeError(`${op}: alibi.slopes must hold ${dims.numHeads} finite numbers (one per head), got ${slopes.length}`, { tensor: 'alibi.slopes' });
    }
    if (alibi.form !== undefined && !['key', 'relative', 'symmetric'].includes(alibi.form)) throw new AttributeError(`${op}: alibi.form must be 'key', 'relative' or 'symmetric', got '${String(alibi.form)}'`);
    positions.alibi = { slopes: [...slopes], form: alibi.form ?? 'relative' };
  }
  return positions;
}

/** The graph's position spec for a call (undefined without positions); rotary needs self-attention. */
export function blockPositionSpec(op: string, positions: BlockPositions, crossAttention: boolean): PositionSpec | undefined {
  if (!positions.rotary && !positions.alibi) return undefined;
  if (positions.rotary && crossAttention) throw new AttributeError(`${op}: rotary embeddings rotate keys at the query positions; they need self-attention (no kv)`);
  return {
    ...(positions.rotary ? { rotary: { half: positions.rotary.dim / 2, interleaved: positions.rotary.interleaved, tableBatch: 1 } } : {}),
    ...(positions.alibi ? { alibi: { form: positions.alibi.form } } : {}),
  };
}

/** The position feeds of a call over `queries` positions starting at `start`. */
export function blockPositionFeeds(positions: BlockPositions, queries: number, start = 0): Record<string, Tensor> {
  const feeds: Record<string, Tensor> = {};
  if (positions.rotary) {
    const { cos, sin } = rotaryTables(Array.from({ length: queries }, (_, i) => start + i), { rotaryDim: positions.rotary.dim, base: positions.rotary.base });
    Object.assign(feeds, { rotary_cos: cos, rotary_sin: sin });
  }
  if (positions.alibi) feeds.alibi_slopes = tensor('f32', [positions.alibi.slopes.length], positions.alibi.slopes);
  return feeds;
}
