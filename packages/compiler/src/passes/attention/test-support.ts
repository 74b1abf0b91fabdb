/**
 * Test support for fusion tests (random tensors come from @ladon/ir/testing,
 * op counts from @ladon/ir): the three-way check — the fusion fired, the
 * numbers match the unfused graph on the reference interpreter, negative
 * cases stay unfused and correct.
 */
import { interpret, type Graph, type Tensor } from '@ladon/ir';
import { expect } from 'vitest';
import { runPipeline, type Pass, type PassReport } from '../../pass.js';

/** Largest absolute difference between two tensors of the same shape (Infinity on shape mismatch). */
export function maxAbsDiff(a: Tensor, b: Tensor): number {
  if (a.shape.join() !== b.shape.join()) return Infinity;
  let max = 0;
  for (let i = 0; i < a.data.length; i++) {
    const x = Number(a.data[i]);
    const y = Number(b.data[i]);
    if (x === y) continue;
    max = Math.max(max, Math.abs(x - y));
  }
  return max;
}

/**
 * Runs `passes` on a copy of `graph` (verifying after each), checks every
 * output against the unfused graph on each feed set within `tolerance`, and
 * returns the compiled graph and the pass reports.
 */
export function compileAndCompare(
  graph: Graph,
  passes: readonly Pass[],
  feedSets: readonly Record<string, Tensor>[],
  tolerance = 1e-5,
): { compiled: Graph; reports: PassReport[] } {
  const compiled = graph.clone();
  const reports = runPipeline(compiled, passes, { verifyEach: true });
  for (const feeds of feedSets) {
    const expected = interpret(graph, feeds);
    const actual = interpret(compiled, feeds);
    for (const name of graph.outputs) expect(maxAbsDiff(actual[name], expected[name]), `output ${name}`).toBeLessThanOrEqual(tolerance);
  }
  return { compiled, reports };
}
