/**
 * Pad (ONNX Pad-2/11/13/18/19/21/25): grows (or, with negative pads, crops)
 * each padded axis by `pads` (i64 [2·n]: all begins, then all ends) on the
 * axes `axes` (default: every axis). New elements are `constant_value`
 * (default 0) in `constant` mode; copy the nearest edge element in `edge`;
 * mirror the input without repeating the edge in `reflect`; and repeat the
 * input periodically in `wrap`. Before opset 11 the pads and the value are
 * attributes.
 */
import { addDims, UNKNOWN_DIM, type Dim } from '../dim.js';
import type { EvalContext, InferContext, OpContext, OpDef } from '../op-def.js';
import { formatType, stridesOf } from '../shape.js';
import { allocData } from '../dtype.js';
import { tensor, type Tensor } from '../tensor.js';
import { intValues } from './kernel-utils.js';
import { copyElements, expectIntInput, knownNumbers, normalizeAxes, productOf, takeElements } from './shape-op-utils.js';

/** The Pad modes. */
export type PadMode = 'constant' | 'edge' | 'reflect' | 'wrap';

const MODES: readonly PadMode[] = ['constant', 'edge', 'reflect', 'wrap'];

/** The node's mode, validated. */
export function padMode(ctx: OpContext): PadMode {
  const mode = ctx.string('mode');
  if (!(MODES as readonly string[]).includes(mode)) ctx.failAttr(`mode '${mode}' is not one of ${MODES.join(', ')}`);
  return mode as PadMode;
}

/**
 * The input coordinate an output coordinate reads on an axis of `dim`
 * elements padded by `begin` in front: c = out - begin, brought into
 * [0, dim) by the mode; -1 means the constant.
 */
export function padSource(out: number, begin: number, dim: number, mode: PadMode): number {
  const c = out - begin;
  if (c >= 0 && c < dim) return c;
  if (mode === 'constant') return -1;
  if (mode === 'edge' || (mode === 'reflect' && dim === 1)) return c < 0 ? 0 : dim - 1;
  if (mode === 'wrap') return ((c % dim) + dim) % dim;
  const period = 2 * (dim - 1);
  const m = ((c % period) + period) % period;
  return m < dim ? m : period - m;
}

/** Per axis, the begin and end pads (0 for axes not padded), from the pads and axes given. */
export function padsPerAxis(ctx: OpContext, rank: number, pads: readonly number[], axes: readonly number[] | undefined): { begins: number[]; ends: number[] } {
  const padded = axes ? normalizeAxes(ctx, axes, rank, 'axes') : Array.from({ length: rank }, (_, axis) => axis);
  const begins = new Array<number>(rank).fill(0);
  const ends = new Array<number>(rank).fill(0);
  padded.forEach((axis, i) => {
    begins[axis] = pads[i];
    ends[axis] = pads[i + padded.length];
  });
  return { begins, ends };
}

function checkPadsLength(ctx: OpContext, count: Dim, axes: number, fail: (message: string) => never): void {
  if (typeof count === 'number' && count !== 2 * axes) fail(`pads has ${count} entries; expected 2 per padded axis (${2 * axes})`);
}

function inferPad(ctx: InferContext): Dim[] {
  const data = ctx.type(0);
  const rank = data.shape.length;
  const fail = (message: string): never => ctx.failShape(message, ctx.node.inputs[1]);
  const attrPads = ctx.ints('pads');
  const padsType = ctx.has(1) ? expectIntInput(ctx, 1) : undefined;
  if (!padsType && !attrPads) return ctx.failAttr('Pad needs pads: input 1 (i64 1-D) or, before opset 11, the pads attribute');
  const axesCount = ctx.has(3) ? expectIntInput(ctx, 3, ['i32', 'i64']).shape[0] : rank;
  const axes = ctx.has(3) ? knownNumbers(ctx, 3) : undefined;
  if (typeof axesCount === 'number') checkPadsLength(ctx, padsType ? padsType.shape[0] : attrPads!.length, axesCount, fail);
  const pads = padsType ? knownNumbers(ctx, 1) : attrPads;
  if (!pads || (ctx.has(3) && !axes)) {
    // pads or axes from the feeds: the padded axes (all of them when the axes are unknown) are decided at run time
    const padded = axes ? normalizeAxes(ctx, axes, rank, 'axes') : undefined;
    return data.shape.map((dim, axis) => (!padded || padded.includes(axis) ? UNKNOWN_DIM : dim));
  }
  const { begins, ends } = padsPerAxis(ctx, rank, pads, axes);
  return data.shape.map((dim, axis) => {
    const size = addDims(dim, begins[axis] + ends[axis]);
    if (typeof size === 'number' && size < 0) fail(`pads [${pads.join(', ')}] crop axis ${axis} of ${formatType(data)} below zero`);
    return size;
  });
}

function evaluatePad(ctx: EvalContext, data: Tensor, begins: readonly number[], ends: readonly number[], mode: PadMode, value: Tensor): Tensor {
  const rank = data.shape.length;
  const shape = data.shape.map((dim, axis) => dim + begins[axis] + ends[axis]);
  if (shape.some((dim) => dim < 0)) ctx.failEval(`pads crop [${data.shape.join(', ')}] below zero`);
  if (mode !== 'constant' && data.shape.some((dim, axis) => dim === 0 && shape[axis] > 0)) ctx.failEval(`cannot pad an empty axis in ${mode} mode`);
  const inStrides = stridesOf(data.shape);
  const outStrides = stridesOf(shape);
  // element data.length of `source` is the constant
  const source = allocData(data.dtype, data.data.length + 1);
  copyElements(source, 0, data.data, 0, data.data.length);
  copyElements(source, data.data.length, value.data, 0, 1);
  const map = new Int32Array(productOf(shape));
  for (let flat = 0; flat < map.length; flat++) {
    let index = 0;
    for (let axis = 0; axis < rank && index >= 0; axis++) {
      const c = padSource(Math.floor(flat / outStrides[axis]) % shape[axis], begins[axis], data.shape[axis], mode);
      index = c < 0 ? -1 : index + c * inStrides[axis];
    }
    map[flat] = index < 0 ? data.data.length : index;
  }
  return takeElements({ dtype: data.dtype, shape: [source.length], data: source }, shape, map);
}

/** Pad: constant, edge, reflect or wrap padding (negative pads crop). */
export const Pad: OpDef = {
  name: 'Pad',
  summary: 'pads (or crops) axes: constant, edge, reflect or wrap',
  inputs: [{ name: 'data' }, { name: 'pads', optional: true, static: true }, { name: 'constant_value', optional: true }, { name: 'axes', optional: true, static: true }],
  outputs: [{ name: 'output' }],
  attributes: { mode: { type: 'string', default: 'constant' }, pads: { type: 'ints' }, value: { type: 'float', default: 0 } },
  infer(ctx) {
    const data = ctx.type(0);
    padMode(ctx);
    if (ctx.has(2)) {
      ctx.expectDType(2, [data.dtype]);
      const value = ctx.type(2);
      if (value.shape.length > 1 || (value.shape.length === 1 && value.shape[0] !== 1)) {
        ctx.failShape(`constant_value ${ctx.inputRef(2)} must be a scalar, got ${formatType(value)}`, ctx.node.inputs[2]);
      }
    }
    return [{ dtype: data.dtype, shape: inferPad(ctx) }];
  },
  evaluate(ctx) {
    const data = ctx.input(0);
    const padsInput = ctx.optionalInput(1);
    const pads = padsInput ? intValues(padsInput) : [...(ctx.ints('pads') ?? [])];
    const axesInput = ctx.optionalInput(3);
    const axes = axesInput ? intValues(axesInput) : undefined;
    checkPadsLength(ctx, pads.length, axes ? axes.length : data.shape.length, (message) => ctx.failEval(message));
    const { begins, ends } = padsPerAxis(ctx, data.shape.length, pads, axes);
    const given = ctx.optionalInput(2);
    if (given && given.data.length !== 1) ctx.failEval(`constant_value ${ctx.inputRef(2)} must hold one value, got ${given.data.length}`);
    const value = given ?? tensor(data.dtype, [1], [padsInput ? 0 : ctx.float('value')]);
    return [evaluatePad(ctx, data, begins, ends, padMode(ctx), value)];
  },
};
