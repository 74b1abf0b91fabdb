/**
 * The ONNX Attention conformance cases (../shared/conformance/onnx-attention,
 * 87 cases, and the 10 fp16 extras), read with @ladon/onnx: on the reference
 * interpreter (the definition every backend is compared with) and on the
 * WebGPU backend (the wasm backend runs them in the CLI's `check` test).
 * f32: rtol 1e-3, atol 1e-5; f16: rtol 1e-2, atol 2e-3; -inf positions
 * exactly. f16 tensors are widened to f32 on devices without shader-f16.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseDirectories, runCase } from '../../src/conformance.js';
import { describeGpu } from '../../src/gpu.js';
import { SHARED } from '../../src/paths.js';

const SUITES: readonly [string, number][] = [
  ['onnx-attention', 87],
  ['onnx-attention-fp16-extra', 10],
];

for (const [suite, count] of SUITES) {
  const cases = caseDirectories(suite).map((dir) => [basename(dir), dir] as const);

  describe(`${suite} on the reference interpreter`, () => {
    it(`has the ${count} cases its index lists`, () => {
      const index = JSON.parse(readFileSync(join(SHARED, 'conformance', suite, 'cases.json'), 'utf8')) as { cases: { name: string }[] };
      expect(cases.map(([name]) => name)).toEqual(index.cases.map((info) => info.name).sort());
      expect(cases).toHaveLength(count);
    });

    it.each(cases)('%s', async (_name, dir) => runCase(dir, 'reference'));
  });

  describeGpu(`${suite} on webgpu`, () => {
    it.each(cases)('%s', async (_name, dir) => runCase(dir, 'webgpu'));
  });
}
