import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LadonError, tensor } from '@ladon/ir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOnnxFile, loadTestCase, readTensorFile, writeTensorFile } from './node.js';
import { bindTensorFiles } from './test-data.js';
import { ElemType, modelBytes, nodeFields, valueInfo } from './testing/model-builder.js';

let root: string;

/** A case with y = a - b, inputs in the order (a, b). */
async function writeCase(directory: string, inputFiles: [string, number[]][]): Promise<void> {
  await mkdir(path.join(directory, 'test_data_set_0'), { recursive: true });
  const model = modelBytes({
    nodes: [nodeFields('Sub', ['a', 'b'], ['y'])],
    inputs: [valueInfo('a', ElemType.FLOAT, [2]), valueInfo('b', ElemType.FLOAT, [2])],
    outputs: [valueInfo('y', ElemType.FLOAT, [2])],
  });
  await writeFile(path.join(directory, 'model.onnx'), model);
  for (const [index, [name, values]] of inputFiles.entries()) {
    await writeTensorFile(path.join(directory, 'test_data_set_0', `input_${index}.pb`), name, tensor('f32', [2], values));
  }
  await writeTensorFile(path.join(directory, 'test_data_set_0', 'output_0.pb'), 'y', tensor('f32', [2], [1, 1]));
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'ladon-onnx-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('@ladon/onnx/node', () => {
  it('writes and reads .pb tensor files', async () => {
    const file = path.join(root, 'x.pb');
    await writeTensorFile(file, 'x', tensor('i64', [2], [3, -4]));
    const read = await readTensorFile(file);
    expect(read).toMatchObject({ file, name: 'x', tensor: { dtype: 'i64', shape: [2] } });
    expect(Array.from(read.tensor.data as BigInt64Array)).toEqual([3n, -4n]);
  });

  it('binds test data by the .pb name, not by file order', async () => {
    const directory = path.join(root, 'by_name');
    await writeCase(directory, [['b', [1, 2]], ['a', [5, 7]]]);
    const testCase = await loadTestCase(directory);
    expect(testCase.name).toBe('by_name');
    expect(testCase.dataSets).toHaveLength(1);
    const [dataSet] = testCase.dataSets;
    expect(Array.from(dataSet.inputs.a.data as Float32Array)).toEqual([5, 7]);
    expect(Array.from(dataSet.inputs.b.data as Float32Array)).toEqual([1, 2]);
    expect(Object.keys(dataSet.outputs)).toEqual(['y']);
  });

  it('falls back to position only for unnamed tensors', async () => {
    const directory = path.join(root, 'unnamed');
    await writeCase(directory, [['', [1, 2]], ['', [3, 4]]]);
    const [dataSet] = (await loadTestCase(directory)).dataSets;
    expect(Array.from(dataSet.inputs.a.data as Float32Array)).toEqual([1, 2]);
  });

  it('names the file and lists the inputs when a .pb name matches no input', async () => {
    const directory = path.join(root, 'wrong_name');
    await writeCase(directory, [['a', [1, 2]], ['q', [3, 4]]]);
    const error = await loadTestCase(directory).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LadonError);
    expect((error as LadonError).name).toBe('OnnxImportError');
    expect((error as LadonError).location.file).toBe(path.join(directory, 'test_data_set_0', 'input_1.pb'));
    expect((error as Error).message).toMatch(/tensor 'q' matches no graph input \(graph inputs: 'a', 'b'\)/);
  });

  it('reports a missing input tensor and a value given twice', async () => {
    const directory = path.join(root, 'missing');
    await writeCase(directory, [['a', [1, 2]]]);
    await expect(loadTestCase(directory)).rejects.toThrow(/no tensor for graph input 'b'/);
    const graph = (await loadOnnxFile(path.join(directory, 'model.onnx'))).graph;
    const twice = [0, 1].map((index) => ({ file: `in_${index}.pb`, name: 'a', tensor: tensor('f32', [2], [0, 0]) }));
    expect(() => bindTensorFiles(twice, graph, 'input')).toThrow(/in_1.pb: graph input 'a' is given twice/);
  });

  it('turns missing files and garbage models into typed errors naming the file', async () => {
    const missing = await loadOnnxFile(path.join(root, 'nope.onnx')).catch((caught: unknown) => caught);
    expect(missing).toMatchObject({ name: 'FileAccessError', code: 'E_IO' });
    expect((missing as Error).message).toMatch(/nope\.onnx: cannot read: no such file/);
    const garbage = path.join(root, 'garbage.onnx');
    await writeFile(garbage, 'definitely not an onnx model');
    const error = await loadOnnxFile(garbage).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'OnnxImportError', code: 'E_IMPORT', location: { file: garbage } });
    await expect(readTensorFile(garbage)).rejects.toThrow(/garbage\.onnx/);
  });
});
