/**
 * Transpose chains: `Transpose(Transpose(x, p1), p2)` becomes one
 * `Transpose(x, p)` with `p[i] = p1[p2[i]]` (or nothing, when `p` is the
 * identity), and identity Transposes go. The inner Transpose may have other
 * readers: it stays for them. A Transpose of a constant is left to
 * fold-constants.
 */
import type { Graph, Node } from '@ladon/ir';
import { insertOp } from '../graph-edit.js';
import { capture, op } from '../rewrite/pattern.js';
import { rulePass, type RewriteRule } from '../rewrite/rewriter.js';

/** The permutation a Transpose node applies to an input of `rank` (absent `perm`: reversed axes). */
export function permutationOf(node: Node, rank: number): number[] {
  const perm = node.attrs.perm as readonly number[] | undefined;
  return perm ? [...perm] : Array.from({ length: rank }, (_, axis) => rank - 1 - axis);
}

/** True for `[0, 1, ..., n-1]`. */
export function isIdentityPermutation(perm: readonly number[]): boolean {
  return perm.every((axis, index) => axis === index);
}

function rankOf(graph: Graph, value: string): number {
  return graph.typeOf(value).shape.length;
}

/** Transpose(Transpose(x, inner), outer) -> Transpose(x, inner∘outer), or x when that is the identity. */
export const composeTransposes: RewriteRule = {
  name: 'compose-transposes',
  pattern: op('Transpose', [op('Transpose', [capture('x')], { as: 'inner' })]),
  handlesEscapes: true,
  rewrite(match, graph) {
    const x = match.values.get('x')!;
    const rank = rankOf(graph, x);
    const inner = permutationOf(match.nodes.get('inner')!, rank);
    const composed = permutationOf(match.root, rank).map((axis) => inner[axis]);
    if (isIdentityPermutation(composed)) return x;
    return insertOp(graph, 'Transpose', [x], { perm: composed }, { before: match.root });
  },
};

/** Transpose by the identity permutation -> its input. */
export const removeIdentityTranspose: RewriteRule = {
  name: 'identity-transpose',
  pattern: op('Transpose', [capture('x')]),
  check: (match, graph) => isIdentityPermutation(permutationOf(match.root, rankOf(graph, match.values.get('x')!))),
  rewrite: (match) => match.values.get('x'),
};

/** The rules of {@link composeTransposesPass}. */
export const composeTransposesRules: readonly RewriteRule[] = [composeTransposes, removeIdentityTranspose];

/** Composes chained Transposes into one and removes identity Transposes. Counters: `compose-transposes`, `identity-transpose`. */
export const composeTransposesPass = rulePass(
  'compose-transposes',
  'Transpose of a Transpose becomes one Transpose; identity Transposes go',
  composeTransposesRules,
);
