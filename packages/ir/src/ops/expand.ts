/**
 * Expand (ONNX Expand-13): broadcasts `input` to `shape` bidirectionally
 * (NumPy rules: the output shape is broadcast(input.shape, shape), so a
 * target dim of 1 keeps the input's dim).
 */
import { UNKNOWN_DIM, type Dim } from '../dim.js';
import type { OpDef } from '../op-def.js';
import { broadcastShapes, formatShape, formatType } from '../shape.js';
import { broadcastConcrete, broadcastIndexMap, intValues } from './kernel-utils.js';
import { expectIntInput, MAX_KNOWN_ELEMENTS, opLocation, takeElements } from './shape-op-utils.js';

/** Expand: broadcasts `input` to the target `shape` (bidirectional NumPy broadcasting). */
export const Expand: OpDef = {
  name: 'Expand',
  summary: 'broadcasts the input to a shape (bidirectionally)',
  inputs: [{ name: 'input' }, { name: 'shape', static: true }],
  outputs: [{ name: 'output' }],
  attributes: {},
  infer(ctx) {
    const input = ctx.type(0);
    const shapeType = expectIntInput(ctx, 1);
    const target = ctx.known(1);
    if (target) {
      const negative = target.find((dim) => typeof dim === 'number' && dim < 0);
      if (negative !== undefined) {
        return ctx.failShape(`shape ${ctx.inputRef(1)} ${formatShape(target)} has a negative dim ${negative}`, ctx.node.inputs[1]);
      }
      try {
        return [{ dtype: input.dtype, shape: broadcastShapes([input.shape, target], opLocation(ctx)) }];
      } catch {
        return ctx.failShape(
          `input ${ctx.inputRef(0)} ${formatType(input)} cannot be expanded to shape ${ctx.inputRef(1)} ${formatShape(target)}`,
          ctx.node.inputs[0],
        );
      }
    }
    const length = shapeType.shape[0];
    if (typeof length !== 'number') {
      return ctx.failShape(`the length of shape ${ctx.inputRef(1)} ${formatType(shapeType)} is not known statically, so the output rank is unknown`);
    }
    // Unknown target: an input dim other than 1 survives broadcasting; the rest are unknown.
    const rank = Math.max(length, input.shape.length);
    const offset = rank - input.shape.length;
    const shape: Dim[] = Array.from({ length: rank }, (_, axis) => {
      const dim = axis >= offset ? input.shape[axis - offset] : 1;
      return typeof dim === 'number' && dim !== 1 ? dim : UNKNOWN_DIM;
    });
    return [{ dtype: input.dtype, shape }];
  },
  inferValue(ctx) {
    // Only 0-d / 1-d results: e.g. a known scalar expanded to [n].
    const values = ctx.known(0);
    const target = ctx.known(1);
    if (!values || !target || ctx.type(0).shape.length > 1 || target.length > 1) return undefined;
    const length = target.length === 0 ? 1 : target[0];
    if (typeof length !== 'number') return undefined;
    if (values.length === 1 && length <= MAX_KNOWN_ELEMENTS) return new Array<Dim>(length).fill(values[0]);
    return length === 1 || length === values.length ? values : undefined;
  },
  evaluate(ctx) {
    const input = ctx.input(0);
    const target = intValues(ctx.input(1));
    if (target.some((dim) => dim < 0)) ctx.failEval(`shape ${ctx.inputRef(1)} [${target}] has a negative dim`);
    const shape = broadcastConcrete(ctx, [input.shape, target]);
    return [takeElements(input, shape, broadcastIndexMap(shape, input.shape))];
  },
};
