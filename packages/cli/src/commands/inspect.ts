/**
 * `ladon inspect MODEL [--json] [--print-after PASS]`: the (compiled) graph
 * in the IR text form, large constants elided; `--json` gives op counts,
 * what each fused Attention does (heads, causal, KV cache, rotary, position
 * bias form, mask), inputs, outputs and the passes that ran. A model using
 * ops outside the op set gets the list of all of them (op, node count, first
 * node) instead, as a table or `{"unsupportedOps":[...]}`, and exit code 1.
 */
import { summarizeAttention } from '@ladon/compiler';
import { countOps, printGraph, UnknownOpError, type Graph, type UnknownOpUse } from '@ladon/ir';
import type { OnnxModel } from '@ladon/onnx';
import { loadOnnxFile } from '@ladon/onnx/node';
import { EXIT_FAILURE, EXIT_OK } from '../errors.js';
import { formatTable, plural } from '../format.js';
import type { CliIO } from '../io.js';
import { checkPassName, compileGraph, type CompileResult } from '../pipeline.js';

/** Constants with more elements than this print as `<N elements>`. */
const MAX_CONSTANT_ELEMENTS = 16;

/** The options of `ladon inspect`. */
export interface InspectOptions {
  readonly json?: boolean;
  readonly printAfter?: string;
}

function describeValues(graph: Graph, names: readonly string[]): { name: string; dtype: string; shape: (number | string)[] }[] {
  return names.map((name) => {
    const type = graph.typeOf(name);
    return { name, dtype: type.dtype, shape: [...type.shape] };
  });
}

function header(modelFile: string, model: OnnxModel, compiled: CompileResult): string {
  const producer = [model.producerName, model.producerVersion].filter(Boolean).join(' ') || 'unknown';
  const passes = `${compiled.passes.length} passes in ${compiled.ms.toFixed(1)} ms`;
  return [
    `# ladon inspect ${modelFile}`,
    `# ONNX IR ${model.irVersion}, opset ${model.opsetVersion}, producer ${producer}; ${compiled.graph.nodes.length} nodes; passes: ${passes}`,
    `# constants with more than ${MAX_CONSTANT_ELEMENTS} elements are elided as <N elements> (display only: this text does not parse back)`,
  ].join('\n');
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** Prints every op of the model outside the op set (all of them, not just the first); returns the exit code. */
function reportUnknownOps(modelFile: string, uses: readonly UnknownOpUse[], json: boolean | undefined, io: CliIO): number {
  if (json) {
    io.stdout.write(`${JSON.stringify({ unsupportedOps: uses })}\n`);
  } else {
    const nodes = uses.reduce((sum, use) => sum + use.count, 0);
    const rows = [['OP', 'NODES', 'FIRST NODE'], ...uses.map((use) => [use.op, String(use.count), use.firstNode])];
    io.stdout.write(`# ladon inspect ${modelFile}\n# ${plural(uses.length, 'op')} outside Ladon's op set, used by ${plural(nodes, 'node')}:\n${formatTable(rows)}\n`);
  }
  io.stderr.write(`ladon: cannot compile ${modelFile}: it uses ${plural(uses.length, 'unsupported op')} (${uses.map((use) => use.op).join(', ')})\n`);
  return EXIT_FAILURE;
}

/** Loads the model; when it uses ops outside the op set, lists them all (reportUnknownOps) and returns the exit code instead. */
async function loadModel(modelFile: string, options: InspectOptions, io: CliIO): Promise<OnnxModel | number> {
  try {
    return await loadOnnxFile(modelFile);
  } catch (error) {
    if (error instanceof UnknownOpError && error.unknownOps.length > 0) return reportUnknownOps(modelFile, error.unknownOps, options.json, io);
    throw error;
  }
}

/** Runs `ladon inspect`; returns the exit code. */
export async function inspectCommand(modelFile: string, options: InspectOptions, io: CliIO): Promise<number> {
  if (options.printAfter !== undefined) checkPassName(options.printAfter);
  const model = await loadModel(modelFile, options, io);
  if (typeof model === 'number') return model;
  const compiled = compileGraph(model.graph, {
    printAfter: options.printAfter,
    onPrintAfter: (pass, text) => io.stdout.write(`# after pass ${pass}\n${text}`),
  });
  const { graph } = compiled;
  if (options.json) {
    const summary = {
      ops: countOps(graph),
      attention: summarizeAttention(graph),
      nodes: graph.nodes.length,
      inputs: describeValues(graph, graph.inputs),
      outputs: describeValues(graph, graph.outputs),
      compileMs: round(compiled.ms),
      passes: compiled.reports.map((report) => ({ name: report.name, ms: round(report.ms), nodes: report.nodes, changes: report.changes })),
    };
    io.stdout.write(`${JSON.stringify(summary)}\n`);
    return EXIT_OK;
  }
  io.stdout.write(`${header(modelFile, model, compiled)}\n${printGraph(graph, { maxConstantElements: MAX_CONSTANT_ELEMENTS })}`);
  return EXIT_OK;
}

