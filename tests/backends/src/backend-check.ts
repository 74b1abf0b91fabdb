/**
 * The op check on a compiled backend: compiles a graph once for wasm or
 * WebGPU, runs it on every feed set given and expects each output to match
 * the reference interpreter — shape included, f32 within an absolute
 * tolerance, integers and bools exactly.
 */
import { compileProgram } from '@ladon/compiler';
import { compareTensors, interpret, type Graph, type Tensor } from '@ladon/ir';
import { Session } from '@ladon/runtime';
import { expect } from 'vitest';

/** A compiled backend. */
export type CompiledBackend = 'wasm' | 'webgpu';

/** Compiles `graph` for `backend` (no passes: each op reaches its own lowering) and checks every run against the reference. */
export async function checkRuns(graph: Graph, backend: CompiledBackend, runs: readonly Readonly<Record<string, Tensor>>[], atol = 1e-5): Promise<void> {
  const program = await compileProgram(graph, { target: backend === 'wasm' ? 'wasm' : 'wgsl', passes: [] });
  const session = await Session.create(program, { backend });
  try {
    for (const feeds of runs) {
      const expected = interpret(graph, feeds);
      const got = await session.run(feeds);
      const shapes = Object.entries(feeds).map(([name, value]) => `${name}[${value.shape.join(',')}]`).join(' ');
      for (const name of graph.outputs) {
        expect(got[name]?.shape, `${graph.name} ${name} shape (${shapes})`).toEqual(expected[name].shape);
        const comparison = compareTensors(got[name], expected[name], { rtol: 0, atol });
        expect(comparison.problem ?? '', `${graph.name} ${name} on ${backend} (${shapes})`).toBe('');
      }
    }
  } finally {
    session.dispose();
  }
}
