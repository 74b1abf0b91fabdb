/**
 * ConstantOfShape (ONNX ConstantOfShape-21): a tensor of the shape given by
 * the i64 1-D input, every element equal to the one-element `value` tensor
 * (default f32 0). Its dtype is `value`'s.
 */
import { UNKNOWN_DIM, type Dim } from '../dim.js';
import type { OpContext, OpDef } from '../op-def.js';
import { formatShape, formatType } from '../shape.js';
import { tensor, type Tensor } from '../tensor.js';
import { intValues, INT_TYPES } from './kernel-utils.js';
import { expectIntInput, fillElements, MAX_KNOWN_ELEMENTS, productOf } from './shape-op-utils.js';

/** The fill value of a ConstantOfShape node (validated to hold exactly one element). */
export function constantOfShapeValue(ctx: OpContext): Tensor {
  const value = ctx.tensor('value') ?? tensor('f32', [1], [0]);
  if (value.data.length !== 1) {
    return ctx.failAttr(`value must hold exactly one element, got a ${value.dtype}${formatShape(value.shape)} tensor with ${value.data.length}`);
  }
  return value;
}

/** ConstantOfShape: a tensor of the input shape filled with the one-element `value` (default f32 0). */
export const ConstantOfShape: OpDef = {
  name: 'ConstantOfShape',
  summary: 'a tensor of the given shape filled with one value',
  inputs: [{ name: 'input', static: true }],
  outputs: [{ name: 'output' }],
  attributes: { value: { type: 'tensor' } },
  infer(ctx) {
    const value = constantOfShapeValue(ctx);
    const shapeType = expectIntInput(ctx, 0);
    const target = ctx.known(0);
    if (target) {
      const negative = target.find((dim) => typeof dim === 'number' && dim < 0);
      if (negative !== undefined) {
        return ctx.failShape(`shape ${ctx.inputRef(0)} ${formatShape(target)} has a negative dim ${negative}`, ctx.node.inputs[0]);
      }
      return [{ dtype: value.dtype, shape: [...target] }];
    }
    const rank = shapeType.shape[0];
    if (typeof rank !== 'number') {
      return ctx.failShape(`the length of shape ${ctx.inputRef(0)} ${formatType(shapeType)} is not known statically, so the output rank is unknown`);
    }
    return [{ dtype: value.dtype, shape: new Array<Dim>(rank).fill(UNKNOWN_DIM) }];
  },
  inferValue(ctx) {
    const value = constantOfShapeValue(ctx);
    const target = ctx.known(0);
    if (!INT_TYPES.includes(value.dtype) || !target || target.length > 1) return undefined;
    const length = target.length === 0 ? 1 : target[0];
    if (typeof length !== 'number' || length > MAX_KNOWN_ELEMENTS) return undefined;
    return new Array<Dim>(length).fill(intValues(value)[0]);
  },
  evaluate(ctx) {
    const value = constantOfShapeValue(ctx);
    const shape = intValues(ctx.input(0));
    if (shape.some((dim) => dim < 0)) ctx.failEval(`shape ${ctx.inputRef(0)} [${shape}] has a negative dim`);
    return [fillElements(value, shape, productOf(shape))];
  },
};
