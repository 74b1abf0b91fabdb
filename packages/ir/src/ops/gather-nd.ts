/**
 * GatherND (ONNX GatherND-13): the last axis of `indices` (length m) holds
 * coordinates into `data` after its first `batch_dims` axes; each picks a
 * slice data[b..., i0, .., i(m-1), :...]. The output shape is
 * indices.shape[:-1] + data.shape[batch_dims + m:]. Negative coordinates
 * count from the end.
 */
import type { OpContext, OpDef } from '../op-def.js';
import { formatShape, formatType } from '../shape.js';
import { intValues, INT_TYPES } from './kernel-utils.js';
import { productOf, takeElements, wrapIndex } from './shape-op-utils.js';

/** The validated batch_dims and index depth m of a GatherND or ScatterND node; a message when they do not fit. */
export function indexDepth(ctx: OpContext, dataRank: number, indexShape: readonly unknown[], batchDims: number): number | string {
  const depth = indexShape[indexShape.length - 1];
  if (indexShape.length < 1) return 'indices must have rank >= 1';
  if (typeof depth !== 'number') return `the last axis of indices [${indexShape.join(', ')}] must be static`;
  if (batchDims < 0 || batchDims >= Math.min(dataRank, indexShape.length)) return `batch_dims ${batchDims} must be below the ranks of data and indices`;
  if (batchDims + depth > dataRank) return `indices address ${depth} axes after ${batchDims} batch axes, but data has rank ${dataRank}`;
  return depth;
}

/** GatherND: slices of data picked by coordinate tuples. */
export const GatherND: OpDef = {
  name: 'GatherND',
  summary: 'slices of data picked by coordinate tuples',
  inputs: [{ name: 'data' }, { name: 'indices' }],
  outputs: [{ name: 'output' }],
  attributes: { batch_dims: { type: 'int', default: 0 } },
  infer(ctx) {
    const data = ctx.type(0);
    ctx.expectDType(1, INT_TYPES);
    const indices = ctx.type(1);
    const batchDims = ctx.int('batch_dims');
    const depth = indexDepth(ctx, data.shape.length, indices.shape, batchDims);
    if (typeof depth === 'string') return ctx.failShape(`${depth} (data ${formatType(data)}, indices ${formatType(indices)})`, ctx.node.inputs[1]);
    return [{ dtype: data.dtype, shape: [...indices.shape.slice(0, -1), ...data.shape.slice(batchDims + depth)] }];
  },
  evaluate(ctx) {
    const data = ctx.input(0);
    const indices = ctx.input(1);
    const batchDims = ctx.int('batch_dims');
    const depth = indexDepth(ctx, data.shape.length, indices.shape, batchDims);
    if (typeof depth === 'string') return ctx.failEval(`${depth} (data ${formatShape(data.shape)}, indices ${formatShape(indices.shape)})`);
    const batches = productOf(data.shape, 0, batchDims);
    const tuples = productOf(indices.shape, batchDims, indices.shape.length - 1);
    const slice = productOf(data.shape, batchDims + depth);
    const batchStride = productOf(data.shape, batchDims);
    const coordinates = intValues(indices);
    const map = new Int32Array(batches * tuples * slice);
    for (let tuple = 0; tuple < batches * tuples; tuple++) {
      let offset = Math.floor(tuple / tuples) * batchStride;
      for (let k = 0; k < depth; k++) {
        const dim = data.shape[batchDims + k];
        const coordinate = wrapIndex(coordinates[tuple * depth + k], dim);
        if (coordinate === undefined) return ctx.failEval(`coordinate ${coordinates[tuple * depth + k]} is out of range for axis ${batchDims + k} of size ${dim}`, ctx.node.inputs[1]);
        offset += coordinate * productOf(data.shape, batchDims + k + 1);
      }
      for (let i = 0; i < slice; i++) map[tuple * slice + i] = offset + i;
    }
    return [takeElements(data, [...indices.shape.slice(0, -1), ...data.shape.slice(batchDims + depth)], map)];
  },
};
