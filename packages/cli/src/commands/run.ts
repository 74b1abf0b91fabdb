/**
 * `ladon run MODEL --inputs DIR [--backend B] [--out DIR] [--profile]`: feeds the
 * `input_<i>.pb` tensors of DIR (bound by name) to the model, then writes
 * `output_<i>.pb` files to `--out`, or prints a summary of each output.
 * A relative `--inputs` that does not exist in the working directory is
 * looked up in the model's folder (`--inputs test_data_set_0`). `--profile`
 * runs on the wasm backend (`auto` becomes wasm) and prints each step's time.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { deserializeProgram, Graph, type Program, type Tensor } from '@ladon/ir';
import { loadOnnxFile, readTensorDirectory, writeTensorFile, FileAccessError } from '@ladon/onnx/node';
import { Session, type StepTiming } from '@ladon/runtime';
import { selectBackend, type BackendChoice } from '../backends.js';
import { EXIT_OK, UsageError } from '../errors.js';
import { plural, summarizeTensor } from '../format.js';
import type { CliIO } from '../io.js';

/** The options of `ladon run`. */
export interface RunOptions {
  readonly inputs: string;
  readonly backend: BackendChoice;
  readonly out?: string;
  readonly profile?: boolean;
}

interface RunResult {
  readonly graph: Graph;
  readonly outputs: Record<string, Tensor>;
  readonly backend: string;
  readonly profile?: readonly StepTiming[];
}

/** Runs a session once, profiled when asked. */
async function runSession(session: Session, feeds: Record<string, Tensor>, profile: boolean | undefined): Promise<Omit<RunResult, 'graph'>> {
  try {
    if (!profile) return { outputs: await session.run(feeds), backend: session.backend };
    return { ...(await session.run(feeds, { profile: true })), backend: session.backend };
  } finally {
    session.dispose();
  }
}

/** The profile as a table: one line a step, then the total. */
export function profileTable(profile: readonly StepTiming[]): string {
  const rows = profile.map((entry) => [String(entry.step), entry.op, entry.kernel, entry.ms.toFixed(3)]);
  const header = ['step', 'op', 'kernel', 'ms'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const format = (row: readonly string[]) => row.map((cell, column) => (column === 3 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  ').trimEnd();
  const total = profile.reduce((sum, entry) => sum + entry.ms, 0);
  return [format(header), ...rows.map(format), `total ${total.toFixed(3)} ms over ${profile.length} steps`].join('\n') + '\n';
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

async function runProgram(file: string, options: RunOptions): Promise<RunResult> {
  const program = deserializeProgram(new Uint8Array(await readFile(file)), file);
  const graph = programSignature(program);
  const feeds = await readTensorDirectory(options.inputs, graph, 'input');
  if (options.backend === 'reference') throw new UsageError('--backend reference runs graphs: give it the .onnx model, not a compiled .ladon program');
  const session = await Session.create(program, { backend: options.backend });
  return { graph, ...(await runSession(session, feeds, options.profile)) };
}

async function runModel(file: string, options: RunOptions): Promise<RunResult> {
  const { graph } = await loadOnnxFile(file);
  const feeds = await readTensorDirectory(options.inputs, graph, 'input');
  if (options.profile) {
    if (options.backend !== 'auto' && options.backend !== 'wasm') throw new UsageError(`--profile times the steps of the wasm backend; --backend ${options.backend} cannot be profiled`);
    return { graph, ...(await runSession(await Session.create(graph, { backend: 'wasm' }), feeds, true)) };
  }
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
  const { graph, outputs, backend, profile } = modelFile.endsWith('.ladon') ? await runProgram(modelFile, options) : await runModel(modelFile, options);
  if (profile) io.stdout.write(profileTable(profile));
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
