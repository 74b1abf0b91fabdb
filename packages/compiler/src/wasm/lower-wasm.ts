/**
 * Lowering a compiled graph to WebAssembly: each node that must run is
 * lowered by its op's lowering (a view, or kernel steps); the requested
 * kernels are emitted into two modules (plain SIMD and relaxed SIMD), both
 * validated and optimised by binaryen, and packed with the buffers, steps
 * and weights into a Program.
 */
import { nodeLocation, UnsupportedError, type Graph, type Program } from '@ladon/ir';
import { demandedNodes } from '../lower/demand.js';
import { readsPackedSlice } from './lower/packed-slices.js';
import { ProgramBuilder } from '../lower/program-builder.js';
import { KernelSet } from './kernel-set.js';
import { WASM_LOWERINGS } from './lowerings.js';

/** Options for {@link lowerToWasm}. */
export interface WasmLoweringOptions {
  /** Also build the relaxed-SIMD (FMA) module. */
  readonly relaxedSimd: boolean;
}

/** Bytes reserved at the start of memory (address 0 stays unused so a null pointer is never valid data). */
const RESERVED_BYTES = 1024;

/** Lowers a compiled graph to a wasm Program. */
export async function lowerToWasm(graph: Graph, passes: readonly string[], options: WasmLoweringOptions): Promise<Program> {
  const program = new ProgramBuilder(graph, 'wasm');
  const kernels = new KernelSet();
  lowerNodes(graph, program, kernels);
  const simd = await kernels.emit(false);
  const relaxed = options.relaxedSimd ? await kernels.emit(true) : undefined;
  return program.build({ wasm: { simd: simd.binary, ...(relaxed ? { relaxed: relaxed.binary } : {}), reservedBytes: RESERVED_BYTES } }, passes);
}

/** The text form of the kernels a graph lowers to (for golden files and debugging). */
export async function wasmText(graph: Graph, relaxed = false): Promise<string> {
  const kernels = new KernelSet();
  lowerNodes(graph, new ProgramBuilder(graph, 'wasm'), kernels);
  return (await kernels.emit(relaxed)).text;
}

/**
 * Lowers every node that must run. A node whose outputs are all small
 * integer tensors known from the symbols (shape arithmetic) needs no kernel:
 * the runtime writes those values itself.
 */
function lowerNodes(graph: Graph, program: ProgramBuilder, kernels: KernelSet): void {
  for (const node of demandedNodes(graph, readsPackedSlice(graph))) {
    if (node.outputs.every((output) => !output || isHostKnown(graph, output))) continue;
    const lowering = WASM_LOWERINGS[node.op];
    if (!lowering) throw new UnsupportedError(`the wasm backend has no kernel for ${node.op}`, nodeLocation(node));
    lowering({ graph, node, program, kernels });
  }
}

function isHostKnown(graph: Graph, value: string): boolean {
  const info = graph.values.get(value);
  return info?.known !== undefined && info.known.every((dim) => dim !== '?') && info.type.shape.length <= 1 && !graph.inputs.includes(value);
}
