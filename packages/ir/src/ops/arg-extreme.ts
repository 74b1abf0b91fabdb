/**
 * ArgMax and ArgMin (ONNX ArgMax-13 / ArgMin-13): the index (i64) of the
 * largest / smallest element along `axis` (default 0), `keepdims`
 * (default 1) keeping that axis as size 1. Ties go to the first index, or
 * to the last with `select_last_index`: an element replaces the current
 * best when it compares strictly better (better or equal with
 * `select_last_index`), scanning in index order. An axis of size 0 is an
 * error.
 */
import type { Dim } from '../dim.js';
import type { EvalContext, OpContext, OpDef } from '../op-def.js';
import { normalizeAxis } from '../shape.js';
import { tensor } from '../tensor.js';
import { scalarValues } from './elementwise.js';
import { axisLayout, NUMERIC_TYPES } from './kernel-utils.js';

/** The normalised axis and the flags of an ArgMax/ArgMin node. */
export function readArgExtreme(ctx: OpContext, rank: number): { axis: number; keepdims: boolean; lastIndex: boolean } {
  const axis = normalizeAxis(ctx.int('axis'), rank, { node: ctx.label, op: ctx.node.op });
  const flag = (name: string): boolean => {
    const value = ctx.int(name);
    if (value !== 0 && value !== 1) ctx.failAttr(`attribute '${name}' must be 0 or 1, got ${value}`);
    return value === 1;
  };
  return { axis, keepdims: flag('keepdims'), lastIndex: flag('select_last_index') };
}

function outputShape<T extends Dim>(shape: readonly T[], axis: number, keepdims: boolean): T[] {
  return keepdims ? shape.map((dim, i) => (i === axis ? (1 as T) : dim)) : shape.filter((_, i) => i !== axis);
}

function evaluateArgExtreme(ctx: EvalContext, largest: boolean): bigint[] {
  const x = ctx.input(0);
  const { axis, lastIndex } = readArgExtreme(ctx, x.shape.length);
  const { outer, length, inner } = axisLayout(x.shape, axis);
  if (length === 0 && outer * inner > 0) ctx.failEval(`cannot take ${ctx.node.op} along axis ${axis} of size 0`, ctx.node.inputs[0]);
  const values = scalarValues(x);
  const indices: bigint[] = [];
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * length * inner + i;
      let best = 0;
      for (let j = 1; j < length; j++) {
        const [value, current] = [values[base + j * inner], values[base + best * inner]];
        const better = largest ? value > current : value < current;
        if (better || (lastIndex && value === current)) best = j;
      }
      indices.push(BigInt(best));
    }
  }
  return indices;
}

function defineArgExtreme(name: string, largest: boolean): OpDef {
  return {
    name,
    summary: `index of the ${largest ? 'largest' : 'smallest'} element along an axis (i64)`,
    inputs: [{ name: 'data' }],
    outputs: [{ name: 'reduced' }],
    attributes: { axis: { type: 'int', default: 0 }, keepdims: { type: 'int', default: 1 }, select_last_index: { type: 'int', default: 0 } },
    infer(ctx) {
      ctx.expectDType(0, NUMERIC_TYPES);
      const shape = ctx.type(0).shape;
      const { axis, keepdims } = readArgExtreme(ctx, shape.length);
      return [{ dtype: 'i64', shape: outputShape(shape, axis, keepdims) }];
    },
    evaluate(ctx) {
      const x = ctx.input(0);
      const { axis, keepdims } = readArgExtreme(ctx, x.shape.length);
      return [tensor('i64', outputShape(x.shape, axis, keepdims), evaluateArgExtreme(ctx, largest))];
    },
  };
}

/** ArgMax: the index of the largest element along `axis`. */
export const ArgMax = defineArgExtreme('ArgMax', true);
/** ArgMin: the index of the smallest element along `axis`. */
export const ArgMin = defineArgExtreme('ArgMin', false);
