/**
 * TopK (ONNX TopK-11/24): the K largest (`largest` = 1, default) or
 * smallest elements along `axis` (default -1) and their indices (i64). K
 * is the input `K` (i64, one element; TopK-1's attribute `k` is accepted
 * too). Values come out in order (largest first, or smallest first) —
 * `sorted` = 0 allows any order, and this order is one of them; equal
 * values keep their index order (the lower index first), as ONNX requires.
 * K may not exceed the axis' size. NaN's place in the order is unspecified.
 */
import { UNKNOWN_DIM, type Dim } from '../dim.js';
import type { EvalContext, InferContext, OpContext, OpDef } from '../op-def.js';
import { formatType, normalizeAxis } from '../shape.js';
import { tensor } from '../tensor.js';
import type { ScalarValue } from '../scalar/evaluate.js';
import { scalarValues, tensorOfValues } from './elementwise.js';
import { axisLayout, intValues, NUMERIC_TYPES } from './kernel-utils.js';
import { staticScalar } from './range.js';

/** The normalised axis and the `largest` flag of a TopK node. */
export function readTopK(ctx: OpContext, rank: number): { axis: number; largest: boolean } {
  const axis = normalizeAxis(ctx.int('axis'), rank, { node: ctx.label, op: ctx.node.op });
  const flag = (name: string): boolean => {
    const value = ctx.int(name);
    if (value !== 0 && value !== 1) ctx.failAttr(`attribute '${name}' must be 0 or 1, got ${value}`);
    return value === 1;
  };
  flag('sorted');
  return { axis, largest: flag('largest') };
}

/** K of a TopK node as shape inference knows it: a number, a symbol, or unknown. */
export function topKCount(ctx: InferContext): Dim {
  const attribute = ctx.optionalInt('k');
  if (!ctx.has(1)) return attribute ?? ctx.failAttr(`K is missing: give the input K (or, before opset 10, the attribute 'k')`);
  if (attribute !== undefined) ctx.failAttr(`K is given both as attribute and as input ${ctx.inputRef(1)}; use one`);
  ctx.expectDType(1, ['i64']);
  const type = ctx.type(1);
  if (type.shape.length > 1 || (type.shape.length === 1 && type.shape[0] !== 1)) {
    ctx.failShape(`K ${ctx.inputRef(1)} must hold one value, got ${formatType(type)}`, ctx.node.inputs[1]);
  }
  return staticScalar(ctx, 1) ?? UNKNOWN_DIM;
}

function checkCount(ctx: OpContext, k: Dim, size: Dim): void {
  if (typeof k === 'number' && (!Number.isInteger(k) || k < 0)) ctx.failShape(`K must be a non-negative integer, got ${k}`);
  if (typeof k === 'number' && typeof size === 'number' && k > size) ctx.failShape(`K = ${k} exceeds the size ${size} of the axis`);
}

/** The positions 0..length-1 of one line, best first (stable: equal values keep index order). */
function ranked(values: readonly ScalarValue[], largest: boolean): number[] {
  const order = values.map((_, index) => index);
  const before = (a: ScalarValue, b: ScalarValue): number => (a === b ? 0 : (largest ? a > b : a < b) ? -1 : 1);
  return order.sort((a, b) => before(values[a], values[b]) || a - b);
}

function evaluateTopK(ctx: EvalContext) {
  const x = ctx.input(0);
  const { axis, largest } = readTopK(ctx, x.shape.length);
  const k = ctx.optionalInput(1) ? intValues(ctx.input(1))[0] : ctx.int('k');
  checkCount(ctx, k, x.shape[axis]);
  const { outer, length, inner } = axisLayout(x.shape, axis);
  const values = scalarValues(x);
  const outShape = x.shape.map((dim, i) => (i === axis ? k : dim));
  const topValues = new Array<ScalarValue>(outer * k * inner);
  const topIndices = new Array<bigint>(outer * k * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const line = Array.from({ length }, (_, j) => values[o * length * inner + j * inner + i]);
      ranked(line, largest).slice(0, k).forEach((position, rank) => {
        topValues[o * k * inner + rank * inner + i] = line[position];
        topIndices[o * k * inner + rank * inner + i] = BigInt(position);
      });
    }
  }
  return [tensorOfValues(x.dtype, outShape, topValues), tensor('i64', outShape, topIndices)];
}

/** TopK: the K largest or smallest elements along an axis, and their indices. */
export const TopK: OpDef = {
  name: 'TopK',
  summary: 'the K largest or smallest elements along an axis, and their indices',
  inputs: [{ name: 'X' }, { name: 'K', optional: true, static: true }],
  outputs: [{ name: 'Values' }, { name: 'Indices' }],
  attributes: { axis: { type: 'int', default: -1 }, largest: { type: 'int', default: 1 }, sorted: { type: 'int', default: 1 }, k: { type: 'int' } },
  infer(ctx) {
    const dtype = ctx.expectDType(0, NUMERIC_TYPES);
    const shape = ctx.type(0).shape;
    const { axis } = readTopK(ctx, shape.length);
    const k = topKCount(ctx);
    checkCount(ctx, k, shape[axis]);
    const outShape = shape.map((dim, i) => (i === axis ? k : dim));
    return [{ dtype, shape: outShape }, { dtype: 'i64', shape: outShape }];
  },
  evaluate: evaluateTopK,
};
