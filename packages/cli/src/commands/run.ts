/**
 * `ladon run MODEL --inputs DIR [--backend B] [--out DIR]`: feeds the
 * `input_<i>.pb` tensors of DIR (bound by name) to the model, then writes
 * `output_<i>.pb` files to `--out`, or prints a summary of each output.
 * A relative `--inputs` that does not exist in the working directory is
 * looked up in the model's folder (`--inputs test_data_set_0`).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { deserializeProgram, Graph, type Program, type Tensor } from '@ladon/ir';
import { loadOnnxFile, readTensorDirectory, writeTensorFile, FileAccessError } from '@ladon/onnx/node';
import { Session } from '@ladon/runtime';
import { selectBackend, type BackendChoice } from '../backends.js';
import { EXIT_OK, UsageError } from '../errors.js';
import { plural, summarizeTensor } from '../format.js';
import type { CliIO } from '../io.js';

/** The options of `ladon run`. */
export interface RunOptions {
  readonly inputs: string;
  readonly backend: BackendChoice;
  readonly out?: string;
}

async function makeDirectory(directory: string): Promise<void> {
  try {
    await mkdir(directory, { recursive: true });
  } catch (error) {
    throw new FileAccessError(`cannot create the output directory: ${error instanceof Error ? error.message : String(error)}`, directory, { cause: error });
  }
}

/** `inputs` as given when it exists (or is absolute), else the same relative path in the model's folder when that exists. */
export function resolveInputDirectory(modelFile: string, inputs: string): string {
  if (path.isAbsolute(inputs) || existsSync(inputs)) return inputs;
  const besideModel = path.join(path.dirname(modelFile), inputs);
  return existsSync(besideModel) ? besideModel : inputs;
}

/** A .ladon program as a graph-shaped stand-in: the input/output names and types are all `run` needs to bind files. */
function programSignature(program: Program): Graph {
  const graph = new Graph(program.name);
  for (const tensor of [...program.inputs, ...program.outputs]) {
    const buffer = program.buffers[tensor.buffer];
    graph.values.set(tensor.name, { name: tensor.name, type: { dtype: buffer.dtype, shape: buffer.shape } });
  }
  graph.inputs = program.inputs.map((input) => input.name);
  graph.outputs = program.outputs.map((output) => output.name);
  return graph;
}

async function runProgram(file: string, options: RunOptions): Promise<{ graph: Graph; outputs: Record<string, Tensor>; backend: string }> {
  const program = deserializeProgram(new Uint8Array(await readFile(file)), file);
  const graph = programSignature(program);
  const feeds = await readTensorDirectory(options.inputs, graph, 'input');
  if (options.backend === 'reference') throw new UsageError('--backend reference runs graphs: give it the .onnx model, not a compiled .ladon program');
  const session = await Session.create(program, { backend: options.backend });
  try {
    return { graph, outputs: await session.run(feeds), backend: session.backend };
  } finally {
    session.dispose();
  }
}

async function runModel(file: string, options: RunOptions): Promise<{ graph: Graph; outputs: Record<string, Tensor>; backend: string }> {
  const { graph } = await loadOnnxFile(file);
  const feeds = await readTensorDirectory(options.inputs, graph, 'input');
  const prepared = await selectBackend(options.backend).prepare(graph);
  try {
    return { graph, outputs: await prepared.run(feeds), backend: prepared.backend };
  } finally {
    prepared.dispose();
  }
}

/** Runs `ladon run`; returns the exit code. */
export async function runCommand(modelFile: string, given: RunOptions, io: CliIO): Promise<number> {
  const options = { ...given, inputs: resolveInputDirectory(modelFile, given.inputs) };
  const { graph, outputs, backend } = modelFile.endsWith('.ladon') ? await runProgram(modelFile, options) : await runModel(modelFile, options);
  if (options.out !== undefined) {
    await makeDirectory(options.out);
    for (const [index, name] of graph.outputs.entries()) {
      await writeTensorFile(path.join(options.out, `output_${index}.pb`), name, outputs[name]);
    }
    io.stdout.write(`wrote ${plural(graph.outputs.length, 'output')} to ${options.out} (backend ${backend})\n`);
    return EXIT_OK;
  }
  for (const name of graph.outputs) io.stdout.write(`${summarizeTensor(name, outputs[name])}\n`);
  return EXIT_OK;
}
