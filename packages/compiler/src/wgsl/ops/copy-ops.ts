/**
 * Ops that move elements without arithmetic, all lowered to the strided
 * copy kernel: Transpose, Slice, Split, Concat, Expand (and `emitCopy` for
 * other lowerings, e.g. the KV cache).
 */
import { addDims, dimsEqual, mulDims, normalizeAxis, nodeLocation, subDims, type Dim, type DType, type Node } from '@ladon/ir';
import { contiguousStrides, copyElement, dotDims, elementCount, padLeft } from '../elements.js';
import { copyKernel } from '../kernels/copy-kernel.js';
import { FLAT_WORKGROUP, MAX_RANK, rankValues } from '../kernels/flat.js';
import { unsupported, type WgslLowering } from '../lowering.js';

/** One strided copy: the index space and, per side, the strides and start offset (in elements). */
export interface CopySpec {
  readonly dtype: DType;
  readonly src: number;
  readonly dst: number;
  readonly space: readonly Dim[];
  readonly srcStrides: readonly Dim[];
  readonly dstStrides: readonly Dim[];
  readonly srcOffset?: Dim;
  readonly dstOffset?: Dim;
}

/** Emits one call of the copy kernel. */
export function emitCopy(lowering: WgslLowering, node: Node, spec: CopySpec): void {
  const what = `the copy for ${node.op} ${node.outputs[0]}`;
  const count = elementCount(spec.space);
  lowering.call(
    copyKernel(copyElement(spec.dtype)),
    node,
    {
      buffers: { src: spec.src, dst: spec.dst },
      uniforms: {
        count,
        ...rankValues('dim', padLeft(spec.space, MAX_RANK, 1, what)),
        ...rankValues('src_stride', padLeft(spec.srcStrides, MAX_RANK, 0, what)),
        ...rankValues('dst_stride', padLeft(spec.dstStrides, MAX_RANK, 0, what)),
        src_offset: spec.srcOffset ?? 0,
        dst_offset: spec.dstOffset ?? 0,
      },
    },
    { items: [count, 1, 1], perWorkgroup: [FLAT_WORKGROUP, 1, 1] },
  );
}

/** Transpose: output axis i reads input axis perm[i]. */
export function lowerTranspose(lowering: WgslLowering, node: Node): void {
  const input = lowering.graph.typeOf(node.inputs[0]);
  const rank = input.shape.length;
  const perm = (node.attrs.perm as readonly number[] | undefined) ?? Array.from({ length: rank }, (_, axis) => rank - 1 - axis);
  const inStrides = contiguousStrides(input.shape);
  const space = perm.map((axis) => input.shape[axis]);
  emitCopy(lowering, node, {
    dtype: input.dtype,
    src: lowering.buffer(node.inputs[0]),
    dst: lowering.buffer(node.outputs[0]),
    space,
    srcStrides: perm.map((axis) => inStrides[axis]),
    dstStrides: contiguousStrides(space),
  });
}

const HUGE_INDEX = 2 ** 31 - 1;

/** The first index of a slice on an axis of size `dim` (ONNX clamping where the dim is known). */
function sliceStart(start: Dim, dim: Dim, step: number): Dim {
  if (typeof start !== 'number') return start;
  if (typeof dim === 'number') {
    const first = start < 0 ? start + dim : start;
    return step > 0 ? Math.min(Math.max(first, 0), dim) : Math.min(Math.max(first, 0), dim - 1);
  }
  if (start >= HUGE_INDEX) return step > 0 ? dim : subDims(dim, 1);
  if (start <= -HUGE_INDEX) return 0;
  return start < 0 ? addDims(dim, start) : start;
}

/** Slice: a copy whose source starts at the slice origin and steps by `steps`. */
export function lowerSlice(lowering: WgslLowering, node: Node): void {
  const input = lowering.graph.typeOf(node.inputs[0]);
  const output = lowering.graph.typeOf(node.outputs[0]);
  const rank = input.shape.length;
  const starts = lowering.staticValues(node, 1);
  if (!starts) throw unsupported(node, 'Slice starts must be known at compile time');
  const axes = lowering.staticNumbers(node, 3, 'Slice axes') ?? starts.map((_, i) => i);
  const steps = lowering.staticNumbers(node, 4, 'Slice steps') ?? starts.map(() => 1);
  const inStrides = contiguousStrides(input.shape);
  const origin: Dim[] = new Array<Dim>(rank).fill(0);
  const srcStrides = [...inStrides];
  axes.forEach((rawAxis, i) => {
    const axis = normalizeAxis(rawAxis, rank, nodeLocation(node));
    origin[axis] = sliceStart(starts[i], input.shape[axis], steps[i]);
    srcStrides[axis] = mulDims(inStrides[axis], steps[i]);
  });
  emitCopy(lowering, node, {
    dtype: input.dtype,
    src: lowering.buffer(node.inputs[0]),
    dst: lowering.buffer(node.outputs[0]),
    space: output.shape,
    srcStrides,
    dstStrides: contiguousStrides(output.shape),
    srcOffset: dotDims(origin, inStrides),
  });
}

/** Split: one copy per requested output, each from its offset along the axis. */
export function lowerSplit(lowering: WgslLowering, node: Node): void {
  const input = lowering.graph.typeOf(node.inputs[0]);
  const axis = normalizeAxis(lowering.attrs(node).int('axis'), input.shape.length, nodeLocation(node));
  const inStrides = contiguousStrides(input.shape);
  let start: Dim = 0;
  for (const output of node.outputs) {
    if (!output) throw unsupported(node, 'every Split output must be named (the piece sizes come from the output types)');
    const shape = lowering.graph.typeOf(output).shape;
    emitCopy(lowering, node, {
      dtype: input.dtype,
      src: lowering.buffer(node.inputs[0]),
      dst: lowering.buffer(output),
      space: shape,
      srcStrides: inStrides,
      dstStrides: contiguousStrides(shape),
      srcOffset: mulDims(start, inStrides[axis]),
    });
    start = addDims(start, shape[axis]);
  }
}

/** Concat: one copy per input into its slab of the output. */
export function lowerConcat(lowering: WgslLowering, node: Node): void {
  const output = lowering.graph.typeOf(node.outputs[0]);
  const axis = normalizeAxis(lowering.attrs(node).int('axis'), output.shape.length, nodeLocation(node));
  const outStrides = contiguousStrides(output.shape);
  let start: Dim = 0;
  for (const input of node.inputs) {
    const shape = lowering.graph.typeOf(input).shape;
    emitCopy(lowering, node, {
      dtype: output.dtype,
      src: lowering.buffer(input),
      dst: lowering.buffer(node.outputs[0]),
      space: shape,
      srcStrides: contiguousStrides(shape),
      dstStrides: outStrides,
      dstOffset: mulDims(start, outStrides[axis]),
    });
    start = addDims(start, shape[axis]);
  }
}

/** Strides that read `shape` broadcast (right-aligned) to `target`: 0 on broadcast axes. */
export function broadcastStrides(shape: readonly Dim[], target: readonly Dim[]): Dim[] {
  const own = contiguousStrides(shape);
  const offset = target.length - shape.length;
  return target.map((dim, axis) => {
    if (axis < offset) return 0;
    const source = shape[axis - offset];
    return source === 1 && !dimsEqual(dim, 1) ? 0 : own[axis - offset];
  });
}

/** Expand: a copy whose source strides are 0 on the broadcast axes. */
export function lowerExpand(lowering: WgslLowering, node: Node): void {
  const input = lowering.graph.typeOf(node.inputs[0]);
  const output = lowering.graph.typeOf(node.outputs[0]);
  emitCopy(lowering, node, {
    dtype: input.dtype,
    src: lowering.buffer(node.inputs[0]),
    dst: lowering.buffer(node.outputs[0]),
    space: output.shape,
    srcStrides: broadcastStrides(input.shape, output.shape),
    dstStrides: contiguousStrides(output.shape),
  });
}
