/**
 * The wasm op check: runs a graph on the wasm backend (plain SIMD, and
 * relaxed SIMD when the host has it) on seeded random feeds for each
 * binding of its symbols (the shared kit of @ladon/ir/testing), and
 * compares every output with the reference interpreter.
 */
import { compileProgram, type Pass } from '@ladon/compiler';
import { compareTensors, interpret, type Graph, type Tensor, type Tolerance } from '@ladon/ir';
import { randomFeeds, seededRandom, type FillSpec } from '@ladon/ir/testing';
import { relaxedSimdSupported, WasmSession } from '@ladon/runtime';
import { expect } from 'vitest';

/** Inputs are uniform in [-2, 2) (integers in [-2, 2]) unless a fill says otherwise. */
export const DEFAULT_FILL: FillSpec = { low: -2, high: 2 };

/** Options of {@link checkOnWasm}. */
export interface CheckOptions {
  /** Symbol bindings, one per run (e.g. two sizes of `seq`). */
  readonly sizes?: readonly Readonly<Record<string, number>>[];
  /** Fill per input name. */
  readonly fills?: Readonly<Record<string, FillSpec>>;
  /** Feeds to use instead of random ones (per run), merged over the random feeds. */
  readonly feeds?: readonly Readonly<Record<string, Tensor>>[];
  readonly tolerance?: Tolerance;
  /** Compiler passes (default: none, so the graph's own ops are lowered). */
  readonly passes?: readonly Pass[];
  readonly seed?: number;
}

/**
 * Compiles `graph` for wasm, runs it on the plain and (when available)
 * relaxed module for every size, and expects each output to match the
 * reference interpreter within the tolerance (default 1e-5 absolute).
 */
export async function checkOnWasm(graph: Graph, options: CheckOptions = {}): Promise<void> {
  const program = await compileProgram(graph, { target: 'wasm', passes: options.passes ?? [] });
  const next = seededRandom(options.seed ?? 1234);
  const sizes = options.sizes ?? [{}];
  const fills = Object.fromEntries(graph.inputs.map((name) => [name, { ...DEFAULT_FILL, ...options.fills?.[name] }]));
  const runs = sizes.map((bindings, run) => ({ ...randomFeeds(graph, bindings, next, fills), ...(options.feeds?.[run] ?? {}) }));
  const tolerance = options.tolerance ?? { rtol: 0, atol: 1e-5 };
  for (const relaxed of relaxedSimdSupported() ? [false, true] : [false]) {
    const session = await WasmSession.create(program, { relaxedSimd: relaxed });
    for (const feeds of runs) {
      const actual = await session.run(feeds);
      const expected = interpret(graph, feeds);
      for (const name of graph.outputs) {
        const shapes = Object.entries(feeds).map(([input, value]) => `${input}[${value.shape.join(',')}]`).join(' ');
        const result = compareTensors(actual[name], expected[name], tolerance);
        expect(result.problem ?? '', `${graph.name} ${name} (${shapes}${relaxed ? ', relaxed' : ''})`).toBe('');
      }
    }
  }
}
