/**
 * Lowering a compiled graph to WebAssembly: every node that must run is
 * planned and emitted (see lower/lower-graph.ts and lowerings.ts); the
 * requested kernels are emitted into two modules (plain SIMD and relaxed
 * SIMD), both validated and optimised by binaryen, and packed with the
 * buffers, steps and weights into a Program.
 */
import type { Graph, Program } from '@ladon/ir';
import { lowerGraph } from '../lower/lower-graph.js';
import { ProgramBuilder } from '../lower/program-builder.js';
import { KernelSet } from './kernel-set.js';
import { WASM_BACKEND } from './lowerings.js';
import { WasmLowering } from './lowering.js';

/** Options for {@link lowerToWasm}. */
export interface WasmLoweringOptions {
  /** Also build the relaxed-SIMD (FMA) module. */
  readonly relaxedSimd: boolean;
  /** Called with the number of modules built and optimised so far (0 before the first). */
  readonly onModule?: (built: number) => void;
}

/** Bytes reserved at the start of memory (address 0 stays unused so a null pointer is never valid data). */
const RESERVED_BYTES = 1024;

function lowerNodes(graph: Graph): { program: ProgramBuilder; kernels: KernelSet } {
  const program = new ProgramBuilder(graph, 'wasm');
  const kernels = new KernelSet();
  lowerGraph(graph, program, new WasmLowering(graph, program, kernels), WASM_BACKEND);
  return { program, kernels };
}

/** Lowers a compiled graph to a wasm Program. */
export async function lowerToWasm(graph: Graph, passes: readonly string[], options: WasmLoweringOptions): Promise<Program> {
  const { program, kernels } = lowerNodes(graph);
  options.onModule?.(0);
  const simd = await kernels.emit(false);
  options.onModule?.(1);
  const relaxed = options.relaxedSimd ? await kernels.emit(true) : undefined;
  if (relaxed) options.onModule?.(2);
  const wasm = { simd: simd.binary, ...(relaxed ? { relaxed: relaxed.binary } : {}), reservedBytes: RESERVED_BYTES, kernels: kernels.signatures };
  return program.build({ wasm }, passes);
}

/** The text form of the kernels a graph lowers to (for golden files and debugging). */
export async function wasmText(graph: Graph, relaxed = false): Promise<string> {
  return (await lowerNodes(graph).kernels.emit(relaxed)).text;
}
