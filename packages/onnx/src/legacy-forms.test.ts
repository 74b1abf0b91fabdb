/** Op versions of opsets 7-24 whose attributes became inputs, rewritten into today's form on import. */
import { tensor, type Node, type Tensor } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { GraphAssembler } from './graph-assembler.js';
import { importOnnxModel } from './import-model.js';
import { upgradeLegacyForm } from './legacy-forms.js';
import { attr, ElemType, modelBytes, nodeFields, valueInfo } from './testing/model-builder.js';

function assemblerWithInput(dtype: 'f32' | 'f16' = 'f32'): GraphAssembler {
  const assembler = new GraphAssembler('g', { declared: new Map(), nodeOutputs: new Set(['y']) });
  assembler.addInput('x', { dtype, shape: [2, 3] });
  return assembler;
}

function constants(assembler: GraphAssembler, node: Node): (Tensor | undefined)[] {
  return node.inputs.slice(1).map((name) => (name ? assembler.graph.initializers.get(name) : undefined));
}

describe('legacy forms', () => {
  it('Clip-6: min and max attributes become scalar inputs of the data dtype (absent: omitted)', () => {
    const model = importOnnxModel(
      modelBytes({
        nodes: [nodeFields('Clip', ['x'], ['y'], [attr.float('max', 0.5)])],
        inputs: [valueInfo('x', ElemType.FLOAT, [4])],
        outputs: [valueInfo('y', ElemType.FLOAT, [4])],
        opset: 10,
      }),
    );
    const [clip] = model.graph.nodes;
    expect(clip.inputs[1]).toBe('');
    expect(model.graph.initializers.get(clip.inputs[2])).toEqual(tensor('f32', [], [0.5]));
    expect(clip.attrs).toEqual({});
  });

  it('Slice-1: starts, ends and axes become i64 inputs', () => {
    const model = importOnnxModel(
      modelBytes({
        nodes: [nodeFields('Slice', ['x'], ['y'], [attr.ints('starts', [1]), attr.ints('ends', [3]), attr.ints('axes', [1])])],
        inputs: [valueInfo('x', ElemType.FLOAT, [2, 4])],
        outputs: [valueInfo('y', ElemType.FLOAT, [2, 2])],
        opset: 9,
      }),
    );
    const [slice] = model.graph.nodes;
    expect(slice.inputs.slice(1).map((name) => Array.from(model.graph.initializers.get(name)!.data as BigInt64Array))).toEqual([[1n], [3n], [1n]]);
    expect(model.graph.typeOf('y').shape).toEqual([2, 2]);
  });

  it('Pad-2, TopK-1 and Dropout-10 get pads and value, K, and ratio as inputs', () => {
    const assembler = assemblerWithInput('f16');
    const [pad] = upgradeLegacyForm({ op: 'Pad', inputs: ['x'], outputs: ['y'], attrs: { pads: [0, 1, 0, 1], value: 2, mode: 'constant' } }, 2, assembler);
    expect(pad.attrs).toEqual({ mode: 'constant' });
    expect(constants(assembler, pad)).toEqual([tensor('i64', [4], [0, 1, 0, 1]), tensor('f16', [], [2])]);
    const [topK] = upgradeLegacyForm({ op: 'TopK', inputs: ['x'], outputs: ['y', 'i'], attrs: { k: 2, axis: 1 } }, 1, assembler);
    expect(topK.attrs).toEqual({ axis: 1 });
    expect(constants(assembler, topK)).toEqual([tensor('i64', [1], [2])]);
    const [dropout] = upgradeLegacyForm({ op: 'Dropout', inputs: ['x'], outputs: ['y'], attrs: { ratio: 0.2 } }, 10, assembler);
    expect(constants(assembler, dropout)).toEqual([tensor('f32', [], [0.2])]);
  });

  it('leaves current forms alone', () => {
    const node: Node = { op: 'Clip', inputs: ['x', '', 'm'], outputs: ['y'], attrs: {} };
    expect(upgradeLegacyForm(node, 13, assemblerWithInput())).toEqual([node]);
  });
});
