/**
 * `@ladon/onnx/node`: file-system helpers for Node.js (the main entry stays
 * browser-safe). Read and write `.pb` tensors, import `.onnx` files, and load
 * ONNX backend-test cases (`model.onnx` + `test_data_set_N/input_I.pb`,
 * `output_I.pb`).
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LadonError, type Graph, type Tensor } from '@ladon/ir';
import { importOnnxModel, type OnnxModel } from './import-model.js';
import { decodeTensor, encodeTensor } from './tensor-proto.js';
import { bindTensorFiles, type TensorFile, type TensorRole, type TestCase, type TestDataSet } from './test-data.js';

/** A file that cannot be read or written (missing, a directory, no permission). */
export class FileAccessError extends LadonError {
  constructor(message: string, file: string, options?: { cause?: unknown }) {
    super('E_IO', message, { file }, options);
  }

  override get name(): string {
    return 'FileAccessError';
  }
}

function describeIoError(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'ENOTDIR') return 'not a directory';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}

async function readBytes(file: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (error) {
    throw new FileAccessError(`cannot read: ${describeIoError(error)}`, file, { cause: error });
  }
}

async function listDirectory(directory: string): Promise<string[]> {
  try {
    return await readdir(directory);
  } catch (error) {
    throw new FileAccessError(`cannot list the directory: ${describeIoError(error)}`, directory, { cause: error });
  }
}

/** Reads and imports an `.onnx` file (errors name the file). */
export async function loadOnnxFile(file: string): Promise<OnnxModel> {
  return importOnnxModel(await readBytes(file), { fileName: file });
}

/** Reads a `.pb` file holding one `onnx.TensorProto`. */
export async function readTensorFile(file: string): Promise<TensorFile> {
  const { name, tensor } = decodeTensor(await readBytes(file), { fileName: file });
  return { file, name, tensor };
}

/** Writes `tensor` as a `.pb` file (an `onnx.TensorProto` named `name`, raw_data). */
export async function writeTensorFile(file: string, name: string, tensor: Tensor): Promise<void> {
  try {
    await writeFile(file, encodeTensor(name, tensor));
  } catch (error) {
    throw new FileAccessError(`cannot write: ${describeIoError(error)}`, file, { cause: error });
  }
}

/** The entries `<prefix><N><suffix>` of a list, sorted by N. */
function numbered(entries: readonly string[], prefix: string, suffix: string): string[] {
  const pattern = new RegExp(`^${prefix}(\\d+)${suffix.replace('.', '\\.')}$`);
  return entries
    .map((entry) => ({ entry, match: pattern.exec(entry) }))
    .filter((item) => item.match !== null)
    .sort((a, b) => Number(a.match![1]) - Number(b.match![1]))
    .map((item) => item.entry);
}

/**
 * Reads `input_<i>.pb` (or `output_<i>.pb`) from `directory` and binds them
 * to the graph's inputs (outputs) by tensor name; see {@link bindTensorFiles}.
 */
export async function readTensorDirectory(directory: string, graph: Graph, role: TensorRole): Promise<Record<string, Tensor>> {
  const files = numbered(await listDirectory(directory), `${role}_`, '.pb');
  const tensors = await Promise.all(files.map((file) => readTensorFile(path.join(directory, file))));
  return bindTensorFiles(tensors, graph, role, directory);
}

async function loadDataSet(directory: string, graph: Graph): Promise<TestDataSet> {
  return {
    name: path.basename(directory),
    directory,
    inputs: await readTensorDirectory(directory, graph, 'input'),
    outputs: await readTensorDirectory(directory, graph, 'output'),
  };
}

/** Loads an ONNX backend-test case directory: `model.onnx` and every `test_data_set_<n>`. */
export async function loadTestCase(directory: string): Promise<TestCase> {
  const model = await loadOnnxFile(path.join(directory, 'model.onnx'));
  const dataSetDirectories = numbered(await listDirectory(directory), 'test_data_set_', '');
  const dataSets: TestDataSet[] = [];
  for (const name of dataSetDirectories) dataSets.push(await loadDataSet(path.join(directory, name), model.graph));
  return { name: path.basename(path.resolve(directory)), directory, model, dataSets };
}
