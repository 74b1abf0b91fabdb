/**
 * The shared real models end to end on the wasm backend (the default
 * compile pipeline, so attention is fused and every other op runs on the op
 * kernels), against the stored PyTorch outputs at rtol = atol = 1e-4.
 */
import { compareTensors, type Program } from '@ladon/ir';
import { compileProgram } from '@ladon/compiler';
import { loadTestCase } from '@ladon/onnx/node';
import { describe, expect, it } from 'vitest';
import { SHARED } from '../../src/paths.js';
import { WasmSession } from '@ladon/runtime';

const CASES = [
  'fixtures/torch-export/mha_self_e64_h4',
  'fixtures/torch-export/encoder_layer_e64_h4',
  'fixtures/torch-export/seed_mha_block',
  'models/induction-2l/logits',
  'models/induction-2l/with-weights',
];

interface Loaded {
  readonly name: string;
  readonly testCase: Awaited<ReturnType<typeof loadTestCase>>;
  readonly program?: Program;
  /** Why the model does not compile yet (only a missing Attention kernel is tolerated). */
  readonly missingKernel?: string;
}

async function load(directory: string): Promise<Loaded> {
  const testCase = await loadTestCase(SHARED + directory);
  try {
    return { name: directory, testCase, program: await compileProgram(testCase.model.graph, { target: 'wasm' }) };
  } catch (error) {
    const message = (error as Error).message;
    if (/no kernel for Attention/.test(message)) return { name: directory, testCase, missingKernel: message };
    throw error;
  }
}

const loaded = await Promise.all(CASES.map(load));

describe('shared models on the wasm backend', () => {
  for (const model of loaded) {
    it.skipIf(model.missingKernel !== undefined)(`${model.name} matches the PyTorch outputs`, async () => {
      const session = await WasmSession.create(model.program!, { relaxedSimd: false });
      let compared = 0;
      for (const dataSet of model.testCase.dataSets) {
        const actual = await session.run(dataSet.inputs);
        for (const [name, expected] of Object.entries(dataSet.outputs)) {
          const result = compareTensors(actual[name], expected, { rtol: 1e-4, atol: 1e-4 });
          expect(result.problem ?? '', `${model.name} ${dataSet.name} ${name}`).toBe('');
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(0);
    });
  }
});
