/**
 * `ladon run MODEL --inputs DIR [--backend B] [--out DIR]`: feeds the
 * `input_<i>.pb` tensors of DIR (bound by name) to the model, then writes
 * `output_<i>.pb` files to `--out`, or prints a summary of each output.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { loadOnnxFile, readTensorDirectory, writeTensorFile, FileAccessError } from '@ladon/onnx/node';
import { selectBackend, type BackendChoice } from '../backends.js';
import { EXIT_OK } from '../errors.js';
import { summarizeTensor } from '../format.js';
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

/** Runs `ladon run`; returns the exit code. */
export async function runCommand(modelFile: string, options: RunOptions, io: CliIO): Promise<number> {
  const backend = selectBackend(options.backend);
  const { graph } = await loadOnnxFile(modelFile);
  const feeds = await readTensorDirectory(options.inputs, graph, 'input');
  const prepared = await backend.prepare(graph);
  let outputs;
  try {
    outputs = await prepared.run(feeds);
  } finally {
    prepared.dispose();
  }
  if (options.out !== undefined) {
    await makeDirectory(options.out);
    for (const [index, name] of graph.outputs.entries()) {
      await writeTensorFile(path.join(options.out, `output_${index}.pb`), name, outputs[name]);
    }
    io.stdout.write(`wrote ${graph.outputs.length} output${graph.outputs.length === 1 ? '' : 's'} to ${options.out} (backend ${backend.name})\n`);
    return EXIT_OK;
  }
  for (const name of graph.outputs) io.stdout.write(`${summarizeTensor(name, outputs[name])}\n`);
  return EXIT_OK;
}
