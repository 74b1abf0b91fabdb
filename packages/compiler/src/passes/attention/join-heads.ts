/**
 * Joining per-head tensors back along the feature axis. A per-head loop
 * reads head h's Q (K, V) as a slice of one tensor — `torch.split` /
 * `chunk` (Split), `x[..., h*d:(h+1)*d]` (Slice) — or computes it with its
 * own projection (`nn.ModuleList` of heads: MatMul by a per-head weight).
 * Merged into one multi-head attention, the operand is the whole tensor:
 *
 *   consecutive Split outputs in order      -> the Split's input (or a Slice of it)
 *   contiguous Slices of one tensor, in order -> that tensor (or one Slice)
 *   MatMul(x, W_h) [+ b_h], constant W_h, b_h -> MatMul(x, [W_0 | W_1 | ...]) [+ [b_0 | ...]]
 *   anything else                             -> Concat on the last axis
 */
import { dimsEqual, numericValues, tensor, type Graph, type Node, type Tensor } from '@ladon/ir';
import { insertConstant, insertOp } from '../../graph-edit.js';
import type { GraphIndex } from './layout.js';

/** A part as a range [start, end) of the last axis of `source`. */
interface LastAxisRange {
  readonly source: string;
  readonly start: number;
  readonly end: number;
}

function lastAxisOf(graph: Graph, value: string): { rank: number; width: number | undefined } {
  const shape = graph.typeOf(value).shape;
  const width = shape[shape.length - 1];
  return { rank: shape.length, width: typeof width === 'number' ? width : undefined };
}

function isLastAxis(axis: number, rank: number): boolean {
  return axis === -1 || axis === rank - 1;
}

/** `value` as an output of a Split on the last axis: the range it covers. */
function splitRange(index: GraphIndex, value: string): LastAxisRange | undefined {
  const split = index.producers.get(value);
  if (split?.op !== 'Split') return undefined;
  const { rank } = lastAxisOf(index.graph, split.inputs[0]);
  if (!isLastAxis((split.attrs.axis as number | undefined) ?? 0, rank)) return undefined;
  let start = 0;
  for (const output of split.outputs) {
    const width = output ? lastAxisOf(index.graph, output).width : undefined;
    if (width === undefined) return undefined;
    if (output === value) return { source: split.inputs[0], start, end: start + width };
    start += width;
  }
  return undefined;
}

/** `value` as a step-1 Slice of the last axis only, with constant bounds: the range it covers. */
function sliceRangeOf(index: GraphIndex, value: string): LastAxisRange | undefined {
  const slice = index.producers.get(value);
  if (slice?.op !== 'Slice') return undefined;
  const [data, starts, ends, axes, steps] = slice.inputs;
  const { rank, width } = lastAxisOf(index.graph, data);
  const read = (name: string | undefined): number[] | undefined => {
    const constant = name ? index.constants.get(name) : undefined;
    return constant ? Array.from(numericValues(constant)) : undefined;
  };
  const [from, to, axis, step] = [read(starts), read(ends), axes ? read(axes) : [rank - 1], steps ? read(steps) : [1]];
  if (!from || !to || !axis || !step || from.length !== 1 || axis.length !== 1 || !isLastAxis(axis[0], rank) || step[0] !== 1 || width === undefined) return undefined;
  const clamp = (bound: number): number => Math.min(Math.max(bound < 0 ? bound + width : bound, 0), width);
  return { source: data, start: clamp(from[0]), end: clamp(to[0]) };
}

/** The ranges of `parts` when they tile one range of one tensor in order. */
function contiguousRanges(index: GraphIndex, parts: readonly string[]): LastAxisRange | undefined {
  for (const reader of [splitRange, sliceRangeOf]) {
    const ranges = parts.map((part) => reader(index, part));
    if (ranges.some((range) => !range)) continue;
    const [first] = ranges as LastAxisRange[];
    const joined = (ranges as LastAxisRange[]).every((range, i) => range.source === first.source && (i === 0 || range.start === ranges[i - 1]!.end));
    if (joined) return { source: first.source, start: first.start, end: ranges[ranges.length - 1]!.end };
  }
  return undefined;
}

/** Per-head projections `MatMul(x, W_h)` (+ `b_h`) with constant weights, or undefined. */
function projections(index: GraphIndex, parts: readonly string[]): { x: string; weights: Tensor[]; biases: Tensor[] | undefined } | undefined {
  const found = parts.map((part) => projectionOf(index, part));
  if (found.some((projection) => !projection)) return undefined;
  const all = found as { x: string; weight: Tensor; bias?: Tensor }[];
  const withBias = all.filter((projection) => projection.bias).length;
  if (!all.every((projection) => projection.x === all[0].x && projection.weight.shape.length === 2 && projection.weight.dtype === all[0].weight.dtype)) return undefined;
  if (!all.every((projection) => projection.weight.shape[0] === all[0].weight.shape[0]) || (withBias !== 0 && withBias !== all.length)) return undefined;
  return { x: all[0].x, weights: all.map((projection) => projection.weight), biases: withBias ? all.map((projection) => projection.bias!) : undefined };
}

function projectionOf(index: GraphIndex, value: string): { x: string; weight: Tensor; bias?: Tensor } | undefined {
  const node = index.producers.get(value);
  if (node?.op === 'MatMul') {
    const weight = index.constants.get(node.inputs[1]);
    return weight && !index.constants.has(node.inputs[0]) ? { x: node.inputs[0], weight } : undefined;
  }
  if (node?.op !== 'Add') return undefined;
  for (const [product, biasName] of [node.inputs, [...node.inputs].reverse()]) {
    const bias = index.constants.get(biasName);
    const inner = bias && bias.shape.length === 1 ? projectionOf(index, product) : undefined;
    if (inner && !inner.bias && bias!.shape[0] === inner.weight.shape[1]) return { ...inner, bias };
  }
  return undefined;
}

/** Concatenates 2-D [K, n_h] weights by columns (or 1-D biases). */
function concatColumns(parts: readonly Tensor[]): Tensor {
  const rows = parts[0].shape.length === 2 ? parts[0].shape[0] : 1;
  const widths = parts.map((part) => part.shape[part.shape.length - 1]);
  const total = widths.reduce((sum, width) => sum + width, 0);
  const values = new Array<number>(rows * total);
  let column = 0;
  parts.forEach((part, p) => {
    const data = numericValues(part);
    for (let row = 0; row < rows; row++) for (let c = 0; c < widths[p]; c++) values[row * total + column + c] = data[row * widths[p] + c];
    column += widths[p];
  });
  return tensor(parts[0].dtype, parts[0].shape.length === 2 ? [rows, total] : [total], values);
}

/** One tensor holding `parts` side by side on the last axis, with as little new work as possible. */
export function joinLastAxis(graph: Graph, index: GraphIndex, parts: readonly string[], before: Node, name: string): string {
  const range = contiguousRanges(index, parts);
  if (range) {
    if (range.start === 0 && range.end === lastAxisOf(graph, range.source).width) return range.source;
    const bound = (value: number): string => insertConstant(graph, tensor('i64', [1], [value]), `${name}_bound`);
    return insertOp(graph, 'Slice', [range.source, bound(range.start), bound(range.end), insertConstant(graph, tensor('i64', [1], [-1]), 'last_axis')], {}, { before, name });
  }
  const projected = projections(index, parts);
  if (projected) {
    const product = insertOp(graph, 'MatMul', [projected.x, insertConstant(graph, concatColumns(projected.weights), `${name}_weight`)], {}, { before, name });
    return projected.biases ? insertOp(graph, 'Add', [product, insertConstant(graph, concatColumns(projected.biases), `${name}_bias`)], {}, { before, name }) : product;
  }
  return insertOp(graph, 'Concat', [...parts], { axis: -1 }, { before, name });
}

/** True when every part has the same shape except the last axis. */
export function sameLeadingDims(graph: Graph, parts: readonly string[]): boolean {
  const shapes = parts.map((part) => graph.typeOf(part).shape);
  return shapes.every((shape) => shape.length === shapes[0].length && shape.slice(0, -1).every((dim, axis) => dimsEqual(dim, shapes[0][axis])));
}
