/**
 * Compiles a graph for one backend, loads it in a Session and times the
 * first and the warm runs: the numbers every example reports.
 */
import { compileProgram } from '@ladon/compiler';
import type { Graph, Tensor } from '@ladon/ir';
import { Session } from '@ladon/runtime';
import { timed, warmMedian } from './timing.js';

/** A backend that runs compiled programs. */
export type CompiledBackend = 'wasm' | 'webgpu';

/** What {@link compileAndRun} measured; the caller disposes `session`. */
export interface BackendRun {
  readonly backend: CompiledBackend;
  readonly session: Session;
  /** compileProgram: the graph passes and the lowering (binaryen for wasm). */
  readonly compileMs: number;
  /** Session.create from the compiled Program. */
  readonly loadMs: number;
  readonly firstRunMs: number;
  readonly warmMedianMs: number;
  readonly warmRuns: number;
  /** The outputs of the first run. */
  readonly outputs: Record<string, Tensor>;
}

/** Compiles `graph` for `backend`, runs it on `feeds` once, then `warmRuns` more times. */
export async function compileAndRun(graph: Graph, backend: CompiledBackend, feeds: Record<string, Tensor>, warmRuns: number): Promise<BackendRun> {
  const target = backend === 'wasm' ? 'wasm' : 'wgsl';
  const program = await timed(() => compileProgram(graph, { target }));
  const session = await timed(() => Session.create(program.value, { backend }));
  const first = await timed(() => session.value.run(feeds));
  const warmMedianMs = await warmMedian(() => session.value.run(feeds), warmRuns);
  return {
    backend,
    session: session.value,
    compileMs: program.ms,
    loadMs: session.ms,
    firstRunMs: first.ms,
    warmMedianMs,
    warmRuns,
    outputs: first.value,
  };
}
