/**
 * The runner seam: each runtime (Ladon, onnxruntime-web, tfjs) prepares a
 * case once and then runs it many times. A run takes the case's inputs from
 * JS arrays and returns the output as a JS array, so every runtime pays for
 * its own copies in and out, as an application would.
 */
import type { CaseData } from './inputs.js';

/** A case loaded on one runtime, ready to run. */
export interface PreparedCase {
  /** Runs once on the case's inputs and returns the output (row-major f32). */
  run(): Promise<Float32Array>;
  /** Frees the session or tensors. */
  dispose(): void;
}

/** Why a runtime cannot run a case. */
export interface Unavailable {
  readonly unavailable: string;
}

/** A runtime under test. */
export interface Runner {
  /** The name in the table, e.g. `onnxruntime-web`. */
  readonly name: string;
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
