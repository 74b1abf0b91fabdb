/**
 * The canonicalization passes on real PyTorch exports (../shared fixtures):
 * every pass runs with verifyEach, the outputs still match torch's own
 * outputs (rtol = atol = 1e-4, as the fixture READMEs say), and the shape
 * plumbing and decomposed LayerNorm / GELU are gone.
 */
import { countOps, interpret, toNumbers, type Graph } from '@ladon/ir';
import { loadTestCase } from '@ladon/onnx/node';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPipeline, type Pass } from '../pass.js';
import { composeTransposesPass } from './compose-transposes.js';
import { csePass } from './cse.js';
import { dcePass } from './dce.js';
import { einsumToMatMulPass } from './einsum-to-matmul.js';
import { foldConstantsPass } from './fold-constants.js';
import { foldShapesPass } from './fold-shapes.js';
import { fuseGeluPass } from './fuse-gelu.js';
import { fuseLayerNormPass } from './fuse-layer-norm.js';
import { linearPass } from './linear.js';
import { transposeIntoMatMulPass } from './transpose-into-matmul.js';

const SHARED = new URL('../../../../../shared/', import.meta.url).pathname;

/** The canonicalization passes in a plausible pipeline order (the real pipeline is the lead's). */
const PASSES: readonly Pass[] = [
  foldConstantsPass,
  foldShapesPass,
  dcePass,
  csePass,
  composeTransposesPass,
  einsumToMatMulPass,
  linearPass,
  fuseLayerNormPass,
  fuseGeluPass,
  transposeIntoMatMulPass,
  dcePass,
];

function expectClose(graph: Graph, feeds: Parameters<typeof interpret>[1], expected: Parameters<typeof interpret>[1]): void {
  const outputs = interpret(graph, feeds);
  for (const [name, want] of Object.entries(expected)) {
    const got = toNumbers(outputs[name]);
    const reference = toNumbers(want);
    expect(outputs[name].shape).toEqual(want.shape);
    const worst = got.reduce((max, value, index) => Math.max(max, Math.abs(value - reference[index]) - 1e-4 * Math.abs(reference[index])), 0);
    expect(worst, `output ${name}`).toBeLessThanOrEqual(1e-4);
  }
}

/** Each case and the op histogram its canonical form has (only the shape chains that need run-time sizes remain). */
const cases: [string, string, Record<string, number>][] = [
  ['mha_self_e64_h4', 'fixtures/torch-export/mha_self_e64_h4', { Transpose: 6, Linear: 2, Slice: 3, Reshape: 5, Div: 1, MatMul: 2, Softmax: 1 }],
  [
    'encoder_layer_e64_h4',
    'fixtures/torch-export/encoder_layer_e64_h4',
    // Shape/Gather/Unsqueeze/Concat: the Reshape [batch*seq, 64] -> [seq, batch, 64] needs both sizes at run time.
    { Transpose: 6, Shape: 1, Gather: 2, Unsqueeze: 2, Concat: 1, Linear: 4, Slice: 3, Reshape: 5, Div: 1, MatMul: 2, Softmax: 1, Add: 2, LayerNormalization: 2, Relu: 1 },
  ],
  [
    'seed_mha_block',
    'fixtures/torch-export/seed_mha_block',
    { Linear: 4, Reshape: 4, Transpose: 4, FusedMatMul: 1, Equal: 1, Where: 1, Softmax: 1, MatMul: 1, Add: 1, LayerNormalization: 1 },
  ],
  [
    'induction-2l',
    'models/induction-2l/logits',
    // Shape/Gather/Unsqueeze/Range: positions and the causal-mask slice need seq at run time; two Gathers are the embeddings.
    { Shape: 3, Gather: 5, Range: 1, Add: 5, LayerNormalization: 5, Linear: 9, Split: 2, Reshape: 8, Transpose: 8, FusedMatMul: 2, Unsqueeze: 2, Slice: 4, Equal: 2, Where: 2, Softmax: 2, MatMul: 2, Gelu: 2 },
  ],
];

describe.skipIf(!existsSync(SHARED))('canonicalization on real PyTorch exports', () => {
  for (const [title, directory, canonicalOps] of cases) {
    it(`${title}: outputs still match torch; static shape chains, LayerNorm and GELU decompositions are gone`, async () => {
      const testCase = await loadTestCase(`${SHARED}${directory}`);
      const graph = testCase.model.graph;
      runPipeline(graph, PASSES, { verifyEach: true });
      expect(countOps(graph)).toEqual(canonicalOps);
      for (const dataSet of testCase.dataSets) expectClose(graph, dataSet.inputs, dataSet.outputs);
    });
  }
});
