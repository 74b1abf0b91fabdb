/**
 * Two-operand Einsum as MatMul. An equation qualifies when every label
 * shared by both operands is either a batch label (kept in the output) or
 * the single contracted label, and each operand has at most one free label
 * (kept in the output): `bhqd,bhkd->bhqk`, `bhqk,bhkd->bhqd`, `bid,bjd->bij`,
 * `ij,jk->ik`. The operands are transposed to `[batch..., M, K]` and
 * `[batch..., K, N]` (a missing free label becomes a size-1 axis, squeezed
 * afterwards) and the product is transposed to the output order if needed.
 * Anything else (ellipsis, diagonals, several contracted labels, three
 * operands) stays an Einsum.
 */
import { tensor, type Graph, type Node } from '@ladon/ir';
import { insertConstant, insertOp } from '../graph-edit.js';
import { capture, op } from '../rewrite/pattern.js';
import { rulePass, type RewriteRule } from '../rewrite/rewriter.js';
import { isIdentityPermutation } from './compose-transposes.js';

/** How a qualifying equation maps onto MatMul. */
export interface EinsumMatMulPlan {
  readonly left: readonly string[];
  readonly right: readonly string[];
  readonly output: readonly string[];
  /** Labels of both operands kept in the output, in output order. */
  readonly batch: readonly string[];
  readonly contracted: string;
  /** The left operand's own label (the MatMul rows), if any. */
  readonly leftFree?: string;
  /** The right operand's own label (the MatMul columns), if any. */
  readonly rightFree?: string;
}

const hasRepeats = (labels: readonly string[]): boolean => new Set(labels).size !== labels.length;

/** The MatMul form of a two-operand equation, or undefined when it does not qualify. */
export function planEinsumAsMatMul(equation: string): EinsumMatMulPlan | undefined {
  const parts = /^([A-Za-z]+),([A-Za-z]+)->([A-Za-z]*)$/.exec(equation.replace(/\s+/g, ''));
  if (!parts) return undefined;
  const [left, right, output] = [parts[1], parts[2], parts[3]].map((term) => [...term]);
  if (hasRepeats(left) || hasRepeats(right) || hasRepeats(output)) return undefined;
  if (output.some((label) => !left.includes(label) && !right.includes(label))) return undefined;
  const contracted = left.filter((label) => right.includes(label) && !output.includes(label));
  const leftFree = left.filter((label) => !right.includes(label));
  const rightFree = right.filter((label) => !left.includes(label));
  if (contracted.length !== 1 || leftFree.length > 1 || rightFree.length > 1) return undefined;
  if (![...leftFree, ...rightFree].every((label) => output.includes(label))) return undefined;
  const batch = output.filter((label) => left.includes(label) && right.includes(label));
  return { left, right, output, batch, contracted: contracted[0], leftFree: leftFree[0], rightFree: rightFree[0] };
}

/** `value` with its axes (labelled `labels`) reordered to `wanted` (no node when already in order). */
function arrange(graph: Graph, before: Node, value: string, labels: readonly string[], wanted: readonly string[]): string {
  const perm = wanted.map((label) => labels.indexOf(label));
  return isIdentityPermutation(perm) ? value : insertOp(graph, 'Transpose', [value], { perm }, { before });
}

/** Inserts a size-1 axis (Unsqueeze, or Squeeze to remove) at `axes`. */
function reshapeAxes(graph: Graph, before: Node, opName: 'Unsqueeze' | 'Squeeze', value: string, axes: readonly number[]): string {
  const axesName = insertConstant(graph, tensor('i64', [axes.length], axes), 'axes');
  return insertOp(graph, opName, [value, axesName], {}, { before });
}

/** Builds the MatMul form of `einsum` following `plan`; returns the value equal to the Einsum's output. */
function buildMatMul(graph: Graph, einsum: Node, plan: EinsumMatMulPlan): string {
  const { batch, contracted, leftFree, rightFree } = plan;
  let left = arrange(graph, einsum, einsum.inputs[0], plan.left, [...batch, ...(leftFree ? [leftFree] : []), contracted]);
  let right = arrange(graph, einsum, einsum.inputs[1], plan.right, [...batch, contracted, ...(rightFree ? [rightFree] : [])]);
  if (!leftFree) left = reshapeAxes(graph, einsum, 'Unsqueeze', left, [-2]);
  if (!rightFree) right = reshapeAxes(graph, einsum, 'Unsqueeze', right, [-1]);
  let product = insertOp(graph, 'MatMul', [left, right], {}, { before: einsum });
  const squeezed = [...(leftFree ? [] : [-2]), ...(rightFree ? [] : [-1])];
  if (squeezed.length > 0) product = reshapeAxes(graph, einsum, 'Squeeze', product, squeezed);
  const produced = [...batch, ...(leftFree ? [leftFree] : []), ...(rightFree ? [rightFree] : [])];
  return arrange(graph, einsum, product, produced, plan.output);
}

/** A qualifying two-operand Einsum -> MatMul with Transposes (and Unsqueeze/Squeeze for a missing free label). */
export const einsumToMatMul: RewriteRule = {
  name: 'einsum-to-matmul',
  pattern: op('Einsum', [capture('left'), capture('right')]),
  rewrite(match, graph) {
    const plan = planEinsumAsMatMul(String(match.root.attrs.equation));
    if (!plan || graph.typeOf(match.values.get('left')!).dtype === 'bool') return undefined;
    return buildMatMul(graph, match.root, plan);
  },
};

/** Rewrites batched-matrix-product Einsums as MatMul. Counter: `einsum-to-matmul`. */
export const einsumToMatMulPass = rulePass('einsum-to-matmul', 'two-operand Einsum with one contracted label becomes MatMul', [einsumToMatMul]);
