/**
 * Where (ONNX Where-16): `condition ? X : Y` element-wise, with the three
 * inputs broadcast together. `condition` is bool; X and Y share a dtype.
 * Elements are copied as stored, so i64 values stay exact.
 */
import { allocData } from '../dtype.js';
import type { OpDef } from '../op-def.js';
import { broadcastShapes, shapeSize } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { ALL_TYPES, broadcastConcrete, broadcastIndexMap, sameShape } from './kernel-utils.js';

/** Where: element-wise select between X and Y by a bool condition, broadcasting all three. */
export const Where: OpDef = {
  name: 'Where',
  summary: 'condition ? X : Y element-wise, broadcasting all three',
  inputs: [{ name: 'condition' }, { name: 'X' }, { name: 'Y' }],
  outputs: [{ name: 'output' }],
  attributes: {},
  infer(ctx) {
    ctx.expectDType(0, ['bool']);
    const dtype = ctx.expectDType(1, ALL_TYPES);
    ctx.expectSameDType(1, 2);
    const shape = broadcastShapes([ctx.type(0).shape, ctx.type(1).shape, ctx.type(2).shape], { node: ctx.label, op: ctx.node.op });
    return [{ dtype, shape }];
  },
  evaluate(ctx) {
    const condition = ctx.input(0);
    const x = ctx.input(1);
    const y = ctx.input(2);
    if (condition.dtype !== 'bool') ctx.failEval(`condition ${ctx.inputRef(0)} must be bool, got ${condition.dtype}`);
    if (x.dtype !== y.dtype) ctx.failEval(`X ${ctx.inputRef(1)} is ${x.dtype} but Y ${ctx.inputRef(2)} is ${y.dtype}`);
    const shape = broadcastConcrete(ctx, [condition.shape, x.shape, y.shape]);
    const size = shapeSize(shape);
    const indexOf = (value: Tensor) => (sameShape(value.shape, shape) ? undefined : broadcastIndexMap(shape, value.shape));
    const [cMap, xMap, yMap] = [indexOf(condition), indexOf(x), indexOf(y)];
    const cond = condition.data as Uint8Array;
    const xs = x.data as ArrayLike<number | bigint>;
    const ys = y.data as ArrayLike<number | bigint>;
    const out = allocData(x.dtype, size);
    const target = out as unknown as { [index: number]: number | bigint };
    for (let i = 0; i < size; i++) {
      target[i] = cond[cMap ? cMap[i] : i] ? xs[xMap ? xMap[i] : i] : ys[yMap ? yMap[i] : i];
    }
    return [{ dtype: x.dtype, shape, data: out }];
  },
};
