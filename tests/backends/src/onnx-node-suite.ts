/**
 * The vitest suite of the ONNX node-test harness (onnx-node.ts) on one
 * backend: one test per case. A case listed in
 * test/conformance/onnx-node-expected-failures.json for this backend must
 * fail (and when it passes, the test says to remove it from the list);
 * every other case must pass. The three backends run in three test files,
 * so vitest runs them in parallel.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CaseBackend } from './conformance.js';
import { describeGpu } from './gpu.js';
import { expectedFailures, onnxNodeCases, runOnnxNodeCase } from './onnx-node.js';

/** The checked-in list of cases not expected to pass yet. */
export const EXPECTED_FAILURES_FILE = fileURLToPath(new URL('../test/conformance/onnx-node-expected-failures.json', import.meta.url));

/** Declares the suite for `backend` (WebGPU: only where an adapter exists, see describeGpu). */
export function onnxNodeSuite(backend: CaseBackend): void {
  const cases = onnxNodeCases();
  const failures = expectedFailures(EXPECTED_FAILURES_FILE);
  const declare = backend === 'webgpu' ? describeGpu : describe;
  declare(`onnx-node cases on ${backend}`, () => {
    it('lists only cases of the suite', () => {
      const names = new Set(cases.map((entry) => entry.name));
      expect(Object.keys(failures).filter((name) => !names.has(name))).toEqual([]);
    });
    it.each(cases)('$op: $name', async ({ name }) => {
      const outcome = await runOnnxNodeCase(name, backend);
      const expected = failures[name]?.on.includes(backend) ? failures[name] : undefined;
      if (expected) {
        expect(outcome.passed, `${name} passes on ${backend} now: remove ${backend} from its entry in onnx-node-expected-failures.json (it was listed: ${expected.reason})`).toBe(false);
      } else {
        expect(outcome.message).toBe('every output within tolerance');
      }
    });
  });
}
