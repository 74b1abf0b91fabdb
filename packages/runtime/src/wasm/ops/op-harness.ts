/**
 * Test helpers for the wasm op kernels: seeded random feeds for a graph's
 * inputs under a binding of its symbols, and a check that runs the graph
 * on the wasm backend (plain SIMD, and relaxed SIMD when the host has it)
 * and compares every output with the reference interpreter.
 */
import { compileProgram, type Pass } from '@ladon/compiler';
import { compareTensors, evaluateDim, interpret, tensor, type DType, type Graph, type Tensor, type Tolerance } from '@ladon/ir';
import { expect } from 'vitest';
import { relaxedSimdSupported } from '../features.js';
import { WasmSession } from '../wasm-session.js';
import { seededRandom } from '@ladon/ir';

/** The shared seeded PRNG (mulberry32) of @ladon/ir. */
export { seededRandom };

/** How to fill one input: value range for numbers, or the chance of `true` for bools. */
export interface FillSpec {
  readonly low?: number;
  readonly high?: number;
  /** Integers in [low, high] instead of floats. */
  readonly integers?: boolean;
  readonly trueChance?: number;
}

/** A random tensor of `dtype` and `shape`. */
export function randomTensor(next: () => number, dtype: DType, shape: readonly number[], fill: FillSpec = {}): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  if (dtype === 'bool') return tensor('bool', shape, Array.from({ length: size }, () => next() < (fill.trueChance ?? 0.5)));
  const low = fill.low ?? -2;
  const high = fill.high ?? 2;
  const integers = fill.integers ?? dtype !== 'f32';
  const values = Array.from({ length: size }, () => (integers ? Math.floor(low + next() * (high - low + 1)) : low + next() * (high - low)));
  return tensor(dtype, shape, values);
}

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

/** The feeds of one run: every input random under `bindings`, then `overrides`. */
export function randomFeeds(graph: Graph, bindings: Readonly<Record<string, number>>, next: () => number, fills: CheckOptions['fills'] = {}): Record<string, Tensor> {
  const map = new Map(Object.entries(bindings));
  const feeds: Record<string, Tensor> = {};
  for (const name of graph.inputs) {
    const { dtype, shape } = graph.typeOf(name);
    const concrete = shape.map((dim) => (typeof dim === 'number' ? dim : (evaluateDim(dim, map) ?? Number.NaN)));
    if (concrete.some(Number.isNaN)) throw new Error(`input ${name}: bind every symbol of [${shape.join(', ')}]`);
    feeds[name] = randomTensor(next, dtype, concrete, fills[name]);
  }
  return feeds;
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
  const runs = sizes.map((bindings, run) => ({ ...randomFeeds(graph, bindings, next, options.fills), ...(options.feeds?.[run] ?? {}) }));
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
