/**
 * What onnxruntime-web (wasm, in a worker thread per thread count) and
 * onnxruntime-node (native) share: both expose onnxruntime-common's API, so
 * one helper creates a session from ONNX bytes, runs it on the case's feeds
 * and reads the output, and one turns ORT's native errors into a line.
 */
import type * as OrtWeb from 'onnxruntime-web';
import type { InferenceSession } from 'onnxruntime-web';
import type { FeedData } from './inputs.js';
import { describeFailure } from './runner.js';

/** The part of an onnxruntime module the benchmark uses (the same in onnxruntime-web and onnxruntime-node). */
export type OrtApi = Pick<typeof OrtWeb, 'InferenceSession' | 'Tensor'>;

let ortWeb: Promise<typeof OrtWeb> | undefined;

/**
 * onnxruntime-web, imported on first use with `threads` wasm threads and
 * quiet logs. Its thread count is fixed for the JS realm at the first
 * session, so each thread count runs in its own worker thread.
 */
export function loadOrtWeb(threads: number): Promise<typeof OrtWeb> {
  ortWeb ??= import('onnxruntime-web').then((ort) => {
    ort.env.wasm.numThreads = threads;
    ort.env.logLevel = 'error';
    return ort;
  });
  return ortWeb;
}

/** onnxruntime-web's session options: its wasm execution provider. */
export const ORT_WEB_OPTIONS: InferenceSession.SessionOptions = { executionProviders: ['wasm'] };

/** A session and how to run it on the case's feeds. */
export interface OrtCase {
  readonly session: InferenceSession;
  run(): Promise<Float32Array>;
}

/** Creates a session from ONNX bytes with ORT's full graph optimisations ('all', its default) and the given options. */
export async function createOrtCase(ort: OrtApi, onnx: Uint8Array, options: InferenceSession.SessionOptions, feeds: readonly FeedData[], outputName: string): Promise<OrtCase> {
  const session = await ort.InferenceSession.create(onnx, { graphOptimizationLevel: 'all', ...options });
  return { session, run: () => runOrt(ort, session, feeds, outputName) };
}

/** Runs `session` on `feeds` and returns output `outputName`. */
export async function runOrt(ort: OrtApi, session: InferenceSession, feeds: readonly FeedData[], outputName: string): Promise<Float32Array> {
  const inputs = Object.fromEntries(feeds.map((feed) => [feed.name, new ort.Tensor('float32', feed.data, feed.shape)]));
  const outputs = await session.run(inputs);
  const output = outputs[outputName];
  if (!output || !(output.data instanceof Float32Array)) throw new Error(`onnxruntime returned no float32 output '${outputName}'`);
  return output.data;
}

/**
 * A one-line reason from an ORT failure. Its native errors read
 * `... ERROR_CODE: n, ERROR_MESSAGE: /build/path/file.h:17 <C++ signature>() message`;
 * the path and the signature are dropped.
 */
export function describeOrtFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const native = /^(.*?)ERROR_CODE: (\d+), ERROR_MESSAGE: (?:\S+:\d+ )?(?:.*\) )?(.*)$/s.exec(message);
  return native ? describeFailure(`${native[1].trim()} ${native[3].trim()} (ORT error code ${native[2]})`) : describeFailure(error);
}
