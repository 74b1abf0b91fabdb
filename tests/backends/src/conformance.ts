/**
 * Running ONNX backend-test cases (../shared/conformance/<suite>/<case>:
 * model.onnx, test_data_set_*) on a backend: the reference interpreter on
 * the imported graph, or a Session on wasm or WebGPU; every output compared
 * within the project tolerance of its dtype (toleranceFor), NaN and ±inf
 * positions exactly.
 */
import { interpret, toleranceFor, type Tensor, type Tolerance } from '@ladon/ir';
import { loadTestCase } from '@ladon/onnx/node';
import { Session } from '@ladon/runtime';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { expectOutputs } from './gpu.js';
import { SHARED } from './paths.js';

/** Where a case runs. */
export type CaseBackend = 'reference' | 'wasm' | 'webgpu';

/** The case directories of a suite under ../shared/conformance, sorted by name. */
export function caseDirectories(suite: string): string[] {
  const root = join(SHARED, 'conformance', suite);
  return readdirSync(root)
    .filter((entry) => statSync(join(root, entry)).isDirectory())
    .sort()
    .map((entry) => join(root, entry));
}

/** Runs one case on `backend` and expects every output of every data set to match (within `tolerance`, default the project's per dtype). */
export async function runCase(directory: string, backend: CaseBackend, tolerance: (dtype: Tensor['dtype']) => Tolerance = (dtype) => toleranceFor(dtype)): Promise<void> {
  const testCase = await loadTestCase(directory);
  expect(testCase.dataSets.length, 'data sets').toBeGreaterThan(0);
  const run =
    backend === 'reference'
      ? { outputs: async (feeds: Parameters<typeof interpret>[1]) => interpret(testCase.model.graph, feeds), dispose: () => undefined }
      : await sessionRunner(testCase.model.graph, backend);
  try {
    for (const dataSet of testCase.dataSets) expectOutputs(await run.outputs(dataSet.inputs), dataSet.outputs, tolerance);
  } finally {
    run.dispose();
  }
}

async function sessionRunner(graph: Parameters<typeof Session.create>[0], backend: 'wasm' | 'webgpu') {
  const session = await Session.create(graph, { backend });
  expect(session.backend).toBe(backend);
  return { outputs: (feeds: Parameters<Session['run']>[0]) => session.run(feeds), dispose: () => session.dispose() };
}
