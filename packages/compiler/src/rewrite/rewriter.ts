/**
 * Rewrite rules are named data: `{ name, pattern, check?, rewrite }`. The
 * rewriter sweeps the graph, matches each rule's pattern at every node, and
 * applies the rewrite. A rule declines by returning `undefined`. A match
 * whose interior values (outputs of matched nodes other than the root) are
 * read outside the match is not rewritten — unless the rule says it handles
 * such escapes: it may then replace them (returning a map), and an escaped
 * value it does not replace keeps its producer for its other readers.
 * When a rule declines one binding of a pattern (commutative operands,
 * `oneOf`), the other bindings are tried.
 */
import { constantValues, formatType, LadonError, shapesEqual, type Graph, type Node } from '@ladon/ir';
import { removeDeadNodes, replaceAllUses } from '../graph-edit.js';
import type { Pass, PassContext } from '../pass.js';
import { matchesAt, type Match, type MatchIndex } from './match.js';
import type { OpPattern } from './pattern.js';

/** An interior value read outside the match. */
export interface Escape {
  readonly node: Node;
  readonly value: string;
}

/** A successful match plus what the rule may need to decide. */
export interface RuleMatch extends Match {
  /** Interior values read outside the match (only non-empty for rules with `handlesEscapes`). */
  readonly escapes: readonly Escape[];
}

/**
 * What a rewrite returns: the value replacing the root's matched output, or
 * a map from old value names to their replacements; `undefined` declines.
 */
export type RewriteResult = string | ReadonlyMap<string, string> | undefined;

/** A named rewrite rule. */
export interface RewriteRule {
  readonly name: string;
  /** Matched at each node's output (`pattern.options.output`, default 0). */
  readonly pattern: OpPattern;
  /** Extra conditions on a match; false declines. */
  readonly check?: (match: RuleMatch, graph: Graph) => boolean;
  /** Builds the replacement (inserting nodes before `match.root`) or declines. */
  readonly rewrite: (match: RuleMatch, graph: Graph) => RewriteResult;
  /** The rule accepts interior values read elsewhere (and may replace them). */
  readonly handlesEscapes?: boolean;
}

/** Applies `rules` until none fires (at most `maxSweeps` sweeps); returns how often each fired. */
export function applyRules(graph: Graph, rules: readonly RewriteRule[], maxSweeps = 8): Map<string, number> {
  const fired = new Map<string, number>();
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let changed = false;
    let index = indexGraph(graph);
    for (const node of [...graph.nodes]) {
      if (!graph.nodes.includes(node)) continue;
      for (const rule of rules) {
        if (tryRule(graph, rule, node, index)) {
          fired.set(rule.name, (fired.get(rule.name) ?? 0) + 1);
          changed = true;
          index = indexGraph(graph);
          break;
        }
      }
    }
    if (!changed) break;
    removeDeadNodes(graph);
  }
  removeDeadNodes(graph);
  return fired;
}

/** A pass that applies `rules` and counts each rule that fired. */
export function rulePass(name: string, description: string, rules: readonly RewriteRule[]): Pass {
  return {
    name,
    description,
    run(graph: Graph, ctx: PassContext) {
      for (const [rule, count] of applyRules(graph, rules)) ctx.count(rule, count);
    },
  };
}

interface SweepIndex extends MatchIndex {
  readonly consumers: ReadonlyMap<string, Node[]>;
}

function indexGraph(graph: Graph): SweepIndex {
  return { graph, producers: graph.producers(), constants: constantValues(graph), consumers: graph.consumers() };
}

const MAX_BINDINGS_TRIED = 16;

function tryRule(graph: Graph, rule: RewriteRule, node: Node, index: SweepIndex): boolean {
  let tried = 0;
  for (const match of matchesAt(index, rule.pattern, node)) {
    if (++tried > MAX_BINDINGS_TRIED) return false;
    const escapes = findEscapes(graph, match, index.consumers);
    if (escapes.length > 0 && !rule.handlesEscapes) continue;
    const ruleMatch: RuleMatch = { ...match, escapes };
    if (rule.check && !rule.check(ruleMatch, graph)) continue;
    const result = rule.rewrite(ruleMatch, graph);
    if (result === undefined) continue;
    const rootValue = node.outputs[rule.pattern.options.output ?? 0];
    const replacements = typeof result === 'string' ? new Map([[rootValue, result]]) : result;
    for (const [from, to] of replacements) checkSameType(graph, rule, from, to);
    for (const [from, to] of replacements) replaceAllUses(graph, from, to);
    return true;
  }
  return false;
}

/** A rewrite must not change a value's type: that is a bug in the rule, reported as such. */
function checkSameType(graph: Graph, rule: RewriteRule, from: string, to: string): void {
  const before = graph.typeOf(from);
  const after = graph.typeOf(to);
  if (before.dtype !== after.dtype || !shapesEqual(before.shape, after.shape)) {
    throw new LadonError('E_INTERNAL', `rule ${rule.name} replaced %${from} (${formatType(before)}) with %${to} of another type (${formatType(after)})`);
  }
}

function findEscapes(graph: Graph, match: Match, consumers: ReadonlyMap<string, Node[]>): Escape[] {
  const escapes: Escape[] = [];
  for (const node of match.matched) {
    if (node === match.root) continue;
    for (const value of node.outputs) {
      if (!value) continue;
      const outside = (consumers.get(value) ?? []).some((consumer) => !match.matched.has(consumer));
      if (outside || graph.outputs.includes(value)) escapes.push({ node, value });
    }
  }
  return escapes;
}
