/** The messages between the benchmark and an onnxruntime-web worker thread (ort-web-worker.ts). */
import type { FeedData } from './inputs.js';

/** What the worker is given when it starts. */
export interface OrtWebWorkerData {
  /** `ort.env.wasm.numThreads` for this worker's realm. */
  readonly threads: number;
}

/** A model to load: the ONNX bytes, the feeds every run uses and the output to return. */
export interface OrtWebModel {
  readonly onnx: Uint8Array;
  readonly feeds: readonly FeedData[];
  readonly outputName: string;
}

/** A request; `key` names a prepared session. */
export type OrtWebRequest =
  | ({ readonly id: number; readonly type: 'prepare'; readonly key: string } & OrtWebModel)
  | { readonly id: number; readonly type: 'run'; readonly key: string }
  | { readonly id: number; readonly type: 'dispose'; readonly key: string }
  /** Import onnxruntime-web, create a session, run once: timed together (time to first result). */
  | ({ readonly id: number; readonly type: 'first-result' } & OrtWebModel);

/** The answer to request `id`: a run's output and duration (as timed in the worker), or why it failed. */
export type OrtWebReply =
  | { readonly id: number; readonly ok: true; readonly output?: Float32Array; readonly ms?: number }
  | { readonly id: number; readonly ok: false; readonly reason: string };
