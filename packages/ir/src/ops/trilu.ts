/**
 * Trilu (ONNX Trilu-14): keeps the upper (`upper` = 1, default) or lower
 * (`upper` = 0) triangle of the last two dims and zeroes the rest. The
 * optional input `k` (i64 scalar, default 0) shifts the diagonal: element
 * (i, j) is kept when `j - i >= k` (upper) or `j - i <= k` (lower). Batch
 * dims are independent. Any dtype; elements are copied as stored.
 */
import { allocData } from '../dtype.js';
import type { OpContext, OpDef } from '../op-def.js';
import { formatType } from '../shape.js';
import { intValues } from './kernel-utils.js';

function upperAttr(ctx: OpContext): boolean {
  const upper = ctx.int('upper');
  if (upper !== 0 && upper !== 1) ctx.failAttr(`attribute 'upper' must be 0 or 1, got ${upper}`);
  return upper === 1;
}

/** Trilu: the upper or lower triangle of the trailing matrices. */
export const Trilu: OpDef = {
  name: 'Trilu',
  summary: 'upper or lower triangle of the last two dims (diagonal shifted by k)',
  inputs: [{ name: 'input' }, { name: 'k', optional: true, static: true }],
  outputs: [{ name: 'output' }],
  attributes: { upper: { type: 'int', default: 1 } },
  infer(ctx) {
    upperAttr(ctx);
    const type = ctx.type(0);
    if (type.shape.length < 2) {
      ctx.failShape(`input ${ctx.inputRef(0)} must have rank >= 2, got ${formatType(type)}`, ctx.node.inputs[0]);
    }
    if (ctx.has(1)) {
      ctx.expectDType(1, ['i64']);
      const k = ctx.type(1);
      if (!(k.shape.length === 0 || (k.shape.length === 1 && k.shape[0] === 1))) {
        ctx.failShape(`k ${ctx.inputRef(1)} must be a scalar (rank 0, or shape [1]), got ${formatType(k)}`, ctx.node.inputs[1]);
      }
    }
    return [{ dtype: type.dtype, shape: type.shape }];
  },
  evaluate(ctx) {
    const upper = upperAttr(ctx);
    const input = ctx.input(0);
    const kTensor = ctx.optionalInput(1);
    const rank = input.shape.length;
    if (rank < 2) ctx.failEval(`input ${ctx.inputRef(0)} must have rank >= 2, got shape [${input.shape}]`);
    let k = 0;
    if (kTensor) {
      const values = intValues(kTensor);
      if (values.length !== 1) ctx.failEval(`k ${ctx.inputRef(1)} must hold one value, got ${values.length}`);
      k = values[0];
    }
    const rows = input.shape[rank - 2];
    const cols = input.shape[rank - 1];
    const src = input.data as ArrayLike<number | bigint>;
    const out = allocData(input.dtype, src.length);
    const target = out as unknown as { [index: number]: number | bigint };
    for (let flat = 0; flat < src.length; flat++) {
      const j = flat % cols;
      const i = Math.floor(flat / cols) % rows;
      if (upper ? j - i >= k : j - i <= k) target[flat] = src[flat];
    }
    return [{ dtype: input.dtype, shape: input.shape, data: out }];
  },
};
