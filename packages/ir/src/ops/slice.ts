/**
 * Slice (ONNX Slice-13): `data[starts:ends:steps]` on the axes `axes`
 * (default: the first len(starts) axes). Negative indices count from the
 * end, bounds are clamped (INT64_MAX / INT_MIN style values mean "to the
 * end"), steps may be negative. Inference works with symbolic dims and
 * symbolic starts/ends, assuming such bounds lie within the dim (`x[:, 1:]`
 * on `seq` gives `seq-1`; `mask[:seq]` on 2048 gives `seq`); what it cannot
 * tell becomes `?`.
 */
import { addDims, divDimsExact, subDims, UNKNOWN_DIM, type Dim } from '../dim.js';
import type { InferContext, OpContext, OpDef } from '../op-def.js';
import { formatType, stridesOf } from '../shape.js';
import { intValues, INT_TYPES } from './kernel-utils.js';
import { expectIntInput, HUGE_INDEX, knownNumbers, normalizeAxes, productOf, takeElements } from './shape-op-utils.js';

/** One axis of a concrete slice: first index, step and element count. */
export interface SliceRange {
  readonly start: number;
  readonly step: number;
  readonly length: number;
}

const clamp = (value: number, low: number, high: number): number => Math.min(Math.max(value, low), high);

/** The ONNX slice of a dim of size `dim` (negative indices wrap, bounds clamp; `step` must not be 0). */
export function sliceRange(dim: number, start: number, end: number, step: number): SliceRange {
  let first = start < 0 ? start + dim : start;
  let last = end < 0 ? end + dim : end;
  if (step > 0) {
    first = clamp(first, 0, dim);
    last = clamp(last, 0, dim);
  } else {
    first = clamp(first, 0, dim - 1);
    last = clamp(last, -1, dim - 1);
  }
  return { start: first, step, length: Math.max(0, Math.ceil((last - first) / step)) };
}

/**
 * The first index a slice reads on an axis of size `dim`: ONNX wrapping and
 * clamping where the start and the dim are numbers; a symbolic start is
 * taken as is (assumed within the axis), and huge or negative numeric starts
 * on a symbolic dim mean the axis' ends.
 */
export function sliceStart(dim: Dim, start: Dim, step: number): Dim {
  if (typeof start !== 'number') return start;
  if (typeof dim === 'number') return sliceRange(dim, start, start, step).start;
  return symbolicBound(start, dim, step, false);
}

/** A slice bound made relative to the start of a (possibly symbolic) dim. */
function symbolicBound(bound: Dim, dim: Dim, step: number, isEnd: boolean): Dim {
  if (typeof bound !== 'number') return bound; // a symbol (assumed within the dim) or '?'
  if (step > 0) {
    if (bound >= HUGE_INDEX) return dim;
    if (bound <= -HUGE_INDEX) return 0;
  } else {
    if (bound >= HUGE_INDEX) return subDims(dim, 1);
    if (bound <= -HUGE_INDEX) return isEnd ? -1 : 0;
  }
  return bound < 0 ? addDims(dim, bound) : bound;
}

/** The output size of slicing `dim` by `start:end:step`, symbolically where needed (`?` when unknown). */
export function sliceDim(dim: Dim, start: Dim | undefined, end: Dim | undefined, step: number | undefined): Dim {
  if (start === undefined || end === undefined || step === undefined || step === 0) return UNKNOWN_DIM;
  if (typeof dim === 'number' && typeof start === 'number' && typeof end === 'number') return sliceRange(dim, start, end, step).length;
  const first = symbolicBound(start, dim, step, false);
  const last = symbolicBound(end, dim, step, true);
  const span = step > 0 ? subDims(last, first) : subDims(first, last);
  const stride = Math.abs(step);
  if (typeof span === 'number') return Math.max(0, Math.ceil(span / stride));
  if (span === UNKNOWN_DIM) return UNKNOWN_DIM;
  return stride === 1 ? span : (divDimsExact(span, stride) ?? UNKNOWN_DIM);
}

/** Checks that starts/ends/axes/steps have one length; returns a message when they differ. */
function lengthProblem(ctx: OpContext, lengths: readonly (Dim | undefined)[]): string | undefined {
  const numeric = lengths.map((length, i) => [length, i] as const).filter(([length]) => typeof length === 'number');
  const [reference, at] = numeric[0] ?? [undefined, 0];
  const other = numeric.find(([length]) => length !== reference);
  if (!other) return undefined;
  const name = (i: number) => `${['starts', 'ends', 'axes', 'steps'][i]} ${ctx.inputRef(i + 1)}`;
  return `${name(at)} has ${reference} entries but ${name(other[1])} has ${other[0]}; they must have the same length`;
}

function defaultAxes(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}

function inferSlice(ctx: InferContext): Dim[] {
  const data = ctx.type(0);
  const rank = data.shape.length;
  const lengths: (Dim | undefined)[] = [];
  for (let i = 1; i <= 4; i++) {
    if (!ctx.has(i)) {
      lengths.push(undefined);
      continue;
    }
    expectIntInput(ctx, i, INT_TYPES);
    lengths.push(ctx.known(i)?.length ?? ctx.type(i).shape[0]);
  }
  const problem = lengthProblem(ctx, lengths);
  if (problem) return ctx.failShape(problem);
  const count = lengths.find((length): length is number => typeof length === 'number');
  const starts = ctx.known(1);
  const ends = ctx.known(2);
  const steps = ctx.has(4) ? knownNumbers(ctx, 4) : count === undefined ? undefined : new Array<number>(count).fill(1);
  const axes = ctx.has(3) ? knownNumbers(ctx, 3) : count === undefined ? undefined : defaultAxes(count);
  if (!axes) return new Array<Dim>(rank).fill(UNKNOWN_DIM);
  const normalized = normalizeAxes(ctx, axes, rank, `axes ${ctx.has(3) ? ctx.inputRef(3) : '(default)'}`);
  if (steps) {
    const zero = steps.indexOf(0);
    if (zero >= 0) return ctx.failShape(`steps ${ctx.inputRef(4)} [${steps.join(', ')}] has a 0 at position ${zero}; steps must be non-zero`);
  }
  const shape: Dim[] = [...data.shape];
  normalized.forEach((axis, i) => {
    shape[axis] = sliceDim(data.shape[axis], starts?.[i], ends?.[i], steps?.[i]);
  });
  return shape;
}

/** Slice: `data[starts:ends:steps]` on `axes`, ONNX-13 semantics (clamping, negative indices and steps). */
export const Slice: OpDef = {
  name: 'Slice',
  summary: 'data[starts:ends:steps] along the given axes',
  inputs: [
    { name: 'data' },
    { name: 'starts', static: true },
    { name: 'ends', static: true },
    { name: 'axes', optional: true, static: true },
    { name: 'steps', optional: true, static: true },
  ],
  outputs: [{ name: 'output' }],
  attributes: {},
  infer(ctx) {
    const data = ctx.type(0);
    if (data.shape.length === 0) return ctx.failShape(`data ${ctx.inputRef(0)} must have rank >= 1, got ${formatType(data)}`, ctx.node.inputs[0]);
    return [{ dtype: data.dtype, shape: inferSlice(ctx) }];
  },
  inferValue(ctx) {
    const data = ctx.known(0);
    const starts = knownNumbers(ctx, 1);
    const ends = knownNumbers(ctx, 2);
    if (!data || !starts || !ends || ctx.type(0).shape.length !== 1 || starts.length !== 1 || ends.length !== 1) return undefined;
    const axes = ctx.has(3) ? knownNumbers(ctx, 3) : [0];
    const steps = ctx.has(4) ? knownNumbers(ctx, 4) : [1];
    if (!axes || !steps || (axes[0] !== 0 && axes[0] !== -1) || !steps[0]) return undefined;
    const range = sliceRange(data.length, starts[0], ends[0], steps[0]);
    return Array.from({ length: range.length }, (_, i) => data[range.start + i * range.step]);
  },
  evaluate(ctx) {
    const data = ctx.input(0);
    const rank = data.shape.length;
    const starts = intValues(ctx.input(1));
    const ends = intValues(ctx.input(2));
    const axesInput = ctx.optionalInput(3);
    const stepsInput = ctx.optionalInput(4);
    const axes = axesInput ? intValues(axesInput) : defaultAxes(starts.length);
    const steps = stepsInput ? intValues(stepsInput) : new Array<number>(starts.length).fill(1);
    const problem = lengthProblem(ctx, [starts.length, ends.length, axes.length, steps.length]);
    if (problem) return ctx.failEval(problem);
    const normalized = normalizeAxes(ctx, axes, rank, 'axes');
    const first = new Array<number>(rank).fill(0);
    const step = new Array<number>(rank).fill(1);
    const shape = [...data.shape];
    normalized.forEach((axis, i) => {
      if (steps[i] === 0) ctx.failEval(`steps [${steps.join(', ')}] has a 0 at position ${i}; steps must be non-zero`);
      const range = sliceRange(data.shape[axis], starts[i], ends[i], steps[i]);
      first[axis] = range.start;
      step[axis] = range.step;
      shape[axis] = range.length;
    });
    const inStrides = stridesOf(data.shape);
    const strides = step.map((s, axis) => s * inStrides[axis]);
    const size = productOf(shape);
    const map = new Int32Array(size);
    const index = new Array<number>(rank).fill(0);
    let position = first.reduce((sum, start, axis) => sum + start * inStrides[axis], 0);
    for (let flat = 0; flat < size; flat++) {
      map[flat] = position;
      for (let axis = rank - 1; axis >= 0; axis--) {
        index[axis]++;
        position += strides[axis];
        if (index[axis] < shape[axis]) break;
        position -= strides[axis] * index[axis];
        index[axis] = 0;
      }
    }
    return [takeElements(data, shape, map)];
  },
};
