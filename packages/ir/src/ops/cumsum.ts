/**
 * CumSum (ONNX CumSum-14): running sums of `x` along the axis given by the
 * input `axis` (an i32 or i64 scalar, or a 1-element 1-D tensor; negative
 * counts from the end). `exclusive` = 1 leaves the current element out
 * (the first sum is 0); `reverse` = 1 sums from the end. Floats sum in f64
 * and round once per element in the reference; integers wrap.
 */
import type { InferContext, OpContext, OpDef } from '../op-def.js';
import { compileScalarExpr, type ScalarValue } from '../scalar/evaluate.js';
import { add, input, scalarTypeOf } from '../scalar/expr.js';
import { formatType, normalizeAxis } from '../shape.js';
import { scalarValues, tensorOfValues } from './elementwise.js';
import { axisLayout, intValues, NUMERIC_TYPES } from './kernel-utils.js';
import { staticScalar } from './range.js';

/** The `exclusive` and `reverse` flags of a CumSum node. */
export function readCumSumFlags(ctx: OpContext): { exclusive: boolean; reverse: boolean } {
  const flag = (name: string): boolean => {
    const value = ctx.int(name);
    if (value !== 0 && value !== 1) ctx.failAttr(`attribute '${name}' must be 0 or 1, got ${value}`);
    return value === 1;
  };
  return { exclusive: flag('exclusive'), reverse: flag('reverse') };
}

/** The normalised axis of a CumSum node when its `axis` input is known at compile time, else undefined. */
export function cumSumAxis(ctx: InferContext): number | undefined {
  const axis = staticScalar(ctx, 1);
  if (typeof axis !== 'number') return undefined;
  return normalizeAxis(axis, ctx.type(0).shape.length, { node: ctx.label, op: ctx.node.op }, `axis ${ctx.inputRef(1)}`);
}

/** CumSum: running sums along one axis. */
export const CumSum: OpDef = {
  name: 'CumSum',
  summary: 'running sums along an axis (exclusive, reverse)',
  inputs: [{ name: 'x' }, { name: 'axis', static: true }],
  outputs: [{ name: 'y' }],
  attributes: { exclusive: { type: 'int', default: 0 }, reverse: { type: 'int', default: 0 } },
  infer(ctx) {
    readCumSumFlags(ctx);
    const type = ctx.type(0);
    ctx.expectDType(0, NUMERIC_TYPES);
    ctx.expectDType(1, ['i32', 'i64']);
    const axisType = ctx.type(1);
    if (axisType.shape.length > 1 || (axisType.shape.length === 1 && axisType.shape[0] !== 1)) {
      ctx.failShape(`axis ${ctx.inputRef(1)} must be a scalar, got ${formatType(axisType)}`, ctx.node.inputs[1]);
    }
    if (type.shape.length === 0) ctx.failShape(`x ${ctx.inputRef(0)} must have rank >= 1, got ${formatType(type)}`, ctx.node.inputs[0]);
    cumSumAxis(ctx);
    return [type];
  },
  evaluate(ctx) {
    const x = ctx.input(0);
    const { exclusive, reverse } = readCumSumFlags(ctx);
    const [rawAxis] = intValues(ctx.input(1));
    const axis = normalizeAxis(rawAxis, x.shape.length, { node: ctx.label, op: ctx.node.op }, `axis ${ctx.inputRef(1)}`);
    const { outer, length, inner } = axisLayout(x.shape, axis);
    const type = scalarTypeOf(x.dtype);
    const sum = compileScalarExpr(add(input(0, type), input(1, type)));
    const values = scalarValues(x);
    const results = new Array<ScalarValue>(values.length);
    const zero: ScalarValue = type === 'i64' ? 0n : 0;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        let running = zero;
        for (let step = 0; step < length; step++) {
          const at = o * length * inner + (reverse ? length - 1 - step : step) * inner + i;
          if (exclusive) results[at] = running;
          running = sum([running, values[at]]);
          if (!exclusive) results[at] = running;
        }
      }
    }
    return [tensorOfValues(x.dtype, x.shape, results)];
  },
};
