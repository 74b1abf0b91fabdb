/** Which op versions a default opset means, and which of them Ladon reads. */
import { defineElementwise, registerOp } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { importOnnxModel } from './import-model.js';
import { KNOWN_OPSET, ONNX_OP_VERSIONS } from './op-versions.js';
import { checkOpVersion, opVersionAt } from './opset-policy.js';
import { ElemType, modelBytes, nodeFields, valueInfo } from './testing/model-builder.js';

const where = { node: '%y', op: 'Test' };

function unary(op: string, opset: number, dtype: number = ElemType.FLOAT, irVersion = 8): Uint8Array {
  return modelBytes({ nodes: [nodeFields(op, ['x'], ['y'])], inputs: [valueInfo('x', dtype, [2])], outputs: [valueInfo('y', dtype, [2])], opset, irVersion });
}

describe('op versions', () => {
  it('resolve an opset to the newest since_version at or below it', () => {
    expect(opVersionAt('Add', 12)).toBe(7);
    expect(opVersionAt('Add', 14)).toBe(14);
    expect(opVersionAt('Range', 27)).toBe(27);
    expect(opVersionAt('Range', 10)).toBeUndefined();
    expect(opVersionAt('NoSuchOp', 17)).toBeUndefined();
  });

  it('describe every opset up to KNOWN_OPSET in ascending order', () => {
    const all = Object.values(ONNX_OP_VERSIONS);
    expect(all.every((versions) => versions.every((version, index) => index === 0 || version > versions[index - 1]))).toBe(true);
    expect(Math.max(...all.flat())).toBe(KNOWN_OPSET);
  });
});

describe('the opset policy', () => {
  it('reads every version in effect at opsets 7-25', () => {
    for (let opset = 7; opset <= 25; opset++) expect(checkOpVersion('Add', opset, where)).toBe(opVersionAt('Add', opset));
  });

  it('reads older models only where the op has not changed since opset 7', () => {
    expect(checkOpVersion('Not', 1, where)).toBe(1);
    expect(() => checkOpVersion('Add', 6, where)).toThrow(/Add-6 \(opset 6\) is older than Ladon reads: Add is read from version 7 \(opset 7 on\)/);
    expect(importOnnxModel(unary('Not', 1, ElemType.BOOL, 3)).graph.nodes[0].op).toBe('Not');
  });

  it('reads newer opsets where the op did not change, or only widened its types', () => {
    expect(checkOpVersion('Add', 27, where)).toBe(14);
    expect(checkOpVersion('Range', 27, where)).toBe(27);
    expect(importOnnxModel(unary('Relu', 28)).opsetVersion).toBe(28);
  });

  it('refuses a version past 25 whose meaning changed, and opsets beyond the table, naming the op and the version', () => {
    registerOp(defineElementwise({ name: 'Celu', summary: 'test op', kind: 'unary', inputs: [{ name: 'X', types: ['f32'] }], expression: ({ inputs: [x] }) => x }));
    expect(checkOpVersion('Celu', 27, where)).toBe(12);
    expect(() => importOnnxModel(unary('Celu', 28))).toThrow(/Celu-28 \(opset 28\) is newer than Ladon reads: Celu is read up to version 12/);
    expect(() => checkOpVersion('Relu', KNOWN_OPSET + 1, where)).toThrow(new RegExp(`opset ${KNOWN_OPSET + 1} is newer than Ladon knows .* which version of Relu`));
  });

  it('refuses an op before it existed, and leaves ops outside Ladon to the unknown-op report', () => {
    expect(() => checkOpVersion('Range', 10, where)).toThrow(/Range does not exist at opset 10 \(it first appears at opset 11\)/);
    expect(checkOpVersion('Acos', 17, where)).toBeUndefined();
  });
});
