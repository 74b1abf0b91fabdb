/**
 * The runner seam: each runtime (Ladon, onnxruntime-web, onnxruntime-node,
 * tfjs) prepares a case once and then runs it many times. A run takes the
 * case's inputs from JS arrays and returns the output as a JS array, so
 * every runtime pays for its own copies in and out, as an application
 * would. A run reports its own duration: runtimes that run in a worker
 * thread time themselves there, so messaging is not counted.
 */
import type { CaseData } from './inputs.js';

/** One run: the output (row-major f32) and how long the run took. */
export interface RunResult {
  readonly output: Float32Array;
  readonly ms: number;
}

/** A case loaded on one runtime, ready to run. */
export interface PreparedCase {
  /** Runs once on the case's inputs. */
  run(): Promise<RunResult>;
  /** Frees the session or tensors. */
  dispose(): void;
}

/** Why a runtime cannot run a case. */
export interface Unavailable {
  readonly unavailable: string;
}

/** The families of runtimes the report tells apart (the baseline is the fastest correct onnxruntime-web variant). */
export type RuntimeFamily = 'ladon' | 'ladon-plain-simd' | 'onnxruntime-web' | 'onnxruntime-node' | 'tfjs';

/** A runtime under test, at one thread count. */
export interface Runner {
  /** The name in the table, e.g. `onnxruntime-web [MultiHeadAttention]`. */
  readonly name: string;
  readonly family: RuntimeFamily;
  /** Threads the runtime computes on. */
  readonly threads: number;
  /** One line on how it runs (backend, threads, form), for the report. */
  readonly setup: string;
  /** Loads the case (create a session, upload weights); never throws: failures come back as Unavailable. */
  prepare(data: CaseData): Promise<PreparedCase | Unavailable>;
}

/** True when `prepared` is a reason, not a prepared case. */
export function isUnavailable(prepared: PreparedCase | Unavailable): prepared is Unavailable {
  return 'unavailable' in prepared;
}

/** A one-line reason from whatever was thrown. */
export function describeFailure(error: unknown): string {
  const text = error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
  const firstLine = text.split('\n')[0].trim();
  return firstLine.length > 200 ? `${firstLine.slice(0, 197)}...` : firstLine;
}

/** Runs `action` and times it on this thread (wall clock). */
export async function timedRun(action: () => Promise<Float32Array>): Promise<RunResult> {
  const start = performance.now();
  const output = await action();
  return { output, ms: performance.now() - start };
}
