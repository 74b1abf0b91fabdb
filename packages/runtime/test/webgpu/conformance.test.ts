/**
 * The ONNX Attention conformance cases (../shared/conformance/onnx-attention,
 * 87 cases, and the 10 fp16 extras) on the WebGPU backend, through Session:
 * each case's model is compiled for WGSL and its outputs compared with the
 * .pb goldens (f32: rtol 1e-3, atol 1e-5; f16: rtol 1e-2, atol 2e-3; -inf
 * positions exactly). f16 tensors are widened to f32 on devices without
 * shader-f16.
 */
import { toleranceFor } from '@ladon/ir';
import { loadTestCase } from '@ladon/onnx/node';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { Session } from '../../src/index.js';
import { describeGpu, expectOutputs, SHARED } from './gpu-support.js';

const SUITES: readonly [string, number][] = [
  ['onnx-attention', 87],
  ['onnx-attention-fp16-extra', 10],
];

function caseDirectories(suite: string): string[] {
  const root = join(SHARED, 'conformance', suite);
  return readdirSync(root)
    .filter((entry) => statSync(join(root, entry)).isDirectory())
    .sort()
    .map((entry) => join(root, entry));
}

for (const [suite, count] of SUITES) {
  describeGpu(`${suite} on webgpu`, () => {
    const cases = caseDirectories(suite);

    it(`has all ${count} cases`, () => {
      expect(cases).toHaveLength(count);
    });

    it.each(cases.map((dir) => [dir.split('/').pop()!, dir]))('%s', async (_name, dir) => {
      const testCase = await loadTestCase(dir);
      const session = await Session.create(testCase.model.graph, { backend: 'webgpu' });
      try {
        expect(session.backend).toBe('webgpu');
        for (const dataSet of testCase.dataSets) {
          expectOutputs(await session.run(dataSet.inputs), dataSet.outputs, (dtype) => toleranceFor(dtype));
        }
      } finally {
        session.dispose();
      }
    });
  });
}
