/**
 * onnxruntime-web on its wasm execution provider, in Node (it resolves
 * `ort.node.min.mjs` and finds its own .wasm). One thread, like Ladon:
 * `env.wasm.numThreads` is fixed for the process at the first session, so it
 * is set as the module loads. The model is the case's IR graph written as
 * ONNX by @ladon/onnx's exportOnnxModel, with ORT's full graph
 * optimisations ('all', its default).
 */
import type * as Ort from 'onnxruntime-web';
import type { InferenceSession } from 'onnxruntime-web';
import type { CaseData, FeedData } from './inputs.js';
import { describeFailure, type PreparedCase, type Runner, type Unavailable } from './runner.js';

type OrtModule = typeof Ort;

/** The thread count every runtime gets. */
export const ORT_THREADS = 1;

let ortModule: Promise<OrtModule> | undefined;

/** onnxruntime-web, imported on first use with one wasm thread and quiet logs. */
export function loadOrt(): Promise<OrtModule> {
  ortModule ??= import('onnxruntime-web').then((ort) => {
    ort.env.wasm.numThreads = ORT_THREADS;
    ort.env.logLevel = 'error';
    return ort;
  });
  return ortModule;
}

/** Creates an ORT session on the wasm execution provider from ONNX bytes. */
export async function createOrtSession(ort: OrtModule, onnx: Uint8Array): Promise<InferenceSession> {
  return ort.InferenceSession.create(onnx, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
}

/** Runs `session` on `feeds` and returns output `outputName`. */
export async function runOrt(ort: OrtModule, session: InferenceSession, feeds: readonly FeedData[], outputName: string): Promise<Float32Array> {
  const inputs = Object.fromEntries(feeds.map((feed) => [feed.name, new ort.Tensor('float32', feed.data, feed.shape)]));
  const outputs = await session.run(inputs);
  const output = outputs[outputName];
  if (!output || !(output.data instanceof Float32Array)) throw new Error(`onnxruntime-web returned no float32 output '${outputName}'`);
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

async function prepareOrt(data: CaseData): Promise<PreparedCase | Unavailable> {
  try {
    const ort = await loadOrt();
    const session = await createOrtSession(ort, data.onnx);
    return {
      run: () => runOrt(ort, session, data.feeds, data.outputName),
      dispose: () => void session.release(),
    };
  } catch (error) {
    return { unavailable: describeOrtFailure(error) };
  }
}

/** The onnxruntime-web runner. */
export const ortRunner: Runner = {
  name: 'onnxruntime-web',
  setup: `onnxruntime-web wasm EP, ${ORT_THREADS} thread, graphOptimizationLevel 'all', the same graph as an ONNX model (opset 17)`,
  prepare: prepareOrt,
};
