/**
 * The WebGPU op check: compiles a graph for WGSL (no passes, so each op
 * reaches its own lowering), runs it on the WebGPU session for each binding
 * of its symbols on seeded random feeds (the shared kit of
 * @ladon/ir/testing, filled as {@link checkOnWasm} fills them), and
 * compares every output with the reference interpreter. Callers guard with
 * `describeGpu`.
 */
import { compileProgram } from '@ladon/compiler';
import { interpret, type Graph, type Tolerance } from '@ladon/ir';
import { randomFeeds, seededRandom } from '@ladon/ir/testing';
import { Session } from '@ladon/runtime';
import { expectOutputs } from './gpu.js';
import { DEFAULT_FILL, type CheckOptions } from './wasm-check.js';

/** Compiles `graph` for WGSL and expects every output to match the reference for every size (default 1e-4 relative, 1e-5 absolute). */
export async function checkOnWebGpu(graph: Graph, options: Omit<CheckOptions, 'passes'> = {}): Promise<void> {
  const program = await compileProgram(graph, { target: 'wgsl', passes: [] });
  const session = await Session.create(program, { backend: 'webgpu' });
  const next = seededRandom(options.seed ?? 1234);
  const fills = Object.fromEntries(graph.inputs.map((name) => [name, { ...DEFAULT_FILL, ...options.fills?.[name] }]));
  const tolerance: Tolerance = options.tolerance ?? { rtol: 1e-4, atol: 1e-5 };
  try {
    for (const [run, bindings] of (options.sizes ?? [{}]).entries()) {
      const feeds = { ...randomFeeds(graph, bindings, next, fills), ...(options.feeds?.[run] ?? {}) };
      expectOutputs(await session.run(feeds), interpret(graph, feeds), (dtype) => (dtype === 'f32' || dtype === 'f16' ? tolerance : { rtol: 0, atol: 0 }));
    }
  } finally {
    session.dispose();
  }
}
