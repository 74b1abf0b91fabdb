/**
 * Progress of loading a model: `onProgress({ phase, loaded, total })`.
 * Phases, in order: `fetch` (bytes of a URL; `total` is 0 when the server
 * does not say), `import` (ONNX to IR), `compile` (the compiler's passes and
 * lowering), `optimise` (binaryen's optimiser on the wasm module),
 * `instantiate` (the backend loading the program). Every phase that runs
 * reports `loaded === total` once when it ends; `total` is 0 while unknown
 * (`compile` starts with 0 of 0 as soon as the compile cache has missed). A
 * cache hit skips `compile` and `optimise`.
 */

/** The phases {@link ProgressEvent} reports. */
export type ProgressPhase = 'fetch' | 'import' | 'compile' | 'optimise' | 'instantiate';

/** One progress report: `loaded` of `total` units (bytes for `fetch`, steps for the others). */
export interface ProgressEvent {
  readonly phase: ProgressPhase;
  readonly loaded: number;
  readonly total: number;
}

/** A progress listener. */
export type ProgressListener = (event: ProgressEvent) => void;

/** Calls `listener` (if any) and never lets its exception break the load. */
export function report(listener: ProgressListener | undefined, phase: ProgressPhase, loaded: number, total: number): void {
  if (!listener) return;
  try {
    listener({ phase, loaded, total });
  } catch {
    // A failing progress listener must not fail the model load.
  }
}

/** Reports `phase` as 0 of 1 before `work` and 1 of 1 after it. */
export async function phase<T>(listener: ProgressListener | undefined, name: ProgressPhase, work: () => Promise<T> | T): Promise<T> {
  report(listener, name, 0, 1);
  const result = await work();
  report(listener, name, 1, 1);
  return result;
}
