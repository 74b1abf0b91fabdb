import { LadonError, UnknownOpError } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { importOnnxModel, onnxModelOps } from './import-model.js';
import { attr, ElemType, encodeModelFields, modelBytes, modelFields, nodeFields, tensorFields, valueInfo, type ModelSpec } from './testing/model-builder.js';

const F = ElemType.FLOAT;
const FILE = 'models/bad.onnx';

/** A valid model: y = Relu(x + b). */
function validSpec(overrides: Partial<ModelSpec> = {}): ModelSpec {
  return {
    nodes: [nodeFields('Add', ['x', 'b'], ['s'], [], { name: 'add_bias' }), nodeFields('Relu', ['s'], ['y'])],
    inputs: [valueInfo('x', F, [2])],
    outputs: [valueInfo('y', F, [2])],
    initializers: [tensorFields('b', 'f32', [2], [1, 2])],
    ...overrides,
  };
}

function importError(bytes: Uint8Array): LadonError {
  try {
    importOnnxModel(bytes, { fileName: FILE });
  } catch (error) {
    expect(error).toBeInstanceOf(LadonError);
    const typed = error as LadonError;
    expect(typed.location.file).toBe(FILE);
    expect(typed.message).toContain(FILE);
    return typed;
  }
  throw new Error('expected the import to fail');
}

describe('importOnnxModel errors', () => {
  it('accepts the valid base model', () => {
    expect(importOnnxModel(modelBytes(validSpec())).graph.nodes).toHaveLength(2);
  });

  it('rejects truncated, empty and garbage files', () => {
    const bytes = modelBytes(validSpec());
    expect(importError(bytes.subarray(0, bytes.length - 7)).name).toBe('OnnxImportError');
    expect(importError(new Uint8Array(0)).message).toMatch(/IR version 0 is not supported/);
    expect(importError(new TextEncoder().encode('this is not a protobuf at all')).code).toBe('E_IMPORT');
  });

  it('rejects IR versions outside 3-13', () => {
    expect(importError(modelBytes(validSpec({ irVersion: 2 }))).message).toMatch(/IR version 2 is not supported \(Ladon reads IR versions 3-13\)/);
    expect(importError(modelBytes(validSpec({ irVersion: 14 }))).message).toMatch(/IR version 14/);
    expect(importOnnxModel(modelBytes(validSpec({ irVersion: 3, opset: 7 }))).irVersion).toBe(3);
  });

  it('rejects opsets beyond what Ladon knows, naming the op, and foreign domains that nodes use', () => {
    const beyond = importError(modelBytes(validSpec({ opset: 30 })));
    expect(beyond.message).toMatch(/opset 30 is newer than Ladon knows \(ONNX opsets up to 28\), so it cannot tell which version of Add/);
    expect(beyond.location).toMatchObject({ op: 'Add', node: '%s (add_bias)' });
    expect(importError(modelBytes(validSpec({ opsetImports: [{ domain: 'com.microsoft', version: 1 }] }))).message).toMatch(/imports no default ONNX opset/);
    const foreign = validSpec({
      nodes: [nodeFields('FusedGelu', ['x'], ['y'], [], { domain: 'com.microsoft', name: 'gelu_1' })],
      opsetImports: [{ domain: '', version: 17 }, { domain: 'com.microsoft', version: 1 }],
    });
    expect(importError(modelBytes(foreign)).message).toMatch(/'gelu_1' \(FusedGelu\) is in operator domain 'com.microsoft'/);
    const unusedForeign = validSpec({ opsetImports: [{ domain: 'ai.onnx', version: 17 }, { domain: 'ai.onnx.ml', version: 3 }] });
    expect(importOnnxModel(modelBytes(unusedForeign)).opsetVersion).toBe(17);
  });

  it('names the node and file for an unknown op', () => {
    const error = importError(modelBytes(validSpec({ nodes: [nodeFields('NoSuchOp', ['x'], ['y'], [], { name: 'mystery' })] })));
    expect(error.name).toBe('UnknownOpError');
    expect(error.message).toContain('mystery');
    expect(error.message).toContain('NoSuchOp');
    expect((error as UnknownOpError).unknownOps).toEqual([{ op: 'NoSuchOp', count: 1, firstNode: '%y (mystery)' }]);
  });

  it('lists every unknown op with its node count and first node, not just the first one met', () => {
    const nodes = [
      nodeFields('Frob', ['x'], ['a'], [], { name: 'frob_1' }),
      nodeFields('Relu', ['a'], ['b']),
      nodeFields('Zap', ['b'], ['c']),
      nodeFields('Frob', ['c'], ['y'], [], { name: 'frob_2' }),
    ];
    const error = importError(modelBytes(validSpec({ nodes, initializers: [] }))) as UnknownOpError;
    expect(error).toBeInstanceOf(UnknownOpError);
    expect(error.unknownOps).toEqual([
      { op: 'Frob', count: 2, firstNode: '%a (frob_1)' },
      { op: 'Zap', count: 1, firstNode: '%c' },
    ]);
    expect(error.location).toMatchObject({ op: 'Frob', node: '%a (frob_1)' });
    expect(error.message).toContain("2 unknown ops: 'Frob' (2 nodes, first %a (frob_1)), 'Zap' (1 node, first %c)");
  });

  it('reads the op types of a model it cannot import (onnxModelOps)', () => {
    const nodes = [nodeFields('Frob', ['x'], ['a']), nodeFields('Relu', ['a'], ['b']), nodeFields('Frob', ['b'], ['y'])];
    expect(onnxModelOps(modelBytes(validSpec({ nodes, initializers: [] })))).toEqual(['Frob', 'Relu']);
    expect(onnxModelOps(modelBytes(validSpec()))).toEqual(['Add', 'Relu']);
    expect(() => onnxModelOps(new TextEncoder().encode('not a model'), { fileName: FILE })).toThrow(/models\/bad\.onnx: not a valid ONNX ModelProto/);
  });

  it('reports a missing initializer, an undefined input and out-of-order nodes', () => {
    const missing = importError(modelBytes(validSpec({ initializers: [] })));
    expect(missing.message).toMatch(/input 1 'b' is not defined .*missing initializer/);
    expect(missing.message).toContain('add_bias');
    const reordered = validSpec();
    const outOfOrder = importError(modelBytes({ ...reordered, nodes: [...reordered.nodes].reverse() }));
    expect(outOfOrder.message).toMatch(/produced by a later node/);
    expect(importError(modelBytes(validSpec({ outputs: [valueInfo('nothing', F, [2])] }))).message).toMatch(/graph output 'nothing' is not produced/);
  });

  it('names unsupported dtypes and contradicting initializer shapes', () => {
    const double = importError(modelBytes(validSpec({ initializers: [tensorFields('b', 'f32', [2], [1, 2]), { name: 'd', dims: [1], data_type: ElemType.DOUBLE, double_data: [1] }] })));
    expect(double.message).toMatch(/initializer 'd'.*DOUBLE \(11\)/);
    const lying = importError(modelBytes(validSpec({ initializers: [{ name: 'b', dims: [4096, 4096, 4096], data_type: F, raw_data: new Uint8Array(8) }] })));
    expect(lying.message).toMatch(/initializer 'b'.*raw_data has 8 bytes/);
    expect(importError(modelBytes(validSpec({ inputs: [valueInfo('x', ElemType.DOUBLE, [2])] }))).message).toMatch(/graph input 'x'.*DOUBLE/);
    expect(importError(modelBytes(validSpec({ inputs: [valueInfo('x', F)] }))).message).toMatch(/graph input 'x' has no shape/);
  });

  it('reports shapes that contradict the declared types, naming the node', () => {
    const error = importError(modelBytes(validSpec({ outputs: [valueInfo('y', F, [3])] })));
    expect(error.message).toMatch(/declared f32\[3\] but the op produces f32\[2\]/);
    const badAttr = importError(modelBytes(validSpec({ nodes: [nodeFields('Softmax', ['x'], ['y'], [attr.int('axis', 5)], { name: 'sm' })] })));
    expect(badAttr.message).toContain('sm');
  });

  it('rejects Constant nodes without exactly one supported value', () => {
    const twoValues = nodeFields('Constant', [], ['c'], [attr.float('value_float', 1), attr.ints('value_ints', [1])], { name: 'k' });
    const spec = validSpec({ nodes: [twoValues], inputs: [], initializers: [], outputs: [valueInfo('c', F, [])] });
    expect(importError(modelBytes(spec)).message).toMatch(/exactly one value attribute/);
    const stringConstant = nodeFields('Constant', [], ['c'], [attr.string('value_string', 'x')]);
    expect(importError(modelBytes({ ...spec, nodes: [stringConstant] })).message).toMatch(/value_string' is not supported/);
  });

  it('rejects a model without a graph, and graph attributes', () => {
    const noGraph = modelFields(validSpec());
    delete noGraph.graph;
    expect(importError(encodeModelFields(noGraph)).message).toMatch(/has no graph/);
    const withGraphAttribute = validSpec({ nodes: [nodeFields('Relu', ['x'], ['y'], [{ name: 'body', type: 5, g: { name: 'sub' } }])] });
    expect(importError(modelBytes(withGraphAttribute)).message).toMatch(/GRAPH attributes are not supported/);
  });
});
