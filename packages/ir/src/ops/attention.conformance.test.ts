/**
 * ONNX conformance for `Attention`: every case of the ONNX backend node tests
 * (regenerated from the ONNX reference, /work/shared/conformance/onnx-attention)
 * and of the extra fp16 cases (onnx-attention-fp16-extra), read in place.
 * Tensors are mapped to node slots by name; each case is its own test.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeTensorProto } from '../../test/onnx-tensor-proto.js';
import { toNumbers, type Tensor } from '../tensor.js';
import { evaluateOp } from '../testing/op-harness.js';
import { Attention } from './attention.js';

const CONFORMANCE_ROOT = fileURLToPath(new URL('../../../../../shared/conformance/', import.meta.url));

/** One entry of a suite's cases.json (the fields this test reads). */
interface CaseInfo {
  readonly name: string;
  readonly opset: number;
  readonly node_inputs: readonly string[];
  readonly node_outputs: readonly string[];
  readonly attributes: Readonly<Record<string, number>>;
  readonly outputs: readonly { readonly name: string; readonly dtype: string; readonly shape: readonly number[] }[];
  readonly rtol: number;
  readonly atol: number;
}

interface Suite {
  readonly dir: string;
  readonly expectedCount: number;
}

const SUITES: Record<string, Suite> = {
  'onnx-attention': { dir: join(CONFORMANCE_ROOT, 'onnx-attention'), expectedCount: 87 },
  'onnx-attention-fp16-extra': { dir: join(CONFORMANCE_ROOT, 'onnx-attention-fp16-extra'), expectedCount: 10 },
};

const TOLERANCE: Record<string, { rtol: number; atol: number }> = {
  float32: { rtol: 1e-3, atol: 1e-5 },
  float16: { rtol: 1e-2, atol: 2e-3 },
};

function loadCases(suite: Suite): CaseInfo[] {
  const index = JSON.parse(readFileSync(join(suite.dir, 'cases.json'), 'utf8')) as { cases: CaseInfo[] };
  return index.cases;
}

function caseDirectories(suite: Suite): string[] {
  return readdirSync(suite.dir)
    .filter((entry) => statSync(join(suite.dir, entry)).isDirectory())
    .sort();
}

/** The tensors of a case's test_data_set_0, by tensor name. */
function loadTensors(caseDir: string): Map<string, Tensor> {
  const dataDir = join(caseDir, 'test_data_set_0');
  const byName = new Map<string, Tensor>();
  for (const file of readdirSync(dataDir).filter((entry) => entry.endsWith('.pb'))) {
    const decoded = decodeTensorProto(new Uint8Array(readFileSync(join(dataDir, file))));
    byName.set(decoded.name, decoded.tensor);
  }
  return byName;
}

/** Compares one output; returns a description of the first few problems, or undefined. */
function compare(got: Tensor | undefined, expected: Tensor, rtol: number, atol: number): string | undefined {
  if (!got) return 'missing output';
  if (got.dtype !== expected.dtype) return `dtype ${got.dtype}, expected ${expected.dtype}`;
  if (got.shape.join() !== expected.shape.join()) return `shape [${got.shape}], expected [${expected.shape}]`;
  const actual = toNumbers(got);
  const want = toNumbers(expected);
  const problems: string[] = [];
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const [a, e] = [actual[i], want[i]];
    const ok = e === -Infinity ? a === -Infinity : Number.isFinite(a) && Math.abs(a - e) <= atol + rtol * Math.abs(e);
    if (!ok) {
      worst = Math.max(worst, Math.abs(a - e));
      if (problems.length < 5) problems.push(`[${i}] got ${a}, expected ${e}`);
    }
  }
  return problems.length ? `${problems.join('; ')} (worst |diff| ${worst})` : undefined;
}

describe('Attention ONNX conformance', () => {
  it('finds the conformance data', () => {
    expect(existsSync(SUITES['onnx-attention'].dir)).toBe(true);
    expect(existsSync(SUITES['onnx-attention-fp16-extra'].dir)).toBe(true);
  });

  for (const [suiteName, suite] of Object.entries(SUITES)) {
    describe(suiteName, () => {
      const cases = loadCases(suite);
      const byName = new Map(cases.map((info) => [info.name, info]));

      it(`indexes every case directory (${suite.expectedCount})`, () => {
        expect(cases).toHaveLength(suite.expectedCount);
        expect(caseDirectories(suite)).toEqual([...byName.keys()].sort());
      });

      it.each(caseDirectories(suite))('%s', (caseName) => {
        const info = byName.get(caseName);
        if (!info) throw new Error(`${caseName} is not in cases.json`);
        const tensors = loadTensors(join(suite.dir, caseName));
        const inputs = info.node_inputs.map((name) => {
          if (name === '') return undefined;
          const value = tensors.get(name);
          if (!value) throw new Error(`${caseName}: no .pb tensor named '${name}'`);
          return value;
        });
        const results = evaluateOp(Attention, inputs, info.attributes, info.node_outputs.length);
        const failures: string[] = [];
        info.node_outputs.forEach((name, slot) => {
          if (name === '') return;
          const expected = tensors.get(name);
          if (!expected) throw new Error(`${caseName}: no .pb tensor named '${name}'`);
          const declared = info.outputs.find((output) => output.name === name);
          const { rtol, atol } = TOLERANCE[declared?.dtype ?? 'float32'] ?? { rtol: info.rtol, atol: info.atol };
          const problem = compare(results[slot], expected, rtol, atol);
          if (problem) failures.push(`${name}: ${problem}`);
        });
        expect(failures, failures.join('\n')).toEqual([]);
      });
    });
  }
});
