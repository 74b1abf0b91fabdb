import { interpret, printGraph, tensor, toNumbers } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { importOnnxModel } from './import-model.js';
import { attr, ElemType, modelBytes, nodeFields, tensorFields, valueInfo } from './testing/model-builder.js';

const F = ElemType.FLOAT;

describe('importOnnxModel', () => {
  it('imports initializers, symbolic dims, node names and metadata', () => {
    const bytes = modelBytes({
      nodes: [nodeFields('MatMul', ['x', 'w'], ['xw'], [], { name: 'proj' }), nodeFields('Add', ['xw', 'b'], ['y'])],
      inputs: [valueInfo('x', F, ['batch', 'seq', 4]), valueInfo('w', F, [4, 2])],
      outputs: [valueInfo('y', F, ['batch', 'seq', 2])],
      initializers: [tensorFields('w', 'f32', [4, 2], [1, 0, 0, 1, 1, 0, 0, 1]), tensorFields('b', 'f32', [2], [0.5, -0.5])],
    });
    const model = importOnnxModel(bytes, { fileName: 'm.onnx' });
    expect(model).toMatchObject({ irVersion: 8, opsetVersion: 17, producerName: 'ladon-test', fileName: 'm.onnx' });
    const { graph } = model;
    expect(graph.inputs).toEqual(['x']);
    expect([...graph.initializers.keys()]).toEqual(['w', 'b']);
    expect(graph.typeOf('y')).toEqual({ dtype: 'f32', shape: ['batch', 'seq', 2] });
    expect(graph.nodes[0].name).toBe('proj');
    const out = interpret(graph, { x: tensor('f32', [1, 1, 4], [1, 2, 3, 4]) });
    expect(toNumbers(out.y)).toEqual([4.5, 5.5]);
  });

  it('gives unnamed dims fresh symbols and makes odd dim_param names valid symbols', () => {
    const bytes = modelBytes({
      nodes: [nodeFields('Relu', ['x'], ['y'])],
      inputs: [valueInfo('x', F, [null, 'my-dim', null, 'seq+1'])],
      outputs: [valueInfo('y', F, [null, 'my-dim', null, 'seq+1'])],
    });
    const shape = importOnnxModel(bytes).graph.typeOf('x').shape;
    expect(shape[0]).toMatch(/^unk_\d+$/);
    expect(shape[2]).toMatch(/^unk_\d+$/);
    expect(shape[0]).not.toBe(shape[2]);
    expect(shape[1]).toMatch(/^my_dim/);
    expect(shape[3]).toMatch(/^seq_1_\d+$/);
  });

  it('keeps Constant nodes, each as one `value` tensor', () => {
    const bytes = modelBytes({
      nodes: [
        nodeFields('Constant', [], ['a'], [attr.floats('value_floats', [1.5, 2.5])]),
        nodeFields('Constant', [], ['s'], [attr.ints('value_ints', [2, 1])]),
        nodeFields('Constant', [], ['k'], [attr.tensor('value', tensorFields('', 'f32', [], [10]))]),
        nodeFields('Constant', [], ['h'], [attr.float('value_float', 0.1)]),
        nodeFields('Reshape', ['a', 's'], ['r']),
        nodeFields('Mul', ['r', 'k'], ['y']),
      ],
      inputs: [],
      outputs: [valueInfo('y', F, [2, 1]), valueInfo('h', F, [])],
    });
    const { graph } = importOnnxModel(bytes);
    expect(graph.nodes.slice(0, 4).every((node) => node.op === 'Constant' && Object.keys(node.attrs).join() === 'value')).toBe(true);
    const out = interpret(graph, {});
    expect(toNumbers(out.y)).toEqual([15, 25]);
    expect(out.h.data[0]).toBe(Math.fround(0.1));
  });

  it('maps attributes by type (FLOAT rounded to f32, STRING decoded, INTS)', () => {
    const bytes = modelBytes({
      nodes: [
        nodeFields('Transpose', ['x'], ['t'], [attr.ints('perm', [1, 0])]),
        nodeFields('LayerNormalization', ['t', 'g'], ['y'], [attr.float('epsilon', 1e-5), attr.int('axis', -1)]),
        nodeFields('Gelu', ['y'], ['z'], [attr.string('approximate', 'tanh')]),
      ],
      inputs: [valueInfo('x', F, [3, 2])],
      outputs: [valueInfo('z', F, [2, 3])],
      initializers: [tensorFields('g', 'f32', [3], [1, 1, 1])],
      opset: 20,
    });
    const { graph } = importOnnxModel(bytes);
    expect(graph.nodes[0].attrs.perm).toEqual([1, 0]);
    expect(graph.nodes[1].attrs.epsilon).toBe(Math.fround(1e-5));
    expect(graph.nodes[2].attrs.approximate).toBe('tanh');
  });

  it('drops graph inputs that are also initializers', () => {
    const bytes = modelBytes({
      nodes: [nodeFields('Add', ['x', 'bias'], ['y'])],
      inputs: [valueInfo('x', F, [2]), valueInfo('bias', F, [2])],
      outputs: [valueInfo('y', F, [2])],
      initializers: [tensorFields('bias', 'f32', [2], [1, 2])],
    });
    const { graph } = importOnnxModel(bytes);
    expect(graph.inputs).toEqual(['x']);
    expect(graph.initializers.has('bias')).toBe(true);
  });

  it('rewrites Softmax before opset 13 to its coerced-2-D meaning', () => {
    const spec = (axis: number) => ({
      nodes: [nodeFields('Softmax', ['x'], ['y'], [attr.int('axis', axis)])],
      inputs: [valueInfo('x', F, [2, 2, 2])],
      outputs: [valueInfo('y', F, [2, 2, 2])],
      opset: 11,
    });
    const x = tensor('f32', [2, 2, 2], [0, 1, 2, 3, 4, 5, 6, 7]);
    const { graph } = importOnnxModel(modelBytes(spec(1)));
    expect(graph.nodes.map((node) => node.op)).toEqual(['Reshape', 'Softmax', 'Reshape']);
    const y = toNumbers(interpret(graph, { x }).y);
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    const expected = [0, 1, 2, 3].map((v) => Math.exp(v) / sum([0, 1, 2, 3].map(Math.exp)));
    expect(y.slice(0, 4).map((v, i) => Math.abs(v - expected[i]) < 1e-6)).toEqual([true, true, true, true]);
    expect(sum(y.slice(4))).toBeCloseTo(1, 5);
    const lastAxis = importOnnxModel(modelBytes(spec(-1))).graph;
    expect(lastAxis.nodes.map((node) => node.op)).toEqual(['Softmax']);
    expect(printGraph(lastAxis)).toContain('axis = -1');
  });

  it('rewrites legacy Softmax on symbolic shapes through Shape', () => {
    const bytes = modelBytes({
      nodes: [nodeFields('Softmax', ['x'], ['y'])],
      inputs: [valueInfo('x', F, ['n', 3, 2])],
      outputs: [valueInfo('y', F, ['n', 3, 2])],
      opset: 12,
    });
    const { graph } = importOnnxModel(bytes);
    expect(graph.nodes.map((node) => node.op)).toEqual(['Reshape', 'Softmax', 'Shape', 'Reshape']);
    const y = toNumbers(interpret(graph, { x: tensor('f32', [1, 3, 2], [1, 1, 1, 1, 1, 1]) }).y);
    expect(y.every((v) => Math.abs(v - 1 / 6) < 1e-6)).toBe(true);
  });

  it('rewrites LogSoftmax before opset 13 the same way', () => {
    const bytes = modelBytes({
      nodes: [nodeFields('LogSoftmax', ['x'], ['y'], [attr.int('axis', 0)])],
      inputs: [valueInfo('x', F, [2, 2])],
      outputs: [valueInfo('y', F, [2, 2])],
      opset: 11,
    });
    const { graph } = importOnnxModel(bytes);
    expect(graph.nodes.map((node) => node.op)).toEqual(['Reshape', 'LogSoftmax', 'Reshape']);
    const y = toNumbers(interpret(graph, { x: tensor('f32', [2, 2], [1, 1, 1, 1]) }).y);
    expect(y.every((v) => Math.abs(v - Math.log(1 / 4)) < 1e-6)).toBe(true);
  });

  it('keeps the attribute forms of opsets before 13 (Unsqueeze axes, Split split, ReduceMean axes)', () => {
    const bytes = modelBytes({
      nodes: [
        nodeFields('Unsqueeze', ['x'], ['u'], [attr.ints('axes', [0])]),
        nodeFields('Split', ['u'], ['a', 'b'], [attr.int('axis', 2), attr.ints('split', [1, 3])]),
        nodeFields('ReduceMean', ['b'], ['y'], [attr.ints('axes', [2]), attr.int('keepdims', 0)]),
      ],
      inputs: [valueInfo('x', F, [2, 4])],
      outputs: [valueInfo('y', F, [1, 2]), valueInfo('a', F, [1, 2, 1])],
      opset: 11,
    });
    const { graph } = importOnnxModel(bytes);
    expect(graph.nodes[1].attrs.split).toEqual([1, 3]);
    const out = interpret(graph, { x: tensor('f32', [2, 4], [0, 1, 2, 3, 4, 5, 6, 7]) });
    expect(toNumbers(out.y)).toEqual([2, 6]);
    expect(toNumbers(out.a)).toEqual([0, 4]);
  });

  it('reports a value_info type that contradicts the inferred one', () => {
    const spec = (dtype: number) => ({
      nodes: [nodeFields('Relu', ['x'], ['r']), nodeFields('Relu', ['r'], ['y'])],
      inputs: [valueInfo('x', F, ['n', 3])],
      outputs: [valueInfo('y', F, ['n', 3])],
      valueInfo: [valueInfo('r', dtype, ['n', 3])],
    });
    expect(() => importOnnxModel(modelBytes(spec(ElemType.INT64)), { fileName: 'vi.onnx' })).toThrow(/vi\.onnx: Relu %r: output 0 'r' is declared i64\[n, 3\] but the op produces f32\[n, 3\]/);
  });
});

describe('importOnnxModel with a Node Buffer', () => {
  it('reads initializers and Constant tensors from Buffer views of a shared pool', async () => {
    const { readFileSync } = await import('node:fs');
    const { sharedPath } = await import('./testing/shared-data.js');
    const { importOnnxModel: importModel } = await import('./import-model.js');
    const bytes = readFileSync(sharedPath('fixtures/torch-export/mha_self_e64_h4/model.onnx'));
    const model = importModel(bytes);
    const copy = importModel(new Uint8Array(bytes));
    for (const [name, value] of model.graph.initializers) expect(value.data).toEqual(copy.graph.initializers.get(name)!.data);
    expect(model.graph.nodes.length).toBe(copy.graph.nodes.length);
  });
});
