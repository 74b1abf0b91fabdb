/**
 * ONNX backend-test data: `.pb` tensors bound to graph inputs or outputs by
 * the tensor's name (the `.pb` name is the graph input/output name), falling
 * back to position only when the tensor has no name.
 */
import type { Graph, Tensor } from '@ladon/ir';
import type { OnnxModel } from './import-model.js';
import { OnnxImportError } from './errors.js';

/** A tensor read from a file, with the name stored in it. */
export interface TensorFile {
  /** The file it was read from (for messages). */
  readonly file: string;
  /** The TensorProto name (`''` when none). */
  readonly name: string;
  /** The tensor. */
  readonly tensor: Tensor;
}

/** One `test_data_set_*` directory: feeds and expected outputs by graph value name. */
export interface TestDataSet {
  /** The directory's name, e.g. `test_data_set_0`. */
  readonly name: string;
  /** The directory. */
  readonly directory: string;
  /** Inputs by graph input name. */
  readonly inputs: Readonly<Record<string, Tensor>>;
  /** Expected outputs by graph output name. */
  readonly outputs: Readonly<Record<string, Tensor>>;
}

/** An ONNX backend-test case: a model and its data sets. */
export interface TestCase {
  /** The case name (the directory's base name). */
  readonly name: string;
  /** The case directory. */
  readonly directory: string;
  /** The imported `model.onnx`. */
  readonly model: OnnxModel;
  /** The `test_data_set_*` directories, in numeric order. */
  readonly dataSets: readonly TestDataSet[];
}

/** Which side of the graph a set of tensor files feeds or checks. */
export type TensorRole = 'input' | 'output';

/**
 * Binds tensor files to the graph's inputs or outputs: by name, or by
 * position when a tensor has no name. A name that matches nothing, a value
 * bound twice, or (for inputs) a graph input left without a tensor is an
 * {@link OnnxImportError} naming the file (or `directory`) and listing the
 * graph's names.
 */
export function bindTensorFiles(files: readonly TensorFile[], graph: Graph, role: TensorRole, directory?: string): Record<string, Tensor> {
  const names = role === 'input' ? graph.inputs : graph.outputs;
  const listed = names.map((name) => `'${name}'`).join(', ') || 'none';
  const bound: Record<string, Tensor> = {};
  files.forEach((entry, position) => {
    const name = entry.name || names[position];
    if (name === undefined || !names.includes(name)) {
      const problem = entry.name ? `tensor '${entry.name}' matches no graph ${role}` : `unnamed tensor at position ${position} has no graph ${role} to bind to`;
      throw new OnnxImportError(`${problem} (graph ${role}s: ${listed})`, { file: entry.file, tensor: entry.name || undefined });
    }
    if (Object.prototype.hasOwnProperty.call(bound, name)) throw new OnnxImportError(`graph ${role} '${name}' is given twice`, { file: entry.file, tensor: name });
    bound[name] = entry.tensor;
  });
  if (role === 'input') {
    const missing = names.filter((name) => !Object.prototype.hasOwnProperty.call(bound, name));
    if (missing.length > 0) {
      const where = directory ? { file: directory } : {};
      throw new OnnxImportError(`no tensor for graph input${missing.length > 1 ? 's' : ''} ${missing.map((name) => `'${name}'`).join(', ')} (graph inputs: ${listed})`, where);
    }
  }
  return bound;
}
