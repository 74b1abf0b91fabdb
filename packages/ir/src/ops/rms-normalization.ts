/**
 * RMSNormalization (ONNX RMSNormalization-23): X / sqrt(mean(X²) +
 * epsilon) · Scale over the axes from `axis` (default -1) on, with no
 * centring and no bias (see normalization.ts).
 */
import type { OpDef } from '../op-def.js';
import { fromNumbers } from '../tensor.js';
import { inferNormalization, normalizeRows } from './normalization.js';

/** RMSNormalization: X / sqrt(mean(X²) + epsilon) · Scale over the trailing axes. */
export const RMSNormalization: OpDef = {
  name: 'RMSNormalization',
  summary: 'divide by the root mean square over the axes from `axis` on, then scale',
  inputs: [{ name: 'X' }, { name: 'scale' }],
  outputs: [{ name: 'Y' }],
  attributes: {
    axis: { type: 'int', default: -1 },
    epsilon: { type: 'float', default: 1e-5 },
    stash_type: { type: 'int', default: 1 },
  },
  infer: (ctx) => [inferNormalization(ctx).type],
  evaluate(ctx) {
    const x = ctx.input(0);
    return [fromNumbers(x.dtype, x.shape, normalizeRows(ctx, false).y)];
  },
};
