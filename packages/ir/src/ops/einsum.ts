/**
 * Einsum (ONNX Einsum-12): a general Einstein summation over any number of
 * operands of one numeric dtype, e.g. the attention forms
 * `bhqd,bhkd->bhqk` and `bhqk,bhkd->bhqd`. See einsum-equation.ts for the
 * equation rules (implicit output, diagonals, `...` broadcasting). The
 * reference kernel loops over every combination of label values (output
 * labels outermost) and accumulates products in f64, rounding once.
 */
import type { OpContext, OpDef } from '../op-def.js';
import { shapeSize, stridesOf } from '../shape.js';
import { fromNumbers } from '../tensor.js';
import { NUMERIC_TYPES, numericValues } from './kernel-utils.js';
import { parseEinsum, resolveEinsum, type EinsumEquation } from './einsum-equation.js';

function equationOf(ctx: OpContext, inputCount: number): EinsumEquation {
  const parsed = parseEinsum(ctx.string('equation'), inputCount);
  return typeof parsed === 'string' ? ctx.failAttr(parsed) : parsed;
}

/** Einsum: Einstein summation over the operands, as given by `equation`. */
export const Einsum: OpDef = {
  name: 'Einsum',
  summary: 'Einstein summation over the operands (explicit or implicit output, diagonals, ellipsis)',
  inputs: [{ name: 'Inputs', variadic: true }],
  outputs: [{ name: 'Output' }],
  attributes: { equation: { type: 'string', required: true } },
  infer(ctx) {
    const count = ctx.inputCount;
    const equation = equationOf(ctx, count);
    const dtype = ctx.expectDType(0, NUMERIC_TYPES);
    for (let k = 1; k < count; k++) ctx.expectSameDType(0, k);
    const names = Array.from({ length: count }, (_, k) => ctx.inputRef(k));
    const shapes = names.map((_, k) => ctx.type(k).shape);
    const resolved = resolveEinsum(equation, shapes, names, { node: ctx.label, op: ctx.node.op });
    if (typeof resolved === 'string') return ctx.failShape(resolved);
    return [{ dtype, shape: [...resolved.outputShape] }];
  },
  evaluate(ctx) {
    const inputs = Array.from({ length: ctx.inputCount }, (_, k) => ctx.input(k));
    const equation = equationOf(ctx, inputs.length);
    const names = inputs.map((_, k) => ctx.inputRef(k));
    const resolved = resolveEinsum(
      equation,
      inputs.map((input) => input.shape),
      names,
      { node: ctx.label, op: ctx.node.op },
    );
    if (typeof resolved === 'string') return ctx.failEval(resolved);
    const ellipsisRank = resolved.ellipsisDims.length;
    // Label ids: letters, then one per broadcast `...` axis.
    const ids = new Map<string, number>();
    const sizes: number[] = [];
    for (const [label, size] of resolved.labelDims) {
      ids.set(label, sizes.length);
      sizes.push(size);
    }
    const ellipsisBase = sizes.length;
    sizes.push(...resolved.ellipsisDims);
    // Per operand: the stride of each label id (summed for repeated letters: a diagonal).
    const strides = inputs.map((input, k) => {
      const term = equation.inputs[k];
      const perLabel = new Array<number>(sizes.length).fill(0);
      const axisStrides = stridesOf(input.shape);
      const own = resolved.inputEllipsis[k].length;
      const start = Math.max(0, term.ellipsisAt);
      term.labels.forEach((label, i) => {
        perLabel[ids.get(label) as number] += axisStrides[term.ellipsisAt < 0 || i < start ? i : i + own];
      });
      for (let e = 0; e < own; e++) {
        const broadcastAxis = ellipsisRank - own + e;
        if (input.shape[start + e] !== 1) perLabel[ellipsisBase + broadcastAxis] += axisStrides[start + e];
      }
      return perLabel;
    });
    const outIds: number[] = [];
    const out = equation.output;
    out.labels.forEach((label, i) => {
      if (i === out.ellipsisAt) for (let e = 0; e < ellipsisRank; e++) outIds.push(ellipsisBase + e);
      outIds.push(ids.get(label) as number);
    });
    if (out.ellipsisAt === out.labels.length) for (let e = 0; e < ellipsisRank; e++) outIds.push(ellipsisBase + e);
    const sumIds = sizes.map((_, id) => id).filter((id) => !outIds.includes(id));
    const order = [...outIds, ...sumIds];
    const orderSizes = order.map((id) => sizes[id]);
    const orderStrides = inputs.map((_, k) => order.map((id) => strides[k][id]));
    const outSize = shapeSize(outIds.map((id) => sizes[id]));
    const sumSize = shapeSize(sumIds.map((id) => sizes[id]));
    const values = inputs.map(numericValues);
    const offsets = new Array<number>(inputs.length).fill(0);
    const index = new Array<number>(order.length).fill(0);
    const result = new Float64Array(outSize);
    for (let o = 0; o < outSize; o++) {
      let acc = 0;
      for (let s = 0; s < sumSize; s++) {
        let product = 1;
        for (let k = 0; k < values.length; k++) product *= values[k][offsets[k]];
        acc += product;
        for (let axis = order.length - 1; axis >= 0; axis--) {
          index[axis]++;
          for (let k = 0; k < offsets.length; k++) offsets[k] += orderStrides[k][axis];
          if (index[axis] < orderSizes[axis]) break;
          for (let k = 0; k < offsets.length; k++) offsets[k] -= orderStrides[k][axis] * index[axis];
          index[axis] = 0;
        }
      }
      result[o] = acc;
    }
    return [fromNumbers(inputs[0].dtype, [...resolved.outputShape], result)];
  },
};
