/**
 * onnxruntime-node: ONNX Runtime's native CPU build (MLAS, AVX2/FMA), on
 * one thread (intra- and inter-op), as the yardstick for how close wasm
 * gets to native code. It runs the same variants as onnxruntime-web.
 */
import type * as OrtNode from 'onnxruntime-node';
import type { CaseData } from './inputs.js';
import { createOrtCase, describeOrtFailure, type OrtApi } from './ort-runner.js';
import { ortVariantModel } from './ort-variants.js';
import { timedRun, type PreparedCase, type Runner, type Unavailable } from './runner.js';

let ortNode: Promise<typeof OrtNode> | undefined;

async function prepare(variant: string, data: CaseData): Promise<PreparedCase | Unavailable> {
  try {
    ortNode ??= import('onnxruntime-node');
    const ort = (await ortNode) as unknown as OrtApi;
    const options = { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1 };
    const ortCase = await createOrtCase(ort, ortVariantModel(data, variant), options, data.feeds, data.outputName);
    return { run: () => timedRun(() => ortCase.run()), dispose: () => void ortCase.session.release() };
  } catch (error) {
    return { unavailable: describeOrtFailure(error) };
  }
}

/** onnxruntime-node (native CPU) running `variant` on one thread. */
export function ortNodeRunner(variant: string): Runner {
  return {
    name: `onnxruntime-node [${variant}]`,
    family: 'onnxruntime-node',
    threads: 1,
    setup: "onnxruntime-node CPU EP (native), intraOpNumThreads = interOpNumThreads = 1, graphOptimizationLevel 'all'",
    prepare: (data) => prepare(variant, data),
  };
}
