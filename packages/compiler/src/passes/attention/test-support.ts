/**
 * Test support for fusion tests: seeded random tensors, op counting, and the
 * three-way check (the fusion fired, numbers match the unfused graph on the
 * reference interpreter, negative cases stay unfused and correct).
 */
import { interpret, tensor, type DType, type Graph, type Tensor } from '@ladon/ir';
import { expect } from 'vitest';
import { runPipeline, type Pass, type PassReport } from '../../pass.js';
import { seededRandom } from '@ladon/ir';

/** The shared seeded PRNG (mulberry32) of @ladon/ir. */
export { seededRandom };

/** A tensor of uniform values in [-1, 1) (or ints in [0, 2) for integer dtypes). */
export function randomTensor(random: () => number, dtype: DType, shape: readonly number[]): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  if (dtype === 'i64' || dtype === 'i32' || dtype === 'bool') return tensor(dtype, shape, Array.from({ length: size }, () => (random() < 0.8 ? 1 : 0)));
  return tensor(dtype, shape, Array.from({ length: size }, () => random() * 2 - 1));
}

/** How many nodes of each op the graph has. */
export function opCounts(graph: Graph): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const node of graph.nodes) counts[node.op] = (counts[node.op] ?? 0) + 1;
  return counts;
}

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
