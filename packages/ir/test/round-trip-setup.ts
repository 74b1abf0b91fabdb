/**
 * Vitest setup: every graph any test builds with GraphBuilder is printed,
 * parsed back and printed again; the two texts must be identical. This is
 * how "the printer/parser round-trip holds on every graph the tests build"
 * is enforced rather than sampled.
 */
import { GraphBuilder } from '../src/builder.js';
import { parseGraph } from '../src/text/parse.js';
import { printGraph } from '../src/text/print.js';

const build = GraphBuilder.prototype.build;

GraphBuilder.prototype.build = function buildAndRoundTrip(this: GraphBuilder) {
  const graph = build.call(this);
  const text = printGraph(graph, { nodeNames: true });
  const again = printGraph(parseGraph(text), { nodeNames: true });
  if (again !== text) {
    throw new Error(`printer/parser round-trip changed graph ${graph.name}:\n--- printed\n${text}\n--- reparsed\n${again}`);
  }
  return graph;
};
