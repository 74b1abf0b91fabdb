/**
 * ScatterElements (ONNX ScatterElements-18) and ScatterND (ONNX
 * ScatterND-18): the output is `data` with `updates` written at positions
 * `indices` give, in order, combined with what is there by `reduction`
 * (none: replace; add, mul, max, min). ScatterElements: `indices` and
 * `updates` share a shape of data's rank; update i goes to i with its
 * `axis` coordinate replaced by indices[i]. ScatterND: the last axis of
 * `indices` (length k) holds coordinates of a slice data[i0..i(k-1), :...]
 * that the matching slice of `updates` (indices.shape[:-1] +
 * data.shape[k:]) goes to. Negative indices count from the end.
 */
import { dimsCompatible } from '../dim.js';
import { allocData } from '../dtype.js';
import type { EvalContext, InferContext, OpContext, OpDef } from '../op-def.js';
import { formatShape, formatType, normalizeAxis, stridesOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { indexDepth } from './gather-nd.js';
import { intValues, INT_TYPES } from './kernel-utils.js';
import { copyElements, opLocation, productOf, wrapIndex } from './shape-op-utils.js';

/** How a scattered update combines with the element it lands on. */
export type ScatterReduction = 'none' | 'add' | 'mul' | 'max' | 'min';

const REDUCTIONS: readonly ScatterReduction[] = ['none', 'add', 'mul', 'max', 'min'];

/** The reduction of a node evaluated on `data` (f16 data takes only `none`). */
function evalReduction(ctx: EvalContext, data: Tensor): ScatterReduction {
  const reduction = scatterReduction(ctx, data.dtype);
  if (data.dtype === 'f16' && reduction !== 'none') ctx.failEval(`reduction '${reduction}' on f16 data is not supported`);
  return reduction;
}

/** The node's reduction, validated (bool data takes only `none`). */
export function scatterReduction(ctx: OpContext, dtype?: string): ScatterReduction {
  const reduction = ctx.string('reduction');
  if (!(REDUCTIONS as readonly string[]).includes(reduction)) ctx.failAttr(`reduction '${reduction}' is not one of ${REDUCTIONS.join(', ')}`);
  if (dtype === 'bool' && reduction !== 'none') ctx.failAttr(`reduction '${reduction}' does not apply to bool data`);
  return reduction as ScatterReduction;
}

type Numeric = number | bigint;

/** `current` combined with `update` by `reduction` (numbers, or BigInts for i64). */
export function combine(reduction: ScatterReduction, current: Numeric, update: Numeric): Numeric {
  switch (reduction) {
    case 'none':
      return update;
    case 'add':
      return (current as number) + (update as number);
    case 'mul':
      return (current as number) * (update as number);
    case 'max':
      return current >= update ? current : update;
    case 'min':
      return current <= update ? current : update;
  }
}

/** Writes `updates` into a copy of `data` at the element offsets `targets` (one per update element), in order. */
function scatterInto(data: Tensor, updates: Tensor, targets: ArrayLike<number>, reduction: ScatterReduction): Tensor {
  const out = allocData(data.dtype, data.data.length);
  copyElements(out, 0, data.data, 0, data.data.length);
  const cells = out as unknown as { [index: number]: Numeric };
  const values = updates.data as unknown as ArrayLike<Numeric>;
  for (let i = 0; i < targets.length; i++) cells[targets[i]] = combine(reduction, cells[targets[i]], values[i]);
  return { dtype: data.dtype, shape: [...data.shape], data: out };
}

function inferScatterTypes(ctx: InferContext): void {
  const data = ctx.type(0);
  ctx.expectDType(1, INT_TYPES);
  ctx.expectSameDType(0, 2);
  scatterReduction(ctx, data.dtype);
  if (data.dtype === 'f16' && ctx.string('reduction') !== 'none') ctx.failDType(`reduction '${ctx.string('reduction')}' on f16 data is not supported`, ctx.node.inputs[0]);
}

/** ScatterElements: updates written element by element along an axis. */
export const ScatterElements: OpDef = {
  name: 'ScatterElements',
  summary: 'data with updates written element by element along an axis',
  inputs: [{ name: 'data' }, { name: 'indices' }, { name: 'updates' }],
  outputs: [{ name: 'output' }],
  attributes: { axis: { type: 'int', default: 0 }, reduction: { type: 'string', default: 'none' } },
  infer(ctx) {
    inferScatterTypes(ctx);
    const [data, indices, updates] = [0, 1, 2].map((index) => ctx.type(index));
    normalizeAxis(ctx.int('axis'), data.shape.length, opLocation(ctx));
    const same = indices.shape.length === updates.shape.length && indices.shape.every((dim, axis) => dimsCompatible(dim, updates.shape[axis]));
    if (indices.shape.length !== data.shape.length || !same) {
      return ctx.failShape(`indices ${formatType(indices)} and updates ${formatType(updates)} must share a shape of data's rank (data ${formatType(data)})`, ctx.node.inputs[1]);
    }
    return [{ dtype: data.dtype, shape: [...data.shape] }];
  },
  evaluate(ctx) {
    const [data, indices, updates] = [0, 1, 2].map((index) => ctx.input(index));
    const axis = normalizeAxis(ctx.int('axis'), data.shape.length, opLocation(ctx));
    if (!sameShape(indices.shape, updates.shape) || indices.shape.length !== data.shape.length) ctx.failEval(`indices [${indices.shape}] and updates [${updates.shape}] must share a shape of data's rank`);
    const dataStrides = stridesOf(data.shape);
    const indexStrides = stridesOf(indices.shape);
    const picks = intValues(indices);
    const targets = new Int32Array(picks.length);
    for (let flat = 0; flat < picks.length; flat++) {
      const pick = wrapIndex(picks[flat], data.shape[axis]);
      if (pick === undefined) ctx.failEval(`index ${picks[flat]} is out of range for axis ${axis} of size ${data.shape[axis]}`, ctx.node.inputs[1]);
      let target = 0;
      for (let a = 0; a < data.shape.length; a++) {
        const coordinate = a === axis ? pick! : Math.floor(flat / indexStrides[a]) % indices.shape[a];
        if (coordinate >= data.shape[a]) ctx.failEval(`indices [${indices.shape}] reach past data [${data.shape}] on axis ${a}`);
        target += coordinate * dataStrides[a];
      }
      targets[flat] = target;
    }
    return [scatterInto(data, updates, targets, evalReduction(ctx, data))];
  },
};

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((dim, axis) => dim === b[axis]);
}

/** ScatterND: slices of updates written at coordinate tuples. */
export const ScatterND: OpDef = {
  name: 'ScatterND',
  summary: 'data with slices of updates written at coordinate tuples',
  inputs: [{ name: 'data' }, { name: 'indices' }, { name: 'updates' }],
  outputs: [{ name: 'output' }],
  attributes: { reduction: { type: 'string', default: 'none' } },
  infer(ctx) {
    inferScatterTypes(ctx);
    const [data, indices, updates] = [0, 1, 2].map((index) => ctx.type(index));
    const depth = indexDepth(ctx, data.shape.length, indices.shape, 0);
    if (typeof depth === 'string') return ctx.failShape(`${depth} (data ${formatType(data)}, indices ${formatType(indices)})`, ctx.node.inputs[1]);
    const expected = [...indices.shape.slice(0, -1), ...data.shape.slice(depth)];
    if (expected.length !== updates.shape.length || !expected.every((dim, axis) => dimsCompatible(dim, updates.shape[axis]))) {
      return ctx.failShape(`updates ${formatType(updates)} must have shape ${formatShape(expected)} (indices ${formatType(indices)}, data ${formatType(data)})`, ctx.node.inputs[2]);
    }
    return [{ dtype: data.dtype, shape: [...data.shape] }];
  },
  evaluate(ctx) {
    const [data, indices, updates] = [0, 1, 2].map((index) => ctx.input(index));
    const depth = indices.shape[indices.shape.length - 1];
    if (indices.shape.length < 1 || depth > data.shape.length) ctx.failEval(`indices [${indices.shape}] do not fit data [${data.shape}]`);
    const tuples = productOf(indices.shape, 0, indices.shape.length - 1);
    const slice = productOf(data.shape, depth);
    if (updates.data.length !== tuples * slice) ctx.failEval(`updates [${updates.shape}] must hold ${tuples} slices of ${slice} elements`);
    const coordinates = intValues(indices);
    const targets = new Int32Array(tuples * slice);
    for (let tuple = 0; tuple < tuples; tuple++) {
      let offset = 0;
      for (let k = 0; k < depth; k++) {
        const coordinate = wrapIndex(coordinates[tuple * depth + k], data.shape[k]);
        if (coordinate === undefined) ctx.failEval(`coordinate ${coordinates[tuple * depth + k]} is out of range for axis ${k} of size ${data.shape[k]}`, ctx.node.inputs[1]);
        offset += coordinate! * productOf(data.shape, k + 1);
      }
      for (let i = 0; i < slice; i++) targets[tuple * slice + i] = offset + i;
    }
    return [scatterInto(data, updates, targets, evalReduction(ctx, data))];
  },
};
