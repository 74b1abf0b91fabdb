/**
 * LayerNormalization (ONNX LayerNormalization-17): (X - mean) /
 * sqrt(variance + epsilon) · Scale + B over the axes from `axis` on (see
 * normalization.ts). Optional outputs Mean and InvStdDev have X's shape
 * with the normalised dims set to 1 and dtype f32 (`stash_type` = 1, the
 * only value ONNX allows).
 */
import type { OpDef } from '../op-def.js';
import type { TensorType } from '../shape.js';
import { fromNumbers } from '../tensor.js';
import { inferNormalization, normalizeRows } from './normalization.js';

/** LayerNormalization: (X - mean) / sqrt(var + epsilon) · Scale + B over the trailing axes. */
export const LayerNormalization: OpDef = {
  name: 'LayerNormalization',
  summary: 'normalise over the axes from `axis` on, then scale and shift',
  inputs: [{ name: 'X' }, { name: 'Scale' }, { name: 'B', optional: true }],
  outputs: [{ name: 'Y' }, { name: 'Mean', optional: true }, { name: 'InvStdDev', optional: true }],
  attributes: {
    axis: { type: 'int', default: -1 },
    epsilon: { type: 'float', default: 1e-5 },
    stash_type: { type: 'int', default: 1 },
  },
  infer(ctx) {
    const { type, statShape } = inferNormalization(ctx);
    return ctx.node.outputs.map((name, i): TensorType | undefined => {
      if (i === 0) return type;
      return name ? { dtype: 'f32', shape: statShape } : undefined;
    });
  },
  evaluate(ctx) {
    const { y, means, invStds, statShape } = normalizeRows(ctx, true);
    const x = ctx.input(0);
    return [
      fromNumbers(x.dtype, x.shape, y),
      ctx.wantsOutput(1) ? fromNumbers('f32', statShape, means) : undefined,
      ctx.wantsOutput(2) ? fromNumbers('f32', statShape, invStds) : undefined,
    ];
  },
};
