/**
 * Ladon on its WebAssembly backend: `Session.create(graph, { backend:
 * 'wasm', numThreads })` compiles the IR graph (the compiler fuses the
 * attention) and runs it on the calling thread plus numThreads - 1 workers
 * sharing its memory. Failures to prepare are reported, not thrown.
 */
import type { Graph, Program } from '@ladon/ir';
import type * as LadonRuntime from '@ladon/runtime';
import type { Session } from '@ladon/runtime';
import { feedTensors, type CaseData, type FeedData } from './inputs.js';
import { describeFailure, timedRun, type PreparedCase, type Runner, type Unavailable } from './runner.js';

type RuntimeModule = typeof LadonRuntime;

let runtimeModule: Promise<RuntimeModule> | undefined;

/** @ladon/runtime, imported on first use (so time to first result includes loading it). */
export function loadLadonRuntime(): Promise<RuntimeModule> {
  runtimeModule ??= import('@ladon/runtime');
  return runtimeModule;
}

/** A Ladon wasm session and the program it runs. */
export interface LadonSession {
  readonly session: Session;
  readonly program: Program;
}

/** How a Ladon session runs. */
export interface LadonSetup {
  /** 'auto' uses relaxed-SIMD FMA when the host has it (Node 20 needs --experimental-wasm-relaxed-simd); false forces plain SIMD. */
  readonly relaxedSimd: 'auto' | false;
  readonly threads: number;
}

/** Creates a wasm session from a graph (compiled on the spot) or the bytes of a precompiled program. */
export async function createLadonSession(source: Graph | Uint8Array, setup: LadonSetup = { relaxedSimd: 'auto', threads: 1 }): Promise<LadonSession | Unavailable> {
  try {
    const { Session } = await loadLadonRuntime();
    const session = await Session.create(source, { backend: 'wasm', relaxedSimd: setup.relaxedSimd, numThreads: setup.threads });
    if (!session.program) throw new Error('the wasm session has no compiled program');
    return { session, program: session.program };
  } catch (error) {
    return { unavailable: describeFailure(error) };
  }
}

/** Runs a Ladon session on `feeds` and returns output `outputName`. */
export async function runLadon(session: Session, feeds: readonly FeedData[], outputName: string): Promise<Float32Array> {
  const outputs = await session.run(feedTensors(feeds));
  const output = outputs[outputName];
  if (!output || !(output.data instanceof Float32Array)) throw new Error(`Ladon returned no f32 output '${outputName}'`);
  return output.data;
}

/** How a run uses the wasm arena (Ladon's memory plan for the feeds' sizes). */
export interface ArenaUsage {
  /** The whole arena: inputs, outputs and everything in between. */
  readonly arenaBytes: number;
  /** The graph inputs' and outputs' buffers. */
  readonly inputOutputBytes: number;
  /** The rest: the kernels' intermediates and scratch. */
  readonly scratchBytes: number;
}

/** The memory plan of `loaded` for `feeds`: the arena bytes beyond the inputs and outputs. */
export async function arenaUsage(loaded: LadonSession, feeds: readonly FeedData[]): Promise<ArenaUsage> {
  const { bindFeeds, planMemory } = await import('@ladon/runtime/testing');
  const { program } = loaded;
  const plan = planMemory(program, bindFeeds(program, feedTensors(feeds)));
  const ioBuffers = new Set([...program.inputs, ...program.outputs].map((value) => value.buffer));
  const inputOutputBytes = [...ioBuffers].reduce((sum, id) => sum + plan.sizes.get(id)!, 0);
  return { arenaBytes: plan.arenaBytes, inputOutputBytes, scratchBytes: plan.arenaBytes - inputOutputBytes };
}

/** Wraps a created session as a prepared case. */
export function preparedLadonCase(loaded: LadonSession, data: CaseData): PreparedCase {
  return {
    run: () => timedRun(() => runLadon(loaded.session, data.feeds, data.outputName)),
    dispose: () => loaded.session.dispose(),
  };
}

function ladonRunnerWith(setup: LadonSetup): Runner {
  const plain = setup.relaxedSimd === false;
  return {
    name: plain ? 'Ladon (wasm, plain SIMD)' : 'Ladon (wasm)',
    family: plain ? 'ladon-plain-simd' : 'ladon',
    threads: setup.threads,
    setup: plain
      ? "as Ladon (wasm), with { relaxedSimd: false }: mul+add instead of FMA"
      : "@ladon/runtime Session.create(graph, { backend: 'wasm', numThreads }): the IR graph compiled (attention fused) to one WebAssembly module, relaxed-SIMD FMA when the host supports it; numThreads - 1 workers share its memory",
    async prepare(data) {
      const loaded = await createLadonSession(data.graph, setup);
      return 'unavailable' in loaded ? loaded : preparedLadonCase(loaded, data);
    },
  };
}

/** Ladon on `threads` threads: the IR graph compiled by @ladon/compiler, run by @ladon/runtime's wasm backend (relaxed-SIMD FMA when the host has it). */
export function ladonRunner(threads: number): Runner {
  return ladonRunnerWith({ relaxedSimd: 'auto', threads });
}

/** Ladon restricted to plain 128-bit SIMD (the instruction set onnxruntime-web's build uses), on `threads` threads. */
export function ladonPlainSimdRunner(threads: number): Runner {
  return ladonRunnerWith({ relaxedSimd: false, threads });
}
