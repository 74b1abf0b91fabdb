/**
 * The ONNX node-test cases (../shared/conformance/onnx-node, README there)
 * of every element-wise op the IR defines by a scalar expression, on the
 * reference interpreter, wasm and WebGPU. An op listed here passes all its
 * cases on all three, except the ones `NOT_YET` names: those must fail with
 * the typed error given, so a case that starts to pass shows up here.
 * Adding an element-wise op is its definition in @ladon/ir plus its name
 * in OPS.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCase, type CaseBackend } from '../../src/conformance.js';
import { describeGpu } from '../../src/gpu.js';
import { SHARED } from '../../src/paths.js';

const OPS: readonly string[] = ['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Neg', 'Equal', 'Where', 'Relu', 'Sqrt', 'Exp', 'Erf', 'Tanh', 'Sigmoid', 'Sin', 'Cos', 'Gelu', 'Cast'];

const EIGHT_BIT = /element type U?INT8 \(\d\) is not supported/;

/** Cases that do not pass yet, with the error they fail with (on every backend unless `on` says). */
const NOT_YET: Readonly<Record<string, { readonly error: RegExp; readonly on?: CaseBackend }>> = {
  ...Object.fromEntries(['add', 'sub', 'mul', 'div', 'equal'].flatMap((op) => [`test_${op}_int8`, `test_${op}_uint8`]).map((name) => [name, { error: EIGHT_BIT }])),
  test_pow_types_float32_int64: { error: /no wasm kernel computes pow/, on: 'wasm' },
  test_pow_types_int64_float32: { error: /no wasm kernel computes/, on: 'wasm' },
  test_pow_types_int64_int64: { error: /no wasm kernel computes/, on: 'wasm' },
};

const ROOT = join(SHARED, 'conformance', 'onnx-node');
const CASES = JSON.parse(readFileSync(join(ROOT, 'ops.json'), 'utf8')) as Record<string, string[]>;

function checkAll(backend: CaseBackend): void {
  for (const op of OPS) {
    it(`${op} has cases`, () => expect(CASES[op]?.length ?? 0).toBeGreaterThan(0));
    it.each(CASES[op] ?? [])(`${op}: %s`, async (name) => {
      const known = NOT_YET[name];
      if (known && (known.on ?? backend) === backend) {
        await expect(runCase(join(ROOT, name), backend)).rejects.toThrow(known.error);
        return;
      }
      await runCase(join(ROOT, name), backend);
    });
  }
}

describe('element-wise onnx-node cases on the reference interpreter', () => checkAll('reference'));
describe('element-wise onnx-node cases on wasm', () => checkAll('wasm'));
describeGpu('element-wise onnx-node cases on webgpu', () => checkAll('webgpu'));
