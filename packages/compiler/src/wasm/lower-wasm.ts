/** Lowering to WebAssembly (being built). */
import { UnsupportedError, type Graph, type Program } from '@ladon/ir';

/** Options for {@link lowerToWasm}. */
export interface WasmLoweringOptions {
  readonly relaxedSimd: boolean;
}

/** Lowers a compiled graph to a wasm program. */
export async function lowerToWasm(graph: Graph, _passes: readonly string[], _options: WasmLoweringOptions): Promise<Program> {
  throw new UnsupportedError(`the wasm lowering is not built yet (graph ${graph.name})`);
}
