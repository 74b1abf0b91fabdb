/**
 * Shape folding, driven by the symbolic contents (`Value.known`) that shape
 * inference computes for small integer tensors. PyTorch exports build
 * Reshape/Expand targets at run time (Shape -> Gather -> Unsqueeze ->
 * Concat); this pass turns what is statically known into constants:
 *
 * - a value whose contents are all numbers becomes an initializer;
 * - a Reshape target known symbolically (`[batch, seq, 4, 16]`) becomes a
 *   constant using 0 (copy the input dim) and at most one -1;
 * - an Expand target known symbolically becomes a constant using 1 where
 *   the input already has that dim;
 * - no-ops go (see no-op-removal.ts), then dead nodes.
 */
import {
  constantValues,
  dimsEqual,
  inferNode,
  isStaticShape,
  LadonError,
  tensor,
  typesCompatible,
  verifyGraph,
  type Dim,
  type Graph,
  type Node,
  type Tensor,
} from '@ladon/ir';
import { factsOf, insertConstant, removeDeadNodes } from '../graph-edit.js';
import type { Pass, PassContext } from '../pass.js';
import { numberAttribute } from './attributes.js';
import { replaceNodeWithInitializers } from './initializers.js';
import { removeNoOps } from './no-op-removal.js';

/** The constant a value with all-numeric known contents stands for, if its type is a static rank-0/1 numeric tensor. */
function knownAsTensor(graph: Graph, name: string): Tensor | undefined {
  const value = graph.values.get(name);
  const known = value?.known;
  if (!value || !known || !known.every((dim): dim is number => typeof dim === 'number')) return undefined;
  const { dtype, shape } = value.type;
  if (dtype === 'bool' || shape.length > 1 || !isStaticShape(shape)) return undefined;
  if ((shape.length === 0 ? 1 : shape[0]) !== known.length) return undefined;
  return tensor(dtype, shape, known);
}

/**
 * Replaces known-valued nodes by initializers, last node first, so only the
 * values something still reads are materialised (a folded Concat leaves the
 * Unsqueezes feeding it unread: they are dead, not converted).
 */
function knownValuesToInitializers(graph: Graph, ctx: PassContext): void {
  const readers = graph.consumers();
  const gone = new Set<Node>();
  const isRead = (value: string): boolean => graph.outputs.includes(value) || (readers.get(value) ?? []).some((reader) => !gone.has(reader));
  for (const node of [...graph.nodes].reverse()) {
    if (!node.outputs.some((output) => output && isRead(output))) {
      gone.add(node);
      continue;
    }
    const [output, ...rest] = node.outputs;
    const value = node.op === 'Constant' || !output || rest.some(Boolean) ? undefined : knownAsTensor(graph, output);
    if (!value) continue;
    replaceNodeWithInitializers(graph, node, [value]);
    gone.add(node);
    ctx.count('known-value-to-initializer');
  }
}

/**
 * A numeric Reshape target for the symbolic one: numbers stay, a symbol
 * equal to the input dim on the same axis becomes 0, one other symbol
 * becomes -1. Undefined when more than one entry would need -1.
 */
export function numericReshapeTarget(inputShape: readonly Dim[], target: readonly Dim[]): number[] | undefined {
  let inferred = target.includes(-1);
  const out: number[] = [];
  for (let axis = 0; axis < target.length; axis++) {
    const dim = target[axis];
    if (typeof dim === 'number') out.push(dim);
    else if (axis < inputShape.length && dimsEqual(dim, inputShape[axis])) out.push(0);
    else if (!inferred) {
      inferred = true;
      out.push(-1);
    } else return undefined;
  }
  return out;
}

/**
 * A numeric Expand target for the symbolic one: numbers stay, a symbol
 * equal to the input's dim (right-aligned) becomes 1. Undefined otherwise.
 */
export function numericExpandTarget(inputShape: readonly Dim[], target: readonly Dim[]): number[] | undefined {
  const out: number[] = [];
  for (let position = 0; position < target.length; position++) {
    const dim = target[position];
    const inputAxis = inputShape.length - target.length + position;
    if (typeof dim === 'number') out.push(dim);
    else if (inputAxis >= 0 && dimsEqual(dim, inputShape[inputAxis])) out.push(1);
    else return undefined;
  }
  return out;
}

/** True when inference on `node` as it stands now agrees with its output's declared type. */
function infersDeclaredType(graph: Graph, node: Node): boolean {
  const constants = constantValues(graph);
  try {
    const inferred = inferNode(node, node.inputs.map((input) => factsOf(graph, input, constants))).types[0];
    return inferred !== undefined && typesCompatible(graph.typeOf(node.outputs[0]), inferred);
  } catch (error) {
    if (error instanceof LadonError) return false;
    throw error;
  }
}

/** Points input 1 of `node` at a new i64 constant `target` (and sets `attrs`) if the node still infers a compatible type; else reverts. */
function replaceTarget(graph: Graph, node: Node, target: readonly number[], attrs: Node['attrs']): boolean {
  const previous = { input: node.inputs[1], attrs: node.attrs };
  const constant = insertConstant(graph, tensor('i64', [target.length], target), `${node.op.toLowerCase()}_target`);
  node.inputs[1] = constant;
  node.attrs = attrs;
  if (infersDeclaredType(graph, node)) return true;
  node.inputs[1] = previous.input;
  node.attrs = previous.attrs;
  graph.initializers.delete(constant);
  graph.values.delete(constant);
  return false;
}

/** The symbolic target of a Reshape/Expand `node` when it is known but not a constant. */
function symbolicTarget(graph: Graph, node: Node, constants: ReadonlyMap<string, Tensor>): readonly Dim[] | undefined {
  const target = node.inputs[1];
  if (!target || constants.has(target)) return undefined;
  return graph.values.get(target)?.known;
}

function constantReshapeTargets(graph: Graph, ctx: PassContext): void {
  const constants = constantValues(graph);
  for (const node of graph.nodes) {
    if (node.op !== 'Reshape' || !node.outputs[0]) continue;
    const known = symbolicTarget(graph, node, constants);
    const allowZero = numberAttribute(node, 'allowzero') !== 0;
    if (!known || (allowZero && known.includes(0))) continue;
    const target = numericReshapeTarget(graph.typeOf(node.inputs[0]).shape, known);
    const attrs = allowZero ? { ...node.attrs, allowzero: 0 } : node.attrs;
    if (target && replaceTarget(graph, node, target, attrs)) ctx.count('reshape-target');
  }
}

function constantExpandTargets(graph: Graph, ctx: PassContext): void {
  const constants = constantValues(graph);
  for (const node of graph.nodes) {
    if (node.op !== 'Expand' || !node.outputs[0]) continue;
    const known = symbolicTarget(graph, node, constants);
    const target = known && numericExpandTarget(graph.typeOf(node.inputs[0]).shape, known);
    if (target && replaceTarget(graph, node, target, node.attrs)) ctx.count('expand-target');
  }
}

/**
 * Folds statically known shape computations into constants and removes shape no-ops. Counters:
 * `known-value-to-initializer`, `reshape-target`, `expand-target`, and the no-op kinds of `NO_OP_COUNTERS` (no-op-removal.ts).
 */
export const foldShapesPass: Pass = {
  name: 'fold-shapes',
  description: 'shape values known statically become constants; Reshape/Expand targets become constant; shape no-ops go',
  run(graph, ctx) {
    verifyGraph(graph);
    knownValuesToInitializers(graph, ctx);
    constantReshapeTargets(graph, ctx);
    constantExpandTargets(graph, ctx);
    removeNoOps(graph, ctx);
    removeDeadNodes(graph);
  },
};
