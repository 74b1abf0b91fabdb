/**
 * The RotaryEmbedding plan: X as rows of D features addressed by (b, h, s)
 * through element strides (X is [B, H, S, D], or [B, S, H·D]), the first R
 * features of each row rotated in pairs — (i, i + R/2), or (2i, 2i + 1)
 * when interleaved — by the angle at the row's position: position_ids[b,
 * s] when given (a row of the [P, R/2] caches), else the (b, s) row of the
 * [B, S, R/2] caches. The other features are copied. Positions outside
 * [0, P) are clamped to it by the kernels (the reference interpreter
 * refuses them).
 *
 * Legend: B batch, H heads, S sequence, D head size, R rotary dim, P positions.
 */
import { mulDims, readRotaryDims, type Dim, type Node, type RotaryDims } from '@ladon/ir';
import type { PlanContext } from './plan-context.js';

/** The plan of one RotaryEmbedding: the node's dims and flags (the IR's reader), its tensors and X's strides. */
export interface RotaryPlan extends RotaryDims {
  readonly kind: 'rotary';
  readonly node: Node;
  readonly input: string;
  readonly output: string;
  readonly cos: string;
  readonly sin: string;
  /** position_ids ('' when the caches are indexed by (b, s)). */
  readonly positions: string;
  /** X's element strides along B, H and S (D is contiguous). */
  readonly strides: readonly [Dim, Dim, Dim];
  /** The caches' rows (P, or B·S without position ids). */
  readonly cacheRows: Dim;
}

/** Plans RotaryEmbedding. */
export function planRotary(ctx: PlanContext): RotaryPlan {
  const [input, cos, sin, positions = ''] = ctx.node.inputs;
  const dims = readRotaryDims(ctx.infer);
  const { batch, heads, sequence, headSize } = dims;
  const row = mulDims(heads, headSize);
  const strides: [Dim, Dim, Dim] = dims.packedHeads
    ? [mulDims(sequence, row), headSize, row]
    : [mulDims(heads, mulDims(sequence, headSize)), mulDims(sequence, headSize), headSize];
  const cacheRows = positions ? ctx.shape(cos)[0] : mulDims(batch, sequence);
  return { kind: 'rotary', node: ctx.node, input, output: ctx.node.outputs[0], cos, sin, positions, ...dims, strides, cacheRows };
}
