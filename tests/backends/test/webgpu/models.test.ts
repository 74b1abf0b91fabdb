/**
 * Real exports on the WebGPU backend: the three shared PyTorch exports
 * (../shared/fixtures/torch-export) on every data set, and the trained
 * induction-2l model (logits and per-head attention maps), all within
 * rtol = atol = 1e-4 of torch's own outputs. One session serves every data
 * set of a model (symbolic batch/seq: the same kernels, new run plans).
 */
import { loadTestCase } from '@ladon/onnx/node';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { Session } from '@ladon/runtime';
import { describeGpu, expectOutputs } from '../../src/gpu.js';
import { SHARED } from '../../src/paths.js';

const MODELS: readonly [string, number][] = [
  ['fixtures/torch-export/mha_self_e64_h4', 1],
  ['fixtures/torch-export/encoder_layer_e64_h4', 2],
  ['fixtures/torch-export/seed_mha_block', 2],
  ['models/induction-2l/with-weights', 1],
  ['models/induction-2l/logits', 2],
];

describeGpu('PyTorch exports on webgpu', () => {
  it.each(MODELS)('%s (%i data sets)', async (path, dataSets) => {
    const testCase = await loadTestCase(join(SHARED, path));
    expect(testCase.dataSets).toHaveLength(dataSets);
    const session = await Session.create(testCase.model.graph, { backend: 'webgpu' });
    try {
      expect(session.program?.steps.some((step) => step.op === 'Attention')).toBe(true);
      for (const dataSet of testCase.dataSets) {
        expectOutputs(await session.run(dataSet.inputs), dataSet.outputs, () => ({ rtol: 1e-4, atol: 1e-4 }));
      }
    } finally {
      session.dispose();
    }
  });
});
