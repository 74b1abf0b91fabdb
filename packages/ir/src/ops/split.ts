/**
 * Split (ONNX Split-18): cuts `input` along `axis` into one piece per node
 * output. Sizes come from the optional `split` input (or the pre-13 `split`
 * attribute); without them the axis is split evenly, the last piece smaller
 * when it does not divide (ceil(dim / n) per piece, as ONNX-18 specifies).
 */
import { divDimsExact, UNKNOWN_DIM, type Dim } from '../dim.js';
import { allocData } from '../dtype.js';
import type { OpContext, OpDef } from '../op-def.js';
import { formatShape, formatType, normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { intValues } from './kernel-utils.js';
import { copyElements, expectIntInput, knownNumbers, opLocation, productOf } from './shape-op-utils.js';

/** The piece sizes of an even split of `dim` into `count` (ONNX-18: ceil chunks, last smaller); a message when impossible. */
export function evenSplit(dim: Dim, count: number): Dim[] | string {
  if (count === 1) return [dim];
  if (typeof dim !== 'number') {
    const chunk = divDimsExact(dim, count);
    return new Array<Dim>(count).fill(chunk ?? UNKNOWN_DIM);
  }
  const chunk = Math.ceil(dim / count);
  const last = dim - chunk * (count - 1);
  if (last < 0) return `cannot split a dim of ${dim} into ${count} pieces of ${chunk} (the last piece would have ${last} elements)`;
  return [...new Array<number>(count - 1).fill(chunk), last];
}

/** Checks explicit split sizes against the output count and the axis dim; a message when they disagree. */
function checkSizes(sizes: readonly number[], count: number, dim: Dim, what: string): string | undefined {
  if (sizes.length !== count) return `${what} [${sizes.join(', ')}] has ${sizes.length} entries but the node has ${count} outputs`;
  if (sizes.some((size) => size < 0)) return `${what} [${sizes.join(', ')}] has a negative size`;
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (typeof dim === 'number' && total !== dim) return `${what} [${sizes.join(', ')}] sums to ${total} but the axis has size ${dim}`;
  return undefined;
}

function checkNumOutputs(ctx: OpContext, count: number): void {
  const numOutputs = ctx.optionalInt('num_outputs');
  if (numOutputs !== undefined && numOutputs !== count) {
    ctx.failAttr(`num_outputs is ${numOutputs} but the node has ${count} outputs`);
  }
}

/** Split: cuts `input` along `axis` into node.outputs.length pieces (sizes from `split`, or even). */
export const Split: OpDef = {
  name: 'Split',
  summary: 'cuts a tensor along an axis into several pieces',
  inputs: [{ name: 'input' }, { name: 'split', optional: true, static: true }],
  outputs: [{ name: 'outputs', variadic: true }],
  attributes: { axis: { type: 'int', default: 0 }, num_outputs: { type: 'int' }, split: { type: 'ints' } },
  infer(ctx) {
    const input = ctx.type(0);
    const count = ctx.node.outputs.length;
    const axis = normalizeAxis(ctx.int('axis'), input.shape.length, opLocation(ctx));
    const dim = input.shape[axis];
    const where = ` (input ${ctx.inputRef(0)} is ${formatType(input)}, axis ${axis})`;
    if ((ctx.has(1) || ctx.hasAttr('split')) && ctx.hasAttr('num_outputs')) {
      return ctx.failAttr('give either split sizes or num_outputs, not both');
    }
    let sizes: Dim[];
    if (ctx.has(1)) {
      if (ctx.hasAttr('split')) return ctx.failAttr(`split sizes are given both as input ${ctx.inputRef(1)} and as an attribute; give one`);
      const splitType = expectIntInput(ctx, 1);
      const known = knownNumbers(ctx, 1);
      if (known) {
        const problem = checkSizes(known, count, dim, `split ${ctx.inputRef(1)}`);
        if (problem) return ctx.failShape(problem + where, ctx.node.inputs[1]);
        sizes = known;
      } else {
        const partial = ctx.known(1);
        const length = partial ? partial.length : splitType.shape[0];
        if (typeof length === 'number' && length !== count) {
          return ctx.failShape(`split ${ctx.inputRef(1)} ${formatType(splitType)} has ${length} entries but the node has ${count} outputs`, ctx.node.inputs[1]);
        }
        sizes = partial ? [...partial] : new Array<Dim>(count).fill(UNKNOWN_DIM);
      }
    } else if (ctx.hasAttr('split')) {
      const attr = ctx.ints('split') ?? [];
      const problem = checkSizes(attr, count, dim, "attribute 'split'");
      if (problem) return ctx.failAttr(problem + where);
      sizes = [...attr];
    } else {
      checkNumOutputs(ctx, count);
      const even = evenSplit(dim, count);
      if (typeof even === 'string') return ctx.failShape(even + where, ctx.node.inputs[0]);
      sizes = even;
    }
    return sizes.map((size, i) => {
      if (!ctx.node.outputs[i]) return undefined;
      const shape = [...input.shape];
      shape[axis] = size;
      return { dtype: input.dtype, shape };
    });
  },
  evaluate(ctx) {
    const input = ctx.input(0);
    const count = ctx.node.outputs.length;
    const axis = normalizeAxis(ctx.int('axis'), input.shape.length, opLocation(ctx));
    const dim = input.shape[axis];
    const splitInput = ctx.optionalInput(1);
    let sizes: number[];
    if (splitInput || ctx.hasAttr('split')) {
      sizes = splitInput ? intValues(splitInput) : [...(ctx.ints('split') ?? [])];
      const problem = checkSizes(sizes, count, dim, 'split');
      if (problem) return ctx.failEval(`${problem} (input ${formatShape(input.shape)}, axis ${axis})`);
    } else {
      checkNumOutputs(ctx, count);
      const even = evenSplit(dim, count);
      if (typeof even === 'string') return ctx.failEval(even);
      sizes = even as number[];
    }
    const outer = productOf(input.shape, 0, axis);
    const inner = productOf(input.shape, axis + 1);
    const results: (Tensor | undefined)[] = [];
    let start = 0;
    for (let i = 0; i < count; i++) {
      const size = sizes[i];
      if (ctx.wantsOutput(i)) {
        const shape = [...input.shape];
        shape[axis] = size;
        const block = size * inner;
        const data = allocData(input.dtype, outer * block);
        for (let o = 0; o < outer; o++) copyElements(data, o * block, input.data, (o * dim + start) * inner, block);
        results.push({ dtype: input.dtype, shape, data });
      } else {
        results.push(undefined);
      }
      start += size;
    }
    return results;
  },
};
