import { GraphBuilder, interpret, tensor, type Graph } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { insertOp } from '../graph-edit.js';
import { divToMulPass } from '../passes/div-to-mul.js';
import { runPipeline } from '../pass.js';
import { capture, op } from './pattern.js';
import { applyRules, type RewriteRule } from './rewriter.js';

/** (a + b) - b  ->  a, matched on the Sub. */
const cancelAddSub: RewriteRule = {
  name: 'cancel-add-sub',
  pattern: op('Sub', [op('Add', [capture('a'), capture('b')]), capture('b')]),
  rewrite: (match) => match.values.get('a'),
};

function opCounts(graph: Graph): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const node of graph.nodes) counts[node.op] = (counts[node.op] ?? 0) + 1;
  return counts;
}

describe('applyRules', () => {
  it('rewrites a match, binding a capture used twice to the same value, and removes dead nodes', () => {
    const g = new GraphBuilder();
    const a = g.input('a', 'f32', [2]);
    const b = g.input('b', 'f32', [2]);
    g.output(g.op('Sub', [g.op('Add', [b, a]), b]), 'y'); // Add is commutative (its OpDef trait): Add(b, a) matches
    const graph = g.build();
    const fired = applyRules(graph, [cancelAddSub]);
    expect(fired.get('cancel-add-sub')).toBe(1);
    expect(graph.nodes.map((node) => node.op)).toEqual(['Identity']);
    const { y } = interpret(graph, { a: tensor('f32', [2], [1, 2]), b: tensor('f32', [2], [5, 6]) });
    expect(Array.from(y.data as Float32Array)).toEqual([1, 2]);
  });

  it('does not match when the repeated capture sees different values', () => {
    const g = new GraphBuilder();
    const a = g.input('a', 'f32', [2]);
    const b = g.input('b', 'f32', [2]);
    const c = g.input('c', 'f32', [2]);
    g.output(g.op('Sub', [g.op('Add', [a, b]), c]), 'y');
    const graph = g.build();
    expect(applyRules(graph, [cancelAddSub]).size).toBe(0);
  });

  it('leaves a match alone when an interior value is used outside it', () => {
    const g = new GraphBuilder();
    const a = g.input('a', 'f32', [2]);
    const b = g.input('b', 'f32', [2]);
    const sum = g.op('Add', [a, b]);
    g.output(g.op('Sub', [sum, b]), 'y');
    g.output(g.op('Mul', [sum, sum]), 'z');
    const graph = g.build();
    expect(applyRules(graph, [cancelAddSub]).size).toBe(0);
    expect(opCounts(graph)).toEqual({ Add: 1, Sub: 1, Mul: 1 });
  });

  it('lets a rule decline by returning undefined', () => {
    const declining: RewriteRule = { ...cancelAddSub, name: 'declines', rewrite: () => undefined };
    const g = new GraphBuilder();
    const a = g.input('a', 'f32', [2]);
    const b = g.input('b', 'f32', [2]);
    g.output(g.op('Sub', [g.op('Add', [a, b]), b]), 'y');
    const graph = g.build();
    expect(applyRules(graph, [declining]).size).toBe(0);
    expect(graph.nodes).toHaveLength(2);
  });

  it('inserts new nodes before the root so the graph stays ordered', () => {
    const doubleToAdd: RewriteRule = {
      name: 'mul-two-to-add',
      pattern: op('Mul', [capture('x'), capture('x')]),
      rewrite: (match, graph) => insertOp(graph, 'Add', [match.values.get('x')!, match.values.get('x')!], {}, { before: match.root }),
    };
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', [3]);
    const squared = g.op('Mul', [x, x]);
    g.output(g.op('Sub', [squared, x]), 'y');
    const graph = g.build();
    runPipeline(graph, [{ name: 'test', description: 'test', run: (target) => void applyRules(target, [doubleToAdd]) }], { verifyEach: true });
    expect(graph.nodes.map((node) => node.op)).toEqual(['Add', 'Sub']);
  });
});

describe('div-to-mul', () => {
  it('turns division by a constant into multiplication with the same result', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', ['n']);
    g.output(g.op('Div', [x, g.scalar(4)]), 'y');
    const graph = g.build();
    const feeds = { x: tensor('f32', [3], [1, 2, -6]) };
    const before = interpret(graph, feeds).y;
    const [report] = runPipeline(graph, [divToMulPass], { verifyEach: true });
    expect(report.changes).toEqual({ 'div-by-constant-to-mul': 1 });
    expect(graph.nodes.map((node) => node.op)).toEqual(['Mul']);
    expect(interpret(graph, feeds).y.data).toEqual(before.data);
  });
});
