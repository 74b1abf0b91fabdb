/**
 * Imports the shared real models (PyTorch exports, the trained induction
 * model, ONNX Attention conformance cases) and runs them through the IR
 * interpreter against their stored outputs.
 */
import { compareTensors, interpret } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { loadTestCase } from './node.js';
import { caseDirectories, sharedPath } from './testing/shared-data.js';

/** Runs every data set of a case; returns the worst error and a description of failures. */
async function checkCase(directory: string, tolerance: (dtype: string) => { rtol: number; atol: number }): Promise<{ maxAbsErr: number; failures: string[] }> {
  const testCase = await loadTestCase(directory);
  expect(testCase.dataSets.length).toBeGreaterThan(0);
  let maxAbsErr = 0;
  const failures: string[] = [];
  for (const dataSet of testCase.dataSets) {
    const outputs = interpret(testCase.model.graph, dataSet.inputs);
    for (const [name, expected] of Object.entries(dataSet.outputs)) {
      const { rtol, atol } = tolerance(expected.dtype);
      const result = compareTensors(outputs[name], expected, { rtol, atol });
      maxAbsErr = Math.max(maxAbsErr, result.maxAbsErr);
      if (result.mismatches > 0) failures.push(`${dataSet.name}/${name}: ${result.mismatches} mismatches, max abs err ${result.maxAbsErr}`);
    }
  }
  return { maxAbsErr, failures };
}

const TORCH_TOLERANCE = () => ({ rtol: 1e-4, atol: 1e-4 });
const CONFORMANCE_TOLERANCE = (dtype: string) => (dtype === 'f16' ? { rtol: 1e-2, atol: 2e-3 } : { rtol: 1e-3, atol: 1e-5 });

describe('shared real models', () => {
  const torchCases = caseDirectories('fixtures', 'torch-export');
  it('finds the torch exports', () => expect(torchCases.length).toBeGreaterThanOrEqual(3));
  for (const directory of torchCases) {
    it(`torch export ${directory.split('/').pop()} matches torch (rtol 1e-4, atol 1e-4)`, async () => {
      expect((await checkCase(directory, TORCH_TOLERANCE)).failures).toEqual([]);
    });
  }

  for (const variant of ['logits', 'with-weights']) {
    it(`induction-2l/${variant} imports and matches torch`, async () => {
      const result = await checkCase(sharedPath('models', 'induction-2l', variant), TORCH_TOLERANCE);
      expect(result.failures).toEqual([]);
    });
  }

  const conformance = caseDirectories('conformance', 'onnx-attention');
  const sample = conformance.filter((_, index) => index % 6 === 0);
  for (const directory of sample) {
    it(`Attention conformance ${directory.split('/').pop()}`, async () => {
      expect((await checkCase(directory, CONFORMANCE_TOLERANCE)).failures).toEqual([]);
    });
  }
});
