/**
 * Removing nodes that provably return their input: Identity, Cast to the
 * same dtype, Reshape to the same shape, Transpose by the identity
 * permutation, a Slice that takes every sliced axis whole, and a Squeeze
 * that undoes the Unsqueeze before it. Readers are redirected to the input;
 * the nodes die (removeDeadNodes).
 */
import { constantValues, dimsEqual, shapesEqual, type Dim, type Graph, type Node, type Tensor } from '@ladon/ir';
import { factsOf } from '../graph-edit.js';
import type { PassContext } from '../pass.js';
import { attributeOf } from './attributes.js';
import { bypassNode } from './bypass.js';

/** Slice bounds at or beyond this magnitude mean "to the end" (INT32_MAX, INT64_MAX, ...), as in the IR's Slice. */
const HUGE_INDEX = 2 ** 31 - 1;

/** The counter each kind of removed no-op is reported under. */
export const NO_OP_COUNTERS: Readonly<Record<string, string>> = {
  Identity: 'identity',
  Cast: 'cast-same-dtype',
  Reshape: 'reshape-same-shape',
  Transpose: 'transpose-identity',
  Slice: 'slice-whole-axis',
  Squeeze: 'unsqueeze-squeeze',
};

type Constants = ReadonlyMap<string, Tensor>;

function knownOf(graph: Graph, name: string, constants: Constants): readonly Dim[] | undefined {
  return name ? factsOf(graph, name, constants)?.known : undefined;
}

function knownNumbersOf(graph: Graph, name: string, constants: Constants): readonly number[] | undefined {
  const known = knownOf(graph, name, constants);
  return known?.every((dim): dim is number => typeof dim === 'number') ? known : undefined;
}

/** True when `start:end` with step `step` provably covers all of an axis of size `dim`. */
export function takesWholeAxis(dim: Dim, start: Dim, end: Dim, step: Dim): boolean {
  if (step !== 1 || typeof start !== 'number') return false;
  const fromZero = start === 0 || start <= -HUGE_INDEX || (typeof dim === 'number' && start <= -dim);
  const toEnd = typeof end === 'number' ? end >= HUGE_INDEX || (typeof dim === 'number' && end >= dim) : dimsEqual(end, dim);
  return fromZero && toEnd;
}

function isWholeSlice(graph: Graph, node: Node, constants: Constants): boolean {
  const [data, startsName, endsName, axesName, stepsName] = node.inputs;
  const starts = knownOf(graph, startsName, constants);
  const ends = knownOf(graph, endsName, constants);
  if (!starts || !ends || starts.length !== ends.length) return false;
  const axes = axesName ? knownOf(graph, axesName, constants) : starts.map((_, index) => index);
  const steps = stepsName ? knownOf(graph, stepsName, constants) : starts.map(() => 1);
  if (!axes || !steps || axes.length !== starts.length || steps.length !== starts.length) return false;
  const shape = graph.typeOf(data).shape;
  return axes.every((axis, index) => {
    if (typeof axis !== 'number' || axis < -shape.length || axis >= shape.length) return false;
    return takesWholeAxis(shape[axis < 0 ? axis + shape.length : axis], starts[index], ends[index], steps[index]);
  });
}

function isIdentityTranspose(graph: Graph, node: Node): boolean {
  const rank = graph.typeOf(node.inputs[0]).shape.length;
  const perm = attributeOf(node, 'perm') as readonly number[] | undefined;
  return perm ? perm.every((axis, index) => axis === index) : rank <= 1;
}

/** The sorted, normalised axes of a Squeeze/Unsqueeze node (input or attribute) against `rank`. */
function axesOf(graph: Graph, node: Node, rank: number, constants: Constants): number[] | undefined {
  const attr = attributeOf(node, 'axes');
  const axes = node.inputs[1] ? knownNumbersOf(graph, node.inputs[1], constants) : Array.isArray(attr) ? (attr as readonly number[]) : undefined;
  return axes?.map((axis) => (axis < 0 ? axis + rank : axis)).sort((a, b) => a - b);
}

/** The Unsqueeze input when `squeeze` removes exactly the axes that Unsqueeze inserted. */
function unsqueezeInput(graph: Graph, squeeze: Node, constants: Constants): string | undefined {
  const unsqueeze = graph.producers().get(squeeze.inputs[0]);
  if (!unsqueeze || unsqueeze.op !== 'Unsqueeze') return undefined;
  const rank = graph.typeOf(squeeze.inputs[0]).shape.length;
  const removed = axesOf(graph, squeeze, rank, constants);
  const inserted = axesOf(graph, unsqueeze, rank, constants);
  if (!removed || !inserted || removed.length !== inserted.length) return undefined;
  return removed.every((axis, index) => axis === inserted[index]) ? unsqueeze.inputs[0] : undefined;
}

/** What `node` can be replaced by when it is a no-op, else undefined. */
function noOpReplacement(graph: Graph, node: Node, constants: Constants): string | undefined {
  const [input] = node.inputs;
  const inputType = graph.typeOf(input);
  const outputType = graph.typeOf(node.outputs[0]);
  switch (node.op) {
    case 'Identity':
      return input;
    case 'Cast':
      return inputType.dtype === outputType.dtype ? input : undefined;
    case 'Reshape':
      return shapesEqual(inputType.shape, outputType.shape) ? input : undefined;
    case 'Transpose':
      return isIdentityTranspose(graph, node) ? input : undefined;
    case 'Slice':
      return isWholeSlice(graph, node, constants) ? input : undefined;
    case 'Squeeze':
      return unsqueezeInput(graph, node, constants);
    default:
      return undefined;
  }
}

/** Bypasses every no-op node (counted under {@link NO_OP_COUNTERS}); the dead nodes are left for removeDeadNodes. */
export function removeNoOps(graph: Graph, ctx: PassContext): void {
  const constants = constantValues(graph);
  for (const node of [...graph.nodes]) {
    if (!node.outputs[0] || !(node.op in NO_OP_COUNTERS)) continue;
    const replacement = noOpReplacement(graph, node, constants);
    if (replacement && bypassNode(graph, node, replacement)) ctx.count(NO_OP_COUNTERS[node.op]);
  }
}
