/**
 * Reshape (ONNX Reshape-14): `shape` input gives the new dims; 0 copies the
 * input dim (unless `allowzero`), one -1 is inferred from the element count.
 * Works symbolically: [batch, seq, 64] with shape [batch, -1, 4, 16] infers
 * [batch, seq, 4, 16].
 */
import { divDimsExact, isUnknownDim, productOfDims, UNKNOWN_DIM, type Dim } from '../dim.js';
import type { OpDef } from '../op-def.js';
import { formatShape, shapeSize } from '../shape.js';
import { intValues } from './kernel-utils.js';

/** Resolves a Reshape target (0 and -1) against the input shape; returns an error message on failure. */
export function resolveReshapeTarget(input: readonly Dim[], target: readonly Dim[], allowZero: boolean): Dim[] | string {
  const out: Dim[] = [];
  let inferAxis = -1;
  for (let axis = 0; axis < target.length; axis++) {
    const dim = target[axis];
    if (dim === -1) {
      if (inferAxis >= 0) return `shape ${formatShape(target)} has more than one -1`;
      inferAxis = axis;
      out.push(UNKNOWN_DIM);
    } else if (dim === 0 && !allowZero) {
      if (axis >= input.length) return `shape ${formatShape(target)} copies axis ${axis} (0) but the input has rank ${input.length}`;
      out.push(input[axis]);
    } else if (typeof dim === 'number' && dim < -1) {
      return `shape ${formatShape(target)} has an invalid dim ${dim}`;
    } else {
      out.push(dim);
    }
  }
  const total = productOfDims(input);
  if (inferAxis >= 0) {
    const known = productOfDims(out.filter((_, axis) => axis !== inferAxis));
    if (known === 0) return `shape ${formatShape(target)} infers -1 next to a 0 dim`;
    const inferred = isUnknownDim(total) || isUnknownDim(known) ? undefined : divDimsExact(total, known);
    if (inferred === undefined && typeof total === 'number' && typeof known === 'number') {
      return `cannot reshape ${formatShape(input)} (${total} elements) to ${formatShape(target)}: ${total} is not divisible by ${known}`;
    }
    out[inferAxis] = inferred ?? UNKNOWN_DIM;
  } else {
    const count = productOfDims(out);
    if (typeof total === 'number' && typeof count === 'number' && total !== count) {
      return `cannot reshape ${formatShape(input)} (${total} elements) to ${formatShape(target)} (${count} elements)`;
    }
  }
  return out;
}

export const Reshape: OpDef = {
  name: 'Reshape',
  summary: 'the same elements in a new shape (0 copies a dim, -1 is inferred)',
  inputs: [{ name: 'data' }, { name: 'shape', static: true }],
  outputs: [{ name: 'reshaped' }],
  view: true,
  attributes: { allowzero: { type: 'int', default: 0 } },
  infer(ctx) {
    const data = ctx.type(0);
    ctx.expectDType(1, ['i64']);
    const shapeType = ctx.expectRank(1, [1]);
    const target = ctx.known(1);
    if (!target) {
      const rank = shapeType.shape[0];
      if (typeof rank !== 'number') ctx.failShape(`the rank of the target shape ${ctx.inputRef(1)} is not known statically`);
      return [{ dtype: data.dtype, shape: new Array<Dim>(rank).fill(UNKNOWN_DIM) }];
    }
    const resolved = resolveReshapeTarget(data.shape, target, ctx.int('allowzero') !== 0);
    if (typeof resolved === 'string') return ctx.failShape(resolved, ctx.node.inputs[0]);
    return [{ dtype: data.dtype, shape: resolved }];
  },
  inferValue(ctx) {
    return ctx.known(0);
  },
  evaluate(ctx) {
    const data = ctx.input(0);
    const target = intValues(ctx.input(1));
    const resolved = resolveReshapeTarget(data.shape, target, ctx.int('allowzero') !== 0);
    if (typeof resolved === 'string') return ctx.failEval(resolved, ctx.node.inputs[0]);
    const shape = resolved as number[];
    if (shapeSize(shape) !== data.data.length) ctx.failEval(`cannot reshape [${data.shape}] to [${target}]`);
    return [{ dtype: data.dtype, shape, data: data.data }];
  },
};

