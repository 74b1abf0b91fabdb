/**
 * DepthToSpace and SpaceToDepth (ONNX 13) on [N, C, H, W]: both are a
 * reshape to six axes, a transpose, and a reshape back (the layout below,
 * which the reference and the compiler's copy plan share). With blocksize
 * b: DepthToSpace DCR splits C as [b, b, C/b²], CRD as [C/b², b, b]; the
 * output is [N, C/b², H·b, W·b]. SpaceToDepth splits H and W into blocks
 * and gives [N, C·b², H/b, W/b] (DCR order).
 */
import type { Dim } from '../dim.js';
import type { EvalContext, InferContext, OpContext, OpDef } from '../op-def.js';
import { shapeSize, stridesOf } from '../shape.js';
import { tensor, type Tensor } from '../tensor.js';
import { ALL_TYPES } from './kernel-utils.js';

/** The six-axis view of the input and the permutation that gives the output's six-axis view. */
export interface DepthSpaceLayout {
  /** The input reshaped to six axes. */
  readonly split: readonly Dim[];
  /** Output six-axis view axis i is split axis perm[i]. */
  readonly perm: readonly number[];
  /** The op's 4-D output shape. */
  readonly output: readonly Dim[];
}

function staticDim(ctx: OpContext, dim: Dim, what: string): number {
  if (typeof dim !== 'number') ctx.failShape(`${what} must be static, got ${dim}`);
  return dim;
}

/** The layout of a DepthToSpace or SpaceToDepth node over X's shape (validated). */
export function depthSpaceLayout(ctx: OpContext, shape: readonly Dim[]): DepthSpaceLayout {
  if (shape.length !== 4) ctx.failShape(`input ${ctx.inputRef(0)} must have rank 4 ([N, C, H, W]), got rank ${shape.length}`, ctx.node.inputs[0]);
  const b = ctx.int('blocksize');
  if (b < 1) ctx.failAttr(`attribute 'blocksize' must be >= 1, got ${b}`);
  const [n, c, h, w] = shape;
  if (ctx.node.op === 'SpaceToDepth') {
    const [height, width] = [staticDim(ctx, h, 'H'), staticDim(ctx, w, 'W')];
    if (height % b !== 0 || width % b !== 0) ctx.failShape(`H ${height} and W ${width} must be multiples of blocksize ${b}`);
    const channels = staticDim(ctx, c, 'C');
    return { split: [n, c, height / b, b, width / b, b], perm: [0, 3, 5, 1, 2, 4], output: [n, channels * b * b, height / b, width / b] };
  }
  const channels = staticDim(ctx, c, 'C');
  if (channels % (b * b) !== 0) ctx.failShape(`C ${channels} must be a multiple of blocksize² = ${b * b}`);
  const mode = ctx.string('mode');
  if (mode !== 'DCR' && mode !== 'CRD') ctx.failAttr(`attribute 'mode' must be DCR or CRD, got '${mode}'`);
  const depth = channels / (b * b);
  const [height, width] = [staticDim(ctx, h, 'H'), staticDim(ctx, w, 'W')];
  const output = [n, depth, height * b, width * b];
  return mode === 'DCR'
    ? { split: [n, b, b, depth, height, width], perm: [0, 3, 4, 1, 5, 2], output }
    : { split: [n, depth, b, b, height, width], perm: [0, 1, 4, 2, 5, 3], output };
}

function evaluateDepthSpace(ctx: EvalContext): Tensor[] {
  const x = ctx.input(0);
  const layout = depthSpaceLayout(ctx, x.shape);
  const split = layout.split as number[];
  const strides = stridesOf(split);
  const dims = layout.perm.map((axis) => split[axis]);
  const size = shapeSize(dims);
  const source = x.data as ArrayLike<unknown>;
  const out = new (x.data.constructor as new (length: number) => typeof x.data)(size);
  const index = new Array<number>(6).fill(0);
  for (let flat = 0; flat < size; flat++) {
    let [rest, from] = [flat, 0];
    for (let axis = 5; axis >= 0; axis--) {
      index[axis] = rest % dims[axis];
      rest = Math.floor(rest / dims[axis]);
      from += index[axis] * strides[layout.perm[axis]];
    }
    (out as unknown as unknown[])[flat] = source[from];
  }
  return [tensor(x.dtype, layout.output as number[], out)];
}

function inferDepthSpace(ctx: InferContext) {
  ctx.expectDType(0, ALL_TYPES);
  return [{ dtype: ctx.type(0).dtype, shape: [...depthSpaceLayout(ctx, ctx.type(0).shape).output] }];
}

/** DepthToSpace: moves blocks of channels into spatial blocks. */
export const DepthToSpace: OpDef = {
  name: 'DepthToSpace',
  summary: 'rearranges channel blocks into blocksize × blocksize spatial blocks (DCR or CRD order)',
  inputs: [{ name: 'input' }],
  outputs: [{ name: 'output' }],
  attributes: { blocksize: { type: 'int', required: true }, mode: { type: 'string', default: 'DCR' } },
  infer: inferDepthSpace,
  evaluate: evaluateDepthSpace,
};

/** SpaceToDepth: moves spatial blocks into channels. */
export const SpaceToDepth: OpDef = {
  name: 'SpaceToDepth',
  summary: 'rearranges blocksize × blocksize spatial blocks into channels',
  inputs: [{ name: 'input' }],
  outputs: [{ name: 'output' }],
  attributes: { blocksize: { type: 'int', required: true } },
  infer: inferDepthSpace,
  evaluate: evaluateDepthSpace,
};
