/**
 * Attention masks as the ops accept them (ONNX Attention semantics, made
 * stricter): rank 2 to 4, broadcast right-aligned to
 * [batch, heads, queries, keys]; every axis but the last is 1 or that size,
 * the last is exactly the key count. A bool mask says where to attend
 * (true = attend); a float mask (the dtype of the queries) is added to the
 * scaled scores (use -Infinity to mask).
 *
 * A key-padding mask of shape [batch, keys] must be passed as
 * [batch, 1, 1, keys]: rank 2 reads as [queries, keys].
 */
import { ShapeError, type Dim, type DType, type Tensor } from '@ladon/ir';
import { expectDType, expectTensor } from './validate.js';

/** The concrete sizes a mask broadcasts to. */
export interface MaskTarget {
  readonly batch: number;
  readonly heads: number;
  readonly queries: number;
  readonly keys: number;
}

/** Names of the four axes a mask broadcasts to, for messages. */
const MASK_LEGEND = ['batch', 'heads', 'queries', 'keys'];

/** Checks a mask (dtype bool or `floatDType`, rank 2–4, broadcastable to `target`); throws naming `name`. */
export function checkMask(op: string, name: string, mask: unknown, target: MaskTarget, floatDType: DType): asserts mask is Tensor {
  expectTensor(op, name, mask);
  expectDType(op, name, mask, ['bool', floatDType], ' (bool: true = attend; float: added to the scores)');
  const sizes = [target.batch, target.heads, target.queries, target.keys];
  const rank = mask.shape.length;
  const fits =
    rank >= 2 &&
    rank <= 4 &&
    mask.shape.every((dim, axis) => {
      const expected = sizes[4 - rank + axis];
      return dim === expected || (dim === 1 && axis < rank - 1);
    });
  if (fits) return;
  throw new ShapeError(
    `${op}: ${name} must broadcast to [${MASK_LEGEND.join(', ')}] = [${sizes.join(', ')}] ` +
      `(rank 2 to 4, right-aligned; each axis 1 or that size, the last exactly ${target.keys}), got [${mask.shape.join(', ')}]`,
    { tensor: name },
  );
}

/**
 * The declared (compiled) shape of a checked mask: broadcast axes stay 1,
 * the others take the symbol or size of their target axis, so one program
 * serves every sequence length with the same mask layout.
 */
export function declaredMaskShape(mask: Tensor, targetDims: readonly [Dim, Dim, Dim, Dim]): Dim[] {
  const rank = mask.shape.length;
  return mask.shape.map((dim, axis) => (dim === 1 && axis < rank - 1 ? 1 : targetDims[4 - rank + axis]));
}
