/**
 * A model's inputs and outputs as a session describes them: name, dtype and
 * shape, a symbolic dim kept as its name (`'batch'`, `'seq'`).
 */
import type { Dim, DType, Graph, Program, ProgramTensor } from '@ladon/ir';

/** One input or output of a model. */
export interface TensorInfo {
  readonly name: string;
  readonly dtype: DType;
  /** Sizes: a number, or the name of a symbolic dim bound by the feeds. */
  readonly shape: readonly Dim[];
}

/** The named values of a graph. */
export function graphTensorInfo(graph: Graph, names: readonly string[]): TensorInfo[] {
  return names.map((name) => {
    const type = graph.typeOf(name);
    return { name, dtype: type.dtype, shape: [...type.shape] };
  });
}

/** A program's inputs or outputs, from their buffers. */
export function programTensorInfo(program: Program, tensors: readonly ProgramTensor[]): TensorInfo[] {
  return tensors.map((item) => {
    const buffer = program.buffers.find((spec) => spec.id === item.buffer) ?? program.buffers[item.buffer];
    return { name: item.name, dtype: buffer.dtype, shape: [...buffer.shape] };
  });
}
