/**
 * Rewrite rules are named data: `{ name, pattern, check?, rewrite }`. The
 * rewriter sweeps the graph, matches each rule's pattern at every node, and
 * applies the rewrite. A rule declines by returning `undefined`. A match
 * whose interior values (outputs of matched nodes other than the root) are
 * read outside the match is not rewritten — unless the rule says it handles
 * such escapes, in which case it must return a replacement for each one.
 */
import { constantValues, type Graph, type Node } from '@ladon/ir';
import { removeDeadNodes, replaceAllUses } from '../graph-edit.js';
import type { Pass, PassContext } from '../pass.js';
import { matchAt, type Match, type MatchIndex } from './match.js';
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
  /** The rule accepts interior values read elsewhere and replaces them itself. */
  readonly handlesEscapes?: boolean;
}

/** Applies `rules` until none fires (at most `maxSweeps` sweeps); returns how often each fired. */
export function applyRules(graph: Graph, rules: readonly RewriteRule[], maxSweeps = 8): Map<string, number> {
  const fired = new Map<string, number>();
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let changed = false;
    for (const node of [...graph.nodes]) {
      if (!graph.nodes.includes(node)) continue;
      for (const rule of rules) {
        if (tryRule(graph, rule, node)) {
          fired.set(rule.name, (fired.get(rule.name) ?? 0) + 1);
          changed = true;
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

function tryRule(graph: Graph, rule: RewriteRule, node: Node): boolean {
  const index: MatchIndex = { graph, producers: graph.producers(), constants: constantValues(graph) };
  const match = matchAt(index, rule.pattern, node);
  if (!match) return false;
  const escapes = findEscapes(graph, match);
  if (escapes.length > 0 && !rule.handlesEscapes) return false;
  const ruleMatch: RuleMatch = { ...match, escapes };
  if (rule.check && !rule.check(ruleMatch, graph)) return false;
  const result = rule.rewrite(ruleMatch, graph);
  if (result === undefined) return false;
  const rootValue = node.outputs[rule.pattern.options.output ?? 0];
  const replacements = typeof result === 'string' ? new Map([[rootValue, result]]) : result;
  for (const [from, to] of replacements) replaceAllUses(graph, from, to);
  return true;
}

function findEscapes(graph: Graph, match: Match): Escape[] {
  const escapes: Escape[] = [];
  const consumers = graph.consumers();
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
